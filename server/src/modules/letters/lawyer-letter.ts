import { calendarDateInZone, type LetterLocale, type Role } from '@huikuan/core';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { ApprovalRequestsTable } from '../../db/schema';
import { auditImage, auditInsertedRows, recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { Actor } from '../../platform/request-context';
import { registerApprovalEffect } from '../approvals/approval-effects';
import { arrayLiteral, textArrayLiteral } from '../dunning/array-literals';
import {
  firstContextOf,
  type DunningActionContext,
  type DunningActionOutcome,
  type DunningGroupOutcome,
  type DunningStepGroup,
  type GroupStepExecutor,
} from '../dunning/step-registry';
import { archiveLetter, archivedLetterBySourceKey, lockSourceKey } from './archive-letter';
import { renderLetterDetail } from './render-letter';
import {
  groupsByKey,
  chasedItemsOf,
  dunningAuditActor,
  lockSourceKeys,
  organizationLocale,
  stepKey,
  type ChasedLetterItem,
} from './step-support';

/**
 * 律师函 goes out only after legal (or an admin) approves it. The ladder's step files an approval request of kind
 * lawyer_letter — one per customer per run, like the 催款函 — and answers pending_approval; approving renders the
 * letter as of the decision day (money may have come in meanwhile), archives it and queues its e-mail, in the
 * decision's transaction. Nothing is sent if nothing is overdue any more by then.
 */

/**
 * What the request carries for the approver: the invoices by number. Their ids are the run's actions' (`actionId`,
 * and the customer's other lawyer_letter actions of the run). Repeated here they took a request's payload from
 * about 0.7 kB to 2 kB in the benchmark's first run, and put nearly every request and its audit entry past
 * PostgreSQL's 2 kB TOAST threshold (without them: about 0.9 s less of its CPU for 10,700 requests).
 */
type LawyerLetterPayload = {
  sourceKey: string;
  runId: string;
  actionId: string;
  asOf: string;
  locale: 'zh-CN' | 'en';
  invoiceNumbers: string[];
  maxDaysOverdue: number;
};

type Requester = { id: string; role: string };

/**
 * An approval needs someone who asked, and never the one who decides: the customer's owner (the collector), or
 * else an active finance user, sales manager or admin — never legal, who must stay free to approve. One query for
 * every customer of a batch.
 */
async function requestersFor(
  tx: Tx,
  tenantId: string,
  ownerUserIds: readonly (string | null)[],
): Promise<(ownerUserId: string | null) => Requester | undefined> {
  const owners = [...new Set(ownerUserIds.filter((id): id is string => id !== null))];
  const rows = await sql<Requester>`
    SELECT id, role FROM users
    WHERE tenant_id = ${tenantId} AND is_active
      AND (id = ANY(${arrayLiteral(owners)}::uuid[]) OR role IN ('finance', 'sales_manager', 'admin'))
    ORDER BY created_at`.execute(tx);
  // The fallback is never another customer's owner, and never legal (whom indexOf would have put first).
  const preference: Role[] = ['sales_manager', 'finance', 'admin'];
  const fallback = rows.rows
    .filter((row) => preference.includes(row.role as Role))
    .sort((a, b) => preference.indexOf(a.role as Role) - preference.indexOf(b.role as Role))[0];
  const byId = new Map(rows.rows.map((row) => [row.id, row]));
  return (ownerUserId) => {
    const owner = ownerUserId === null ? undefined : byId.get(ownerUserId);
    return owner && owner.role !== 'legal' ? owner : fallback;
  };
}

/**
 * The requests already filed under these keys (a customer whose items straddle two batches of a run, or an item
 * redone on its own), from the keys' own table: a lookup on the key inside the request's payload cannot use an
 * index under row-level security (`->>` is not leakproof), so it read every request of the tenant, per batch.
 */
async function existingRequests(
  tx: Tx,
  tenantId: string,
  keys: readonly string[],
): Promise<Map<string, string>> {
  const rows = await sql<{ source_key: string; approval_request_id: string }>`
    SELECT source_key, approval_request_id FROM lawyer_letter_requests
    WHERE tenant_id = ${tenantId} AND source_key = ANY(${[...keys]}::text[])`.execute(tx);
  return new Map(rows.rows.map((row) => [row.source_key, row.approval_request_id]));
}

type NewRequest = {
  key: string;
  context: DunningActionContext;
  requester: Requester;
  items: ChasedLetterItem[];
};

function requestRow(request: NewRequest, locale: LetterLocale) {
  const { context, items } = request;
  const currencies = [...new Set(items.map((item) => item.currency))];
  const single = currencies.length === 1 ? currencies[0] : undefined;
  const maxDaysOverdue = Math.max(0, ...items.map((item) => item.daysOverdue));
  const payload: LawyerLetterPayload = {
    sourceKey: request.key,
    runId: context.runId,
    actionId: context.actionId,
    asOf: context.asOf,
    locale,
    invoiceNumbers: items.map((item) => item.number),
    maxDaysOverdue,
  };
  return {
    key: request.key,
    customerId: context.customer.id,
    amountMinor: single ? items.reduce((sum, item) => sum + item.chasedMinor, 0n).toString() : null,
    currency: single ?? null,
    payload,
    reason:
      locale === 'zh-CN'
        ? `催收程序第 ${context.step.offsetDays} 天：${items.length} 张发票逾期未付（最长 ${maxDaysOverdue} 天），申请发送律师函`
        : `Dunning step +${context.step.offsetDays}: ${items.length} invoice(s) overdue (up to ${maxDaysOverdue} days); lawyer's letter requested`,
    requesterId: request.requester.id,
  };
}

/**
 * Every column of approval_requests, for the audit image. letters.test.ts compares the entry with the request as
 * `SELECT *` reads it, so a column the list misses fails there.
 */
const REQUEST_COLUMNS = [
  'tenant_id',
  'id',
  'kind',
  'status',
  'subject_type',
  'subject_id',
  'customer_id',
  'amount_minor',
  'currency',
  'payload',
  'reason',
  'requested_by_user_id',
  'decided_by_user_id',
  'decided_at',
  'decision_comment',
  'created_at',
] as const;

const REQUEST_IMAGE = auditImage('r', {
  all: REQUEST_COLUMNS,
  money: ['amount_minor'],
  timestamps: ['decided_at', 'created_at'],
});

/**
 * Files the batch's new requests, audits them (approval.requested under each requester, the row as stored, as
 * createApprovalRequestIn would) and keys them by their source, in one statement: the entries are made by PostgreSQL
 * from the rows, and nothing but each request's id comes back.
 */
async function fileRequests(
  tx: Tx,
  head: DunningStepGroup,
  requests: readonly NewRequest[],
  locale: LetterLocale,
): Promise<Map<string, string>> {
  if (requests.length === 0) return new Map();
  const rows = requests.map((request) => requestRow(request, locale));
  const text = (pick: (row: (typeof rows)[number]) => string | null) => textArrayLiteral(rows.map(pick));
  // The payloads as one JSON array, which PostgreSQL parses once: as a text array of JSON texts each was quoted and
  // escaped here and parsed twice there.
  const payloads = JSON.stringify(rows.map((row) => row.payload));
  const audits = auditInsertedRows(dunningAuditActor(head.tenantId, head.runId), {
    from: sql`inserted r`,
    actorUserId: sql`r.requested_by_user_id`,
    action: sql`'approval.requested'`,
    entityType: 'approval',
    entityId: sql`r.id::text`,
    after: REQUEST_IMAGE,
  });
  const inserted = await sql<{ id: string; source_key: string }>`
    WITH inserted AS (
      INSERT INTO approval_requests (tenant_id, kind, subject_type, subject_id, customer_id, amount_minor, currency,
        payload, reason, requested_by_user_id)
      SELECT ${head.tenantId}::uuid, 'lawyer_letter', 'customer', v.customer_id, v.customer_id, v.amount_minor,
        v.currency, (${payloads}::jsonb) -> (v.n - 1)::int, v.reason, v.requester_id
      FROM unnest(${arrayLiteral(rows.map((row) => row.customerId))}::uuid[], ${text((row) => row.amountMinor)}::bigint[],
        ${text((row) => row.currency)}::text[], ${text((row) => row.reason)}::text[],
        ${arrayLiteral(rows.map((row) => row.requesterId))}::uuid[])
        WITH ORDINALITY AS v (customer_id, amount_minor, currency, reason, requester_id, n)
      ORDER BY v.n
      RETURNING *
    ), audited AS (${audits}), keyed AS (
      INSERT INTO lawyer_letter_requests (tenant_id, source_key, approval_request_id)
      SELECT r.tenant_id, r.payload->>'sourceKey', r.id FROM inserted r
    )
    SELECT r.id, r.payload->>'sourceKey' AS source_key FROM inserted r`.execute(tx);
  if (inserted.rows.length !== rows.length) {
    throw new Error(`filed ${inserted.rows.length} of ${rows.length} lawyer's letter requests`);
  }
  return new Map(inserted.rows.map((row) => [row.source_key, row.id]));
}

const ONE_PER_RUN = 'one request per customer per run';

/**
 * The ladder's lawyer_letter step for a batch's groups: one approval request per customer per run (the first of
 * its actions files it, listing the customer's chased overdue items; the others point at it), and the rest left to
 * the decision. A fixed number of statements however many actions.
 */
export const requestLawyerLetters: GroupStepExecutor = async (groups) => {
  const head = groups[0];
  if (!head) return [];
  const { tx, tenantId } = head;
  const byKey = groupsByKey('lawyer', groups);
  const keys = [...byKey.keys()];
  await lockSourceKeys(tx, keys);
  const filed = await existingRequests(tx, tenantId, keys);
  const locale = await organizationLocale(tx, tenantId);
  const firsts = [...byKey].flatMap(([key, [group]]) =>
    group && !filed.has(key) ? [{ key, context: firstContextOf(group) }] : [],
  );
  const requesterOf = await requestersFor(
    tx,
    tenantId,
    firsts.map((first) => first.context.customer.ownerUserId),
  );
  const requests: NewRequest[] = [];
  for (const { key, context } of firsts) {
    const requester = requesterOf(context.customer.ownerUserId);
    if (requester)
      requests.push({
        key,
        context,
        requester,
        items: await chasedItemsOf(context, 'lawyer_letter', locale),
      });
  }
  for (const [key, id] of await fileRequests(tx, head, requests, locale)) filed.set(key, id);
  const filers = new Set(requests.map((request) => request.context.actionId));
  return groups.map((group): DunningGroupOutcome => {
    const refId = filed.get(stepKey('lawyer', group));
    if (refId === undefined) {
      const skipped = {
        outcome: 'skipped',
        detail: 'no active user to file the approval request under',
      } as const;
      return { first: skipped, others: skipped };
    }
    const joined: DunningActionOutcome = { outcome: 'pending_approval', refId, detail: ONE_PER_RUN };
    const isFiler = filers.has(group.first.actionId);
    return { first: isFiler ? { outcome: 'pending_approval', refId } : joined, others: joined };
  });
};

async function onLawyerLetterApproved(
  tx: Tx,
  actor: Actor,
  request: Selectable<ApprovalRequestsTable>,
): Promise<void> {
  const payload = request.payload as Partial<LawyerLetterPayload>;
  const key = `approval:${request.id}`;
  await lockSourceKey(tx, key);
  if (await archivedLetterBySourceKey(tx, actor.tenantId, key)) return;
  const organization = await tx
    .selectFrom('organizations')
    .select('timezone')
    .where('tenant_id', '=', actor.tenantId)
    .executeTakeFirstOrThrow();
  const decidedAt = request.decided_at ?? new Date();
  const letterRequest = {
    tenantId: actor.tenantId,
    kind: 'lawyer_letter' as const,
    customerId: request.subject_id,
    asOf: calendarDateInZone(decidedAt, organization.timezone),
    locale: payload.locale ?? (await organizationLocale(tx, actor.tenantId)),
  };
  const rendered = await renderLetterDetail(tx, { ...letterRequest, isChasedOnly: true });
  if (rendered.invoiceIds.length === 0) {
    await recordAudit(tx, actor, {
      action: 'letter.lawyer_letter_not_needed',
      entityType: 'approval',
      entityId: request.id,
      after: { asOf: letterRequest.asOf, reason: 'nothing overdue is being chased any more' },
    });
    return;
  }
  await archiveLetter(tx, {
    actor,
    request: letterRequest,
    rendered,
    source: { kind: 'approval', approvalRequestId: request.id },
    isEmailed: true,
  });
}

export function registerLawyerLetterApproval(): void {
  registerApprovalEffect('lawyer_letter', { onApproved: onLawyerLetterApproved });
}
