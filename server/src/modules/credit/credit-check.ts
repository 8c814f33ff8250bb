import {
  creditBlockCauses,
  minorToDecimalString,
  type CalendarDate,
  type CreditBlockCause,
  type ImportIssue,
} from '@huikuan/core';
import { recordAudit, type AuditActor } from '../../platform/audit';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import { contractUninvoicedMinor, evaluateCustomers, type CustomerCreditEvaluation } from './credit-position';
import { loadCreditContext } from './credit-settings';
import { recordHoldTransitions } from './hold-state';

/**
 * The one credit check (停止供货) every write that creates exposure goes through. It evaluates the customer live, in
 * the write's own transaction and under a lock on the customer row, so it is never stale and two concurrent writes
 * for one customer cannot both squeeze under the limit.
 */

export type CreditAction =
  | 'contract.create'
  | 'contract.copy'
  | 'contract.plan_increase'
  | 'invoice.create'
  | 'invoice.issue'
  | 'invoice_request.create'
  | 'import.contracts'
  | 'import.invoices';

export type CreditWriteInput = {
  customerId: string;
  /** What the write adds to exposure in `currency` (0 when it only re-labels exposure that already counts). */
  addedExposureMinor: bigint;
  currency: string;
  action: CreditAction;
};

/** A refused write: `customer_on_credit_hold` (409) with the causes; remembered so the refusal can be audited. */
export class CreditRefusal extends AppError {
  constructor(
    readonly customerId: string,
    readonly action: CreditAction,
    readonly causes: readonly CreditBlockCause[],
    readonly addedExposureMinor: bigint,
    evaluation: CustomerCreditEvaluation,
  ) {
    const currency = evaluation.currency;
    super('customer_on_credit_hold', {
      customer: `${evaluation.code} ${evaluation.name}`,
      customerId,
      causes: causes.join(', '),
      action,
      currency,
      exposure: minorToDecimalString(evaluation.position.exposureMinor, currency),
      limit: evaluation.limitMinor === null ? '' : minorToDecimalString(evaluation.limitMinor, currency),
      added: minorToDecimalString(addedExposureMinor, currency),
    });
  }
}

async function lockCustomers(tx: Tx, tenantId: string, customerIds: readonly string[]): Promise<void> {
  if (customerIds.length === 0) return;
  // In id order, so writes that lock several customers (imports) never deadlock with each other.
  await tx
    .selectFrom('customers')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', [...customerIds])
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

/**
 * Refuses the write with `customer_on_credit_hold` unless the customer's credit allows it (see core/src/credit.ts
 * creditBlockCauses); when it goes ahead, any change of the hold state is recorded in the write's transaction.
 * Call sites wrap their transaction in `withCreditRefusalRecorded`, which audits a refusal after the rollback.
 */
export async function assertCreditAllows(
  deps: Pick<AppDeps, 'clock'>,
  tx: Tx,
  actor: AuditActor,
  input: CreditWriteInput,
): Promise<void> {
  await lockCustomers(tx, actor.tenantId, [input.customerId]);
  const context = await loadCreditContext(tx, actor.tenantId);
  const today = todayIn(deps.clock, context.timezone);
  const [evaluation] = await evaluateCustomers(tx, actor.tenantId, context, today, {
    kind: 'ids',
    customerIds: [input.customerId],
  });
  if (!evaluation) throw notFound('customer');
  const causes = creditBlockCauses(evaluation.position, context.settings, {
    addedExposureMinor: input.addedExposureMinor,
    currency: input.currency,
    limitCurrency: evaluation.currency,
  });
  if (causes.length > 0) {
    throw new CreditRefusal(input.customerId, input.action, causes, input.addedExposureMinor, evaluation);
  }
  await recordHoldTransitions(tx, actor, [evaluation], 'write', today, deps.clock.now());
}

/** What an invoice (or invoice request) adds: its total beyond what its contract still has uninvoiced. */
export async function invoiceAddedExposureMinor(
  deps: Pick<AppDeps, 'clock'>,
  tx: Tx,
  tenantId: string,
  input: { totalMinor: bigint; contractId: string | null },
): Promise<bigint> {
  if (input.contractId === null) return input.totalMinor;
  const context = await loadCreditContext(tx, tenantId);
  const today = todayIn(deps.clock, context.timezone);
  const uninvoiced = await contractUninvoicedMinor(tx, tenantId, input.contractId, today);
  if (uninvoiced === null) return input.totalMinor;
  return uninvoiced >= input.totalMinor ? 0n : input.totalMinor - uninvoiced;
}

/**
 * Runs a write's transaction; when the credit check refused it, records the refusal (and any hold it revealed) in
 * a transaction of its own, since the write's was rolled back with everything in it.
 */
export async function withCreditRefusalRecorded<T>(
  deps: Pick<AppDeps, 'clock' | 'db'>,
  actor: AuditActor,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CreditRefusal) await recordRefusal(deps, actor, error);
    throw error;
  }
}

async function recordRefusal(
  deps: Pick<AppDeps, 'clock' | 'db'>,
  actor: AuditActor,
  refusal: CreditRefusal,
): Promise<void> {
  await deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadCreditContext(tx, actor.tenantId);
    const today = todayIn(deps.clock, context.timezone);
    const evaluations = await evaluateCustomers(tx, actor.tenantId, context, today, {
      kind: 'ids',
      customerIds: [refusal.customerId],
    });
    await recordHoldTransitions(tx, actor, evaluations, 'refused_write', today, deps.clock.now());
    await recordAudit(tx, actor, {
      action: 'credit.write_refused',
      entityType: 'customer',
      entityId: refusal.customerId,
      after: { action: refusal.action, causes: refusal.causes, params: refusal.params },
    });
  });
}

export type ImportCreditRow = {
  row: number;
  line: number;
  customerId: string;
  addedExposureMinor: bigint;
  currency: string;
};

/**
 * The same check for an import, set-based: every existing customer in the file is evaluated in one query, and the
 * rows of each are added up in file order. The first row of a customer that the check refuses becomes an issue
 * naming that row and the customer column, and any issue refuses the whole file. Hold changes seen here are
 * recorded (the import's transaction commits even when it writes nothing).
 */
export async function importCreditIssues(
  tx: Tx,
  actor: AuditActor,
  now: Date,
  rows: readonly ImportCreditRow[],
  customerColumn: string,
  action: CreditAction,
): Promise<ImportIssue[]> {
  const customerIds = [...new Set(rows.map((row) => row.customerId))].sort();
  if (customerIds.length === 0) return [];
  await lockCustomers(tx, actor.tenantId, customerIds);
  const context = await loadCreditContext(tx, actor.tenantId);
  const today: CalendarDate = todayIn({ now: () => now }, context.timezone);
  const evaluations = await evaluateCustomers(tx, actor.tenantId, context, today, {
    kind: 'ids',
    customerIds,
  });
  const byId = new Map(evaluations.map((evaluation) => [evaluation.customerId, evaluation]));
  const added = new Map<string, bigint>();
  const refused = new Map<string, ImportIssue>();
  for (const row of rows) {
    const evaluation = byId.get(row.customerId);
    if (!evaluation || refused.has(row.customerId)) continue;
    const sameCurrency = row.currency === evaluation.currency;
    const sum = (added.get(row.customerId) ?? 0n) + (sameCurrency ? row.addedExposureMinor : 0n);
    added.set(row.customerId, sum);
    const causes = creditBlockCauses(evaluation.position, context.settings, {
      addedExposureMinor: sameCurrency ? sum : row.addedExposureMinor,
      currency: row.currency,
      limitCurrency: evaluation.currency,
    });
    if (causes.length === 0) continue;
    refused.set(row.customerId, {
      row: row.row,
      line: row.line,
      column: customerColumn,
      message: `customer ${evaluation.code} fails credit control (${causes.join(', ')}); the import is refused`,
    });
  }
  const source = refused.size > 0 ? 'refused_write' : 'write';
  await recordHoldTransitions(tx, actor, evaluations, source, today, now);
  for (const customerId of refused.keys()) {
    await recordAudit(tx, actor, {
      action: 'credit.write_refused',
      entityType: 'customer',
      entityId: customerId,
      after: { action, issue: refused.get(customerId) },
    });
  }
  return [...refused.values()];
}
