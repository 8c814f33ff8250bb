import {
  holdCauses,
  holdTransition,
  type CalendarDate,
  type CreditHoldCause,
  type CreditPosition,
  type RecordScope,
} from '@huikuan/core';
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db';
import { customerScopeCondition } from '../customers/customer-access';
import type { CustomerCreditEvaluation } from './credit-position';
import type { CreditContext } from './credit-settings';
import { isOverridden } from './customer-credit';
import { dunningHeldCte } from './dunning-holds';
import { lateDocumentCtes } from './late-documents';

/**
 * What a list over a whole scope needs of every customer in it: the hold causes, the warning and override flags and
 * whether the hold state differs from the recorded one (for the summary counts and the transitions); and only for
 * some customers the exposure (for the rows shown and the transitions recorded).
 *
 * The rules (core/src/credit.ts) read exposure only against a limit: without a limit there is no over_limit cause
 * and no warning, and an override only lifts causes. So the screen leaves out the expensive part of exposure (each
 * active contract's unbilled plan nodes) and:
 *
 * - keeps only the customers that can be on hold or warned or must be released: a limit, an oldest overdue item
 *   past the threshold, an open dispute, a dunning hold, or a recorded hold (`screened` below);
 * - sends those with a limit, and those with documents dated after today (whose kept figures are not today's), to
 *   the full evaluation (credit-position.ts): they are "undecided" here;
 * - groups every other one by the inputs the rules read (overdue days, disputes, override, dunning hold, recorded
 *   causes), so the rules run once per group in JavaScript and a group's decision holds for each of its customers.
 *   At the benchmark's 20,000 customers on hold that is 440 groups instead of 20,000 rows to parse and decide.
 *
 * Customers are fetched one by one only where the answer needs them: the first rows of the page in code order, and
 * the customers of groups whose hold state changed.
 */

/** What the rules decided for a customer, or for every customer of a group with the same inputs. */
export type HoldDecision = {
  causes: CreditHoldCause[];
  isWarning: boolean;
  isOverridden: boolean;
  /** The hold state differs from the recorded one: a transition to record. */
  isChanged: boolean;
};

/** Customers with the same rule inputs (`key` names them in SQL) and what the rules decided for them. */
export type InputGroup = { key: string; decision: HoldDecision; customers: number };

/** A screened customer in code order; `groupKey` null: decided only by the full evaluation. */
export type ScreenedRow = { customerId: string; code: string; groupKey: string | null };

export type Screen = {
  groups: Map<string, InputGroup>;
  /** Every customer the screen cannot decide (a limit, or documents dated after today). */
  undecidedIds: string[];
  /** The first screened customers after the cursor, in code order (as many as asked for, fewer at the end). */
  rows: ScreenedRow[];
};

/** Bits of the `flags` column: one integer instead of five booleans. */
const NEEDS_FULL_EVALUATION = 1;
const OTHER_CURRENCY_DISPUTES = 2;
const ACTIVE_OVERRIDE = 4;
const DUNNING_HOLD = 8;
const RECORDED_STATE = 16;

type ScreenQuery = {
  tenantId: string;
  context: CreditContext;
  today: CalendarDate;
  scope: RecordScope;
};

/**
 * `screened`: one row per customer in scope that can be flagged, with its rule inputs (`flags`, `days`, `disputes`,
 * `recorded`; NEEDS_FULL_EVALUATION set when undecided). The overdue days, disputes and dunning holds are read as evaluateCustomers
 * reads them: the kept oldest open due date per customer, open disputes in the threshold's currency and any other,
 * and the dunning_held CTE.
 */
function screenedCtes(query: ScreenQuery): RawBuilder<unknown> {
  const { tenantId, today } = query;
  const disputeCurrency = query.context.disputeHoldCurrency;
  return sql`
    ${lateDocumentCtes(tenantId, today)},
    overdue AS (
      SELECT b.customer_id, min(b.oldest_open_due) AS oldest_due FROM customer_open_balances b
      WHERE b.tenant_id = ${tenantId} AND b.oldest_open_due < ${today}::date
      GROUP BY b.customer_id
    ),
    open_disputes AS (
      SELECT d.customer_id, sum(d.amount_minor) FILTER (WHERE d.currency = ${disputeCurrency}) AS amount,
        bool_or(d.currency <> ${disputeCurrency}) AS has_others
      FROM disputes d WHERE d.tenant_id = ${tenantId} AND d.status = 'open'
      GROUP BY d.customer_id
    ),
    active_overrides AS (
      SELECT DISTINCT o.customer_id FROM credit_overrides o
      WHERE o.tenant_id = ${tenantId} AND o.valid_until >= ${today}::date
    ),
    ${dunningHeldCte(tenantId, today, sql<boolean>`true`)},
    screened AS (
      SELECT c.id, c.code,
        CASE WHEN l.customer_id IS NOT NULL OR lc.customer_id IS NOT NULL THEN ${NEEDS_FULL_EVALUATION} ELSE 0 END
          + CASE WHEN d.has_others THEN ${OTHER_CURRENCY_DISPUTES} ELSE 0 END
          + CASE WHEN ov.customer_id IS NOT NULL THEN ${ACTIVE_OVERRIDE} ELSE 0 END
          + CASE WHEN dh.customer_id IS NOT NULL THEN ${DUNNING_HOLD} ELSE 0 END
          + CASE WHEN st.customer_id IS NOT NULL THEN ${RECORDED_STATE} ELSE 0 END AS flags,
        ${today}::date - o.oldest_due AS days,
        d.amount::bigint AS disputes,
        array_to_string(st.causes, ',') AS recorded
      FROM customers c
      LEFT JOIN customer_credit_limits l ON l.tenant_id = c.tenant_id AND l.customer_id = c.id
      LEFT JOIN late_customers lc ON lc.customer_id = c.id
      LEFT JOIN overdue o ON o.customer_id = c.id
      LEFT JOIN open_disputes d ON d.customer_id = c.id
      LEFT JOIN active_overrides ov ON ov.customer_id = c.id
      LEFT JOIN dunning_held dh ON dh.customer_id = c.id
      LEFT JOIN credit_hold_states st ON st.tenant_id = c.tenant_id AND st.customer_id = c.id
      WHERE c.tenant_id = ${tenantId} AND ${customerScopeCondition(query.scope, 'c')}
        AND (l.customer_id IS NOT NULL OR lc.customer_id IS NOT NULL
          OR o.oldest_due < ${today}::date - ${query.context.settings.overdueHoldDays}::int
          OR d.customer_id IS NOT NULL OR dh.customer_id IS NOT NULL OR cardinality(st.causes) > 0)
    )`;
}

/**
 * The text naming the rule inputs of `alias` (a row of `screened`, or of its groups), null when undecided. Every
 * input is in it, NULL as nothing, so equal keys mean equal inputs and a group's decision is each customer's. Only
 * computed for the rows returned (and, when transitions are due, to find the customers of the changed groups).
 */
function groupKeySql(alias: string): RawBuilder<string | null> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<string | null>`CASE WHEN ${column('flags')} & ${NEEDS_FULL_EVALUATION} = 0
    THEN concat(${column('flags')}, '|', ${column('days')}, '|', ${column('disputes')}, '|', ${column('recorded')})
    END`;
}

function afterCodeSql(afterCode: string | undefined): RawBuilder<boolean> {
  return afterCode === undefined ? sql<boolean>`true` : sql<boolean>`s.code > ${afterCode}`;
}

/**
 * holdTransition(recorded, evaluated) !== null, without sorting when both list the same causes in the same order
 * (the usual case: the state was recorded from an evaluation in the same order, and most holds do not change).
 */
function isChangedHold(recorded: readonly CreditHoldCause[] | null, evaluated: readonly CreditHoldCause[]) {
  if (recorded !== null && recorded.length === evaluated.length) {
    if (recorded.every((cause, index) => cause === evaluated[index])) return false;
  }
  return holdTransition(recorded, evaluated) !== null;
}

export function decisionOf(evaluation: CustomerCreditEvaluation, context: CreditContext): HoldDecision {
  return {
    causes: evaluation.causes,
    isWarning: evaluation.isWarning,
    isOverridden: isOverridden(evaluation, context),
    isChanged: isChangedHold(evaluation.recordedCauses, evaluation.causes),
  };
}

type GroupRow = {
  group_key: string;
  flags: number;
  days: number | null;
  disputes: bigint | null;
  recorded: string | null;
  customers: number;
};

/** The decision for a group of customers without a limit: the same rules, without the exposure they do not read. */
function groupDecision(row: GroupRow, context: CreditContext): HoldDecision {
  const position: CreditPosition = {
    limitMinor: null,
    exposureMinor: 0n,
    oldestOverdueDays: row.days,
    openDisputesMinor: row.disputes ?? 0n,
    hasOtherCurrencyDisputes: (row.flags & OTHER_CURRENCY_DISPUTES) !== 0,
    overrideMinor: 0n,
    hasActiveOverride: (row.flags & ACTIVE_OVERRIDE) !== 0,
    hasDunningHold: (row.flags & DUNNING_HOLD) !== 0,
  };
  const causes = holdCauses(position, context.settings);
  const recorded = (row.flags & RECORDED_STATE) === 0 ? null : (row.recorded ?? '');
  const recordedCauses =
    recorded === null || recorded === '' ? [] : (recorded.split(',') as CreditHoldCause[]);
  return {
    causes,
    isWarning: false,
    // The currency is not read: a write that adds nothing is never compared with a limit's currency.
    isOverridden: isOverridden({ causes, position, currency: context.baseCurrency }, context),
    isChanged: isChangedHold(recorded === null ? null : recordedCauses, causes),
  };
}

type ScreenRow = {
  group_key: string | null;
  customer_id: string | null;
  code: string | null;
  ordinal: number | null;
  flags: number;
  days: number | null;
  disputes: bigint | null;
  recorded: string | null;
  customers: number | null;
};

/**
 * One statement: every input group with its number of customers, every undecided customer, and the first
 * `rowCount` screened customers after `afterCode` in code order (rows told apart by which columns are set).
 */
export async function screenScope(
  tx: Tx,
  query: ScreenQuery,
  afterCode: string | undefined,
  rowCount: number,
): Promise<Screen> {
  const result = await sql<ScreenRow>`
    WITH ${screenedCtes(query)}
    SELECT ${groupKeySql('g')} AS group_key, NULL::uuid AS customer_id, NULL::text AS code, NULL::int AS ordinal,
      g.flags, g.days, g.disputes, g.recorded, g.customers
    FROM (
      SELECT s.flags, s.days, s.disputes, s.recorded, count(*)::int AS customers FROM screened s
      WHERE s.flags & ${NEEDS_FULL_EVALUATION} = 0
      GROUP BY s.flags, s.days, s.disputes, s.recorded
    ) g
    UNION ALL
    SELECT NULL, s.id, s.code, NULL, s.flags, NULL, NULL, NULL, NULL
    FROM screened s WHERE s.flags & ${NEEDS_FULL_EVALUATION} <> 0
    UNION ALL
    SELECT ${groupKeySql('r')}, r.id, r.code, (row_number() OVER (ORDER BY r.code))::int, r.flags,
      NULL, NULL, NULL, NULL
    FROM (SELECT s.* FROM screened s WHERE ${afterCodeSql(afterCode)} ORDER BY s.code LIMIT ${rowCount}) r`.execute(
    tx,
  );
  const screen: Screen = { groups: new Map(), undecidedIds: [], rows: [] };
  const ordered: { ordinal: number; row: ScreenedRow }[] = [];
  for (const row of result.rows) {
    if (row.customer_id === null && row.group_key !== null) {
      const decision = groupDecision(row as GroupRow, query.context);
      screen.groups.set(row.group_key, { key: row.group_key, decision, customers: row.customers ?? 0 });
    } else if (row.customer_id !== null && row.ordinal === null) {
      screen.undecidedIds.push(row.customer_id);
    } else if (row.customer_id !== null && row.code !== null && row.ordinal !== null) {
      const screened = { customerId: row.customer_id, code: row.code, groupKey: row.group_key };
      ordered.push({ ordinal: row.ordinal, row: screened });
    }
  }
  screen.rows = ordered.sort((a, b) => a.ordinal - b.ordinal).map((entry) => entry.row);
  return screen;
}

/** Which screened customers a page wants: those of some input groups, and some undecided ones by id. */
export type WantedCustomers = { groupKeys: readonly string[]; customerIds: readonly string[] };

/**
 * The next `rowCount` wanted customers after `afterCode`, in code order, for a page that needs more than the first
 * rows read. Only the wanted ones: when they are sparse (a list of warnings where nearly everyone is on hold), the
 * page is found in one statement instead of walking the scope a few rows at a time.
 */
export async function wantedRowsAfter(
  tx: Tx,
  query: ScreenQuery,
  afterCode: string,
  rowCount: number,
  wanted: WantedCustomers,
): Promise<ScreenedRow[]> {
  if (wanted.groupKeys.length === 0 && wanted.customerIds.length === 0) return [];
  const result = await sql<{ id: string; code: string; group_key: string | null }>`
    WITH ${screenedCtes(query)}
    SELECT s.id, s.code, k.group_key FROM screened s CROSS JOIN LATERAL (SELECT ${groupKeySql('s')} AS group_key) k
    WHERE ${afterCodeSql(afterCode)}
      AND (k.group_key = ANY(${[...wanted.groupKeys]}::text[]) OR s.id = ANY(${[...wanted.customerIds]}::uuid[]))
    ORDER BY s.code LIMIT ${rowCount}`.execute(tx);
  return result.rows.map((row) => ({ customerId: row.id, code: row.code, groupKey: row.group_key }));
}

/** The customers of the given input groups (those whose hold state changed, to be evaluated and recorded). */
export async function customersInGroups(
  tx: Tx,
  query: ScreenQuery,
  groupKeys: readonly string[],
): Promise<{ customerId: string; groupKey: string }[]> {
  if (groupKeys.length === 0) return [];
  const result = await sql<{ id: string; group_key: string }>`
    WITH ${screenedCtes(query)}
    SELECT s.id, k.group_key FROM screened s CROSS JOIN LATERAL (SELECT ${groupKeySql('s')} AS group_key) k
    WHERE k.group_key = ANY(${[...groupKeys]}::text[])`.execute(tx);
  return result.rows.map((row) => ({ customerId: row.id, groupKey: row.group_key }));
}

export type { ScreenQuery };
