import { randomUUID } from 'node:crypto';
import { DUNNING_STEP_KINDS, type CalendarDate, type DunningStepKind } from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import {
  arrayLiteral,
  flatArrayLiteral,
  nestedTextArrayLiteral,
  textArrayLiteral,
  uuidArrayParam,
} from './array-literals';
import type { PlannedAction } from './run-context';
import {
  actionContext,
  batchStepExecutorOf,
  groupStepExecutorOf,
  outcomesOfGroup,
  stepExecutorOf,
  type ChasedItem,
  type DunningActionContext,
  type DunningActionOutcome,
  type DunningGroupAction,
  type DunningGroupOutcome,
  type DunningStepGroup,
} from './step-registry';

/** A planned action that this run recorded (and whose executor ran), with what the executor answered. */
export type RecordedAction = {
  actionId: string;
  planned: PlannedAction;
  outcome: DunningActionOutcome | null;
};

/** What a run lends the executors besides each action: the snapshot's chased items per customer; timings. */
export type ExecutionSupport = {
  customerItems?: (customerId: string) => readonly ChasedItem[];
  onPhase?: (phase: string, ms: number) => void;
};

/**
 * One step for some of one customer's invoices in one batch, as recorded (migration 0017: one row of
 * dunning_action_groups). Its actions' ids follow from the group's: the first 24 characters of a random uuid, then
 * the action's position in 12 hex digits — what the dunning_actions view computes too, so a catch-up batch neither
 * makes nor sends 20,000 random ids.
 */
export type ActionGroup = {
  id: string;
  first: PlannedAction;
  members: PlannedAction[];
  outcome: DunningGroupOutcome | null;
};

/** What a batch did: its groups, how many actions per kind, and each action (built only when asked for). */
export type ExecutedActions = {
  groups: readonly ActionGroup[];
  fired: number;
  countsByKind: Record<string, number>;
  actions(): RecordedAction[];
};

const FIRST_ID_SUFFIX = '000000000000';

function newGroupId(): string {
  return `${randomUUID().slice(0, 24)}${FIRST_ID_SUFFIX}`;
}

/** The id of a group's action at `index` (0-based); the view computes the same from the group's id. */
export function actionIdOf(groupId: string, index: number): string {
  return `${groupId.slice(0, 24)}${(index + 1).toString(16).padStart(12, '0')}`;
}

/**
 * Does the planned actions and records them, in the caller's transaction: the actions are grouped per customer,
 * step and currency and get their ids first (the executors' idempotency keys), each kind's executor runs (group
 * executors once for all of the kind's groups, batch executors once for all of its actions), then one INSERT records
 * every group with its outcomes. The INSERT has no ON CONFLICT on purpose: when a concurrent run recorded one of
 * these steps first, the done-steps trigger fails the statement and the whole transaction — executors' writes
 * included — rolls back, and the caller redoes the items one by one from fresh reads. A fixed number of statements
 * per batch, plus whatever the executors write.
 */
export async function executeActions(
  tx: Tx,
  tenantId: string,
  runId: string,
  asOf: CalendarDate,
  planned: readonly PlannedAction[],
  support: ExecutionSupport = {},
): Promise<ExecutedActions> {
  const groups = groupsOf(planned);
  const shared = sharedParts(tx, tenantId, runId, asOf, support);
  for (const [kind, ofKind] of byKind(groups)) {
    const started = performance.now();
    const hasExecutor = await runExecutor(kind, ofKind, shared);
    if (hasExecutor) support.onPhase?.(`executor ${kind}`, performance.now() - started);
  }
  const started = performance.now();
  if (groups.length > 0) await insertActionGroups(tx, tenantId, runId, asOf, planned, groups);
  support.onPhase?.('record actions', performance.now() - started);
  return executed(groups);
}

function executed(groups: readonly ActionGroup[]): ExecutedActions {
  const countsByKind: Record<string, number> = {};
  let fired = 0;
  for (const group of groups) {
    fired += group.members.length;
    countsByKind[group.first.step.kind] = (countsByKind[group.first.step.kind] ?? 0) + group.members.length;
  }
  return {
    groups,
    fired,
    countsByKind,
    actions: () =>
      groups.flatMap((group) => {
        const outcomes = group.outcome ? outcomesOfGroup(group.outcome, group.members.length) : [];
        return group.members.map((member, index) => ({
          actionId: actionIdOf(group.id, index),
          planned: member,
          outcome: outcomes[index] ?? null,
        }));
      }),
  };
}

/**
 * The groups per kind, the kinds always in the same order: executors take locks (a letter's key), and two
 * transactions taking them in the same order (a scheduled run and one started by hand) cannot deadlock.
 */
function byKind(groups: readonly ActionGroup[]): Map<DunningStepKind, ActionGroup[]> {
  const kinds = new Map<DunningStepKind, ActionGroup[]>(DUNNING_STEP_KINDS.map((kind) => [kind, []]));
  for (const group of groups) kinds.get(group.first.step.kind)?.push(group);
  for (const [kind, list] of kinds) if (list.length === 0) kinds.delete(kind);
  return kinds;
}

/** Runs the kind's executor over its groups and keeps each group's outcome; false when none is registered. */
async function runExecutor(
  kind: DunningStepKind,
  groups: readonly ActionGroup[],
  shared: SharedParts,
): Promise<boolean> {
  const group = groupStepExecutorOf(kind);
  if (group) {
    const outcomes = await group(groups.map((entry) => shared.stepGroup(entry)));
    if (outcomes.length !== groups.length) {
      throw new Error(
        `The ${kind} executor answered ${outcomes.length} outcomes for ${groups.length} groups`,
      );
    }
    groups.forEach((entry, index) => (entry.outcome = outcomes[index] ?? null));
    return true;
  }
  const batch = batchStepExecutorOf(kind);
  const single = stepExecutorOf(kind);
  // No module does this kind of step (not wired in this process): the actions stay 'recorded', visible as such.
  if (!batch && !single) return false;
  const contexts = groups.flatMap((entry) => shared.contexts(entry));
  let outcomes: DunningActionOutcome[];
  if (batch) outcomes = await batch(contexts);
  else {
    outcomes = [];
    for (const context of contexts) outcomes.push(await single!(context));
  }
  if (outcomes.length !== contexts.length) {
    throw new Error(
      `The ${kind} executor answered ${outcomes.length} outcomes for ${contexts.length} actions`,
    );
  }
  let next = 0;
  for (const entry of groups) {
    entry.outcome = { each: outcomes.slice(next, next + entry.members.length) };
    next += entry.members.length;
  }
  return true;
}

type SharedParts = {
  stepGroup(group: ActionGroup): DunningStepGroup;
  contexts(group: ActionGroup): DunningActionContext[];
};

type StepPart = DunningActionContext['step'];
type CustomerPart = DunningActionContext['customer'];
type CustomerItems = DunningActionContext['customerItems'];

function invoiceOf(member: PlannedAction): DunningActionContext['invoice'] {
  return {
    id: member.item.invoiceId,
    number: member.item.invoiceNumber,
    customerId: member.item.customerId,
    dueDate: member.item.dueDate,
    chasedMinor: member.chasedMinor,
    currency: member.item.currency,
    daysOverdue: member.daysOverdue,
  };
}

/**
 * A run's group as its executor sees it: one shape for all 62,000 of a catch-up run, its actions made on first read.
 * (An object literal spreading the shared parts beside a getter cost 2.6 µs a group in a first run's profile: each
 * was built property by property into a shape of its own, and every executor's reads of them went megamorphic.)
 */
class RunStepGroup implements DunningStepGroup {
  readonly id: string;
  readonly first: DunningGroupAction;
  readonly invoiceIds: readonly string[];
  private built: DunningGroupAction[] | undefined = undefined;

  constructor(
    readonly tx: Tx,
    readonly tenantId: string,
    readonly runId: string,
    readonly asOf: CalendarDate,
    readonly step: StepPart,
    readonly customer: CustomerPart,
    readonly customerItems: CustomerItems,
    private readonly group: ActionGroup,
  ) {
    this.id = group.id;
    this.first = { actionId: actionIdOf(group.id, 0), invoice: invoiceOf(group.first) };
    this.invoiceIds = group.members.map((member) => member.item.invoiceId);
  }

  get actions(): readonly DunningGroupAction[] {
    this.built ??= this.group.members.map((member, index) => ({
      actionId: actionIdOf(this.group.id, index),
      invoice: invoiceOf(member),
    }));
    return this.built;
  }
}

/**
 * Builds what executors see. The step and customer parts are made once per step and customer and shared (they are
 * read-only to executors); only the invoice part is per action. A group's actions are made only if its executor reads
 * them: the group executors of a catch-up run's 800,000 visits, reviews, requests and holds need each group's first
 * action and its invoice ids.
 */
function sharedParts(
  tx: Tx,
  tenantId: string,
  runId: string,
  asOf: CalendarDate,
  support: ExecutionSupport,
): SharedParts {
  const steps = new Map<string, StepPart>();
  const customers = new Map<string, { part: CustomerPart; items: CustomerItems }>();
  const itemsOf = support.customerItems;
  const partsOf = (group: ActionGroup): { step: StepPart; customer: CustomerPart; items: CustomerItems } => {
    const { item, step } = group.first;
    let stepPart = steps.get(step.id);
    if (!stepPart) {
      stepPart = {
        kind: step.kind,
        channel: step.channel,
        offsetDays: step.offsetDays,
        templateKey: step.templateKey,
        requiresApproval: step.requiresApproval,
      };
      steps.set(step.id, stepPart);
    }
    let customer = customers.get(item.customerId);
    if (!customer) {
      customer = {
        part: { id: item.customerId, name: item.customerName, ownerUserId: item.ownerUserId },
        items: itemsOf ? () => itemsOf(item.customerId) : undefined,
      };
      customers.set(item.customerId, customer);
    }
    return { step: stepPart, customer: customer.part, items: customer.items };
  };
  return {
    stepGroup: (group) => {
      const { step, customer, items } = partsOf(group);
      return new RunStepGroup(tx, tenantId, runId, asOf, step, customer, items, group);
    },
    contexts: (group) => {
      const { step, customer, items } = partsOf(group);
      const shared = { tx, tenantId, runId, asOf, step, customer, customerItems: items };
      return group.members.map((member, index) =>
        actionContext(shared, actionIdOf(group.id, index), invoiceOf(member)),
      );
    },
  };
}

/**
 * The batch's actions per customer, step and currency, in the order they were planned. A customer's items are
 * next to each other in a batch (the snapshot is sorted by customer), so groups are looked up among the current
 * customer's only, by the step object itself: no key strings for a million actions. Also refuses a step named twice
 * for one invoice (the done-steps trigger counts invoices, not steps, so this is where that is caught).
 */
function groupsOf(planned: readonly PlannedAction[]): ActionGroup[] {
  const groups: ActionGroup[] = [];
  let customerId: string | null = null;
  let customerGroups: ActionGroup[] = [];
  let item: PlannedAction['item'] | null = null;
  // Where the current item's actions start in `planned`: its steps so far are looked up there, not kept in an array
  // per item (a catch-up batch plans 18,000 actions of 5,000 items).
  let itemStart = 0;
  const items = new Set<PlannedAction['item']>();
  for (let index = 0; index < planned.length; index += 1) {
    const action = planned[index] as PlannedAction;
    if (action.item !== item) {
      item = action.item;
      if (items.has(item)) throw new Error(`invoice ${item.invoiceNumber} planned twice in one batch`);
      items.add(item);
      itemStart = index;
    }
    for (let earlier = itemStart; earlier < index; earlier += 1) {
      if (planned[earlier]?.step === action.step) {
        throw new Error(`step ${action.step.kind} planned twice for invoice ${item.invoiceNumber}`);
      }
    }
    if (item.customerId !== customerId) {
      customerId = item.customerId;
      customerGroups = [];
    }
    const group = groupOf(customerGroups, action);
    if (group) group.members.push(action);
    else {
      const created: ActionGroup = { id: newGroupId(), first: action, members: [action], outcome: null };
      customerGroups.push(created);
      groups.push(created);
    }
  }
  return groups;
}

/** The current customer's group of the action's step and currency, if it has one yet. */
function groupOf(customerGroups: readonly ActionGroup[], action: PlannedAction): ActionGroup | undefined {
  for (const group of customerGroups) {
    if (group.first.step === action.step && group.first.item.currency === action.item.currency) return group;
  }
  return undefined;
}

/** A group's outcome columns: the first action's and the others' when they share them, else one per action. */
function outcomeColumns(group: ActionGroup) {
  const outcome = group.outcome ?? {
    first: { outcome: 'recorded' as const },
    others: { outcome: 'recorded' as const },
  };
  if ('each' in outcome) return { first: null, others: null, each: outcome.each };
  return { first: outcome.first, others: outcome.others, each: null };
}

type Outcome = DunningActionOutcome | { outcome: 'recorded'; refId?: undefined; detail?: undefined };

/**
 * Where each group's members sit in the flat arrays of ids, due dates and amounts that the INSERT slices. The batch's
 * items come first, once each, in planned order; a group whose members are consecutive items there takes that slice,
 * and any other gets a copy of its members after them. Most groups are consecutive: a customer's items come by due
 * date and a family's step falls on a band of days overdue, so a catch-up batch sends its 5,000 items once instead of
 * the 18,000 members of their groups (an item is in up to four: visit, 律师函, review and hold).
 */
export function memberLayout(
  planned: readonly PlannedAction[],
  groups: readonly { members: readonly PlannedAction[] }[],
): { members: PlannedAction[]; lo: number[]; hi: number[] } {
  const members: PlannedAction[] = [];
  const positions = new Map<PlannedAction['item'], number>();
  for (const action of planned) {
    if (positions.has(action.item)) continue;
    positions.set(action.item, members.length);
    members.push(action);
  }
  const lo: number[] = [];
  const hi: number[] = [];
  for (const group of groups) {
    const start = consecutiveStart(group.members, members, positions);
    if (start === null) {
      lo.push(members.length + 1);
      members.push(...group.members);
      hi.push(members.length);
    } else {
      lo.push(start + 1);
      hi.push(start + group.members.length);
    }
  }
  return { members, lo, hi };
}

/**
 * Where the group's members start in the batch's list (0-based) when they are the items at consecutive places there,
 * with the same amounts; null otherwise.
 */
function consecutiveStart(
  group: readonly PlannedAction[],
  items: readonly PlannedAction[],
  positions: ReadonlyMap<PlannedAction['item'], number>,
): number | null {
  const first = group[0];
  const start = first ? positions.get(first.item) : undefined;
  if (start === undefined) return null;
  for (let index = 0; index < group.length; index += 1) {
    const member = group[index] as PlannedAction;
    const item = items[start + index];
    if (item?.item !== member.item || item.chasedMinor !== member.chasedMinor) return null;
  }
  return start;
}

/**
 * One INSERT for the whole batch, one row per group: each column an array with one element per group. The members'
 * invoice ids go as one flat binary array that each group slices (memberLayout: each item once where it can be),
 * their due dates and amounts as flat array literals sliced the same way, and their outcomes as arrays of array
 * literals (one per group) that PostgreSQL reads back into the row's arrays; literals are ready-made here because
 * the driver would escape each of 20,000 elements one by one. Nothing needs sorting or aggregating on the server.
 */
async function insertActionGroups(
  tx: Tx,
  tenantId: string,
  runId: string,
  asOf: CalendarDate,
  planned: readonly PlannedAction[],
  groups: readonly ActionGroup[],
): Promise<void> {
  const group = <T extends string | number>(pick: (group: ActionGroup) => T) => groups.map(pick);
  const layout = memberLayout(planned, groups);
  const columns = groups.map(outcomeColumns);
  const shared = (pick: (outcome: Outcome) => string | null | undefined, which: 'first' | 'others') =>
    textArrayLiteral(columns.map((column) => (column[which] ? (pick(column[which]) ?? null) : null)));
  const each = (pick: (outcome: DunningActionOutcome) => string | null | undefined) =>
    nestedTextArrayLiteral(
      columns.map((column) => column.each),
      (outcome) => pick(outcome) ?? null,
    );
  const detail = (outcome: Outcome) => outcome.detail?.slice(0, 1000);
  const invoiceIds = uuidArrayParam(layout.members.map((a) => a.item.invoiceId));
  const dueDates = flatArrayLiteral([layout.members], (a) => a.item.dueDate);
  const chasedMinor = flatArrayLiteral([layout.members], (a) => a.chasedMinor);
  await sql`
    INSERT INTO dunning_action_groups (tenant_id, id, run_id, customer_id, policy_id, step_id, kind, channel,
      offset_days, as_of, currency, invoice_ids, due_dates, chased_minor, first_outcome, first_ref_id, first_detail,
      other_outcome, other_ref_id, other_detail, outcomes, ref_ids, details)
    SELECT ${tenantId}::uuid, g.id, ${runId}::uuid, g.customer_id, g.policy_id, g.step_id, g.kind,
      nullif(g.channel, ''), g.offset_days, ${asOf}::date, g.currency, (${invoiceIds}::uuid[])[g.lo:g.hi],
      (${dueDates}::date[])[g.lo:g.hi], (${chasedMinor}::bigint[])[g.lo:g.hi], g.first_outcome, g.first_ref_id,
      g.first_detail, g.other_outcome, g.other_ref_id, g.other_detail, g.outcomes::text[], g.ref_ids::text[],
      g.details::text[]
    FROM unnest(
      ${arrayLiteral(group((g) => g.id))}::uuid[],
      ${arrayLiteral(group((g) => g.first.item.customerId))}::uuid[],
      ${arrayLiteral(group((g) => g.first.policy.id))}::uuid[],
      ${arrayLiteral(group((g) => g.first.step.id))}::uuid[],
      ${arrayLiteral(group((g) => g.first.step.kind))}::text[],
      ${textArrayLiteral(group((g) => g.first.step.channel ?? ''))}::text[],
      ${arrayLiteral(group((g) => g.first.step.offsetDays))}::int[],
      ${arrayLiteral(group((g) => g.first.item.currency))}::text[],
      ${arrayLiteral(layout.lo)}::int[],
      ${arrayLiteral(layout.hi)}::int[],
      ${shared((o) => o.outcome, 'first')}::text[], ${shared((o) => o.refId, 'first')}::text[],
      ${shared(detail, 'first')}::text[], ${shared((o) => o.outcome, 'others')}::text[],
      ${shared((o) => o.refId, 'others')}::text[], ${shared(detail, 'others')}::text[],
      ${each((o) => o.outcome)}::text[], ${each((o) => o.refId)}::text[], ${each(detail)}::text[]
    ) AS g (id, customer_id, policy_id, step_id, kind, channel, offset_days, currency, lo, hi, first_outcome,
      first_ref_id, first_detail, other_outcome, other_ref_id, other_detail, outcomes, ref_ids, details)`.execute(
    tx,
  );
}
