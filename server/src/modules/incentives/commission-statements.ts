import {
  minorToDecimalString,
  monthOf,
  periodRangeOrThrow,
  rateToDecimalString,
  rulesInForce,
  totalCommission,
  type CalendarDate,
  type CommissionReason,
} from '@huikuan/core';
import type { CommissionStatement, CommissionSummary } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';
import {
  loadIncentiveContext,
  requireFinanceRole,
  ruleSetIdInForce,
  salespersonScopeCondition,
  visibleSalespersonOrThrow,
  type IncentiveContext,
} from './incentive-context';
import { draftStatementLines, type StatementLine } from './statement-lines';

type StatementMeta = {
  salespersonId: string;
  salespersonName: string;
  month: string;
  status: 'draft' | 'locked';
  statementId: string | null;
  lockedAt: Date | null;
  lockedByUserId: string | null;
  ruleSetId: string | null;
};

/** The statement as JSON: built from the lines alone, so a locked statement reads the same every time. */
export function toStatementView(meta: StatementMeta, lines: readonly StatementLine[]): CommissionStatement {
  const range = periodRangeOrThrow(meta.month);
  return {
    salespersonId: meta.salespersonId,
    salespersonName: meta.salespersonName,
    period: meta.month,
    from: range.from,
    to: range.to,
    status: meta.status,
    statementId: meta.statementId,
    lockedAt: meta.lockedAt?.toISOString() ?? null,
    lockedByUserId: meta.lockedByUserId,
    ruleSetId: meta.ruleSetId,
    lines: lines.map((line, index) => ({
      lineNo: index + 1,
      kind: line.kind,
      sourceId: line.sourceId,
      reasons: [...line.reasons],
      invoiceId: line.invoiceId,
      invoiceNumber: line.invoiceNumber,
      customerCode: line.customerCode,
      customerName: line.customerName,
      on: line.on,
      dueDate: line.dueDate,
      daysLate: line.daysLate,
      ageDays: line.ageDays,
      currency: line.currency,
      base: minorToDecimalString(line.baseMinor, line.currency),
      rate: rateToDecimalString(line.rateNumerator),
      commission: minorToDecimalString(line.commissionMinor, line.currency),
    })),
    totals: totalCommission(lines).map((total) => ({
      currency: total.currency,
      collected: minorToDecimalString(total.collectedMinor, total.currency),
      commission: minorToDecimalString(total.commissionMinor, total.currency),
    })),
  };
}

export async function lockedMonthsOf(tx: Tx, tenantId: string, salespersonId: string): Promise<Set<string>> {
  const rows = await tx
    .selectFrom('commission_statements')
    .select('period')
    .where('tenant_id', '=', tenantId)
    .where('salesperson_user_id', '=', salespersonId)
    .execute();
  return new Set(rows.map((row) => row.period));
}

async function lockedStatement(tx: Tx, tenantId: string, salespersonId: string, month: string) {
  const header = await tx
    .selectFrom('commission_statements')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('salesperson_user_id', '=', salespersonId)
    .where('period', '=', month)
    .executeTakeFirst();
  if (!header) return null;
  const rows = await sql<{
    kind: string;
    source_id: string;
    salesperson_user_id: string;
    reasons: string[];
    invoice_id: string | null;
    invoice_number: string | null;
    customer_code: string | null;
    customer_name: string | null;
    on_date: string;
    due_date: string | null;
    days_late: number | null;
    age_days: number | null;
    currency: string;
    base_minor: bigint;
    rate_numerator: bigint;
    commission_minor: bigint;
  }>`
    SELECT kind, source_id, salesperson_user_id, reasons, invoice_id, invoice_number, customer_code, customer_name,
      on_date::text AS on_date, due_date::text AS due_date, days_late, age_days, currency, base_minor,
      rate_numerator, commission_minor
    FROM commission_statement_lines
    WHERE tenant_id = ${tenantId} AND statement_id = ${header.id}
    ORDER BY line_no`.execute(tx);
  const lines: StatementLine[] = rows.rows.map((row) => ({
    kind: row.kind as StatementLine['kind'],
    sourceId: row.source_id,
    salespersonId: row.salesperson_user_id,
    invoiceId: row.invoice_id,
    currency: row.currency.trim(),
    baseMinor: BigInt(row.base_minor),
    rateNumerator: BigInt(row.rate_numerator),
    commissionMinor: BigInt(row.commission_minor),
    reasons: row.reasons as CommissionReason[],
    daysLate: row.days_late,
    ageDays: row.age_days,
    on: row.on_date as CalendarDate,
    dueDate: row.due_date as CalendarDate | null,
    invoiceNumber: row.invoice_number,
    customerCode: row.customer_code,
    customerName: row.customer_name,
  }));
  const meta: StatementMeta = {
    salespersonId,
    salespersonName: header.salesperson_name,
    month,
    status: 'locked',
    statementId: header.id,
    lockedAt: header.locked_at,
    lockedByUserId: header.locked_by_user_id,
    ruleSetId: header.rule_set_id,
  };
  return { meta, lines };
}

/** A salesperson's statement for a month: the stored one when locked, else computed now from the ledger. */
export async function statementIn(
  tx: Tx,
  context: IncentiveContext,
  salesperson: { id: string; name: string },
  month: string,
): Promise<{ meta: StatementMeta; lines: StatementLine[] }> {
  const locked = await lockedStatement(tx, context.tenantId, salesperson.id, month);
  if (locked) return locked;
  const lockedMonths = await lockedMonthsOf(tx, context.tenantId, salesperson.id);
  const lines = await draftStatementLines(tx, context, salesperson.id, month, lockedMonths);
  const meta: StatementMeta = {
    salespersonId: salesperson.id,
    salespersonName: salesperson.name,
    month,
    status: 'draft',
    statementId: null,
    lockedAt: null,
    lockedByUserId: null,
    ruleSetId: ruleSetIdInForce(context, month),
  };
  return { meta, lines };
}

export async function getCommissionStatement(
  deps: AppDeps,
  actor: Actor,
  salespersonId: string,
  month: string | undefined,
): Promise<CommissionStatement> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const salesperson = await visibleSalespersonOrThrow(tx, actor, salespersonId);
    const context = await loadIncentiveContext(tx, actor.tenantId, deps.clock);
    const { meta, lines } = await statementIn(tx, context, salesperson, month ?? monthOf(context.today));
    return toStatementView(meta, lines);
  });
}

/**
 * Everyone in the actor's scope who could have a statement for the month: owners of customers and anyone with a
 * locked line (a clawback can follow a salesperson after their customers moved).
 */
export async function statementCandidates(tx: Tx, tenantId: string, actor: Actor | null) {
  const scope = actor ? salespersonScopeCondition(recordScope(actor), 'u') : sql<boolean>`true`;
  const rows = await sql<{ id: string; name: string }>`
    SELECT u.id, u.name FROM users u
    WHERE u.tenant_id = ${tenantId} AND ${scope}
      AND (EXISTS (SELECT 1 FROM customers c WHERE c.tenant_id = u.tenant_id AND c.owner_user_id = u.id)
        OR EXISTS (SELECT 1 FROM commission_statements s
                   WHERE s.tenant_id = u.tenant_id AND s.salesperson_user_id = u.id))
    ORDER BY u.name, u.id`.execute(tx);
  return rows.rows;
}

export async function listCommissionStatements(
  deps: AppDeps,
  actor: Actor,
  month: string,
): Promise<CommissionSummary> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadIncentiveContext(tx, actor.tenantId, deps.clock);
    const items: CommissionSummary['items'] = [];
    for (const salesperson of await statementCandidates(tx, actor.tenantId, actor)) {
      const found = await statementIn(tx, context, salesperson, month);
      const statement = toStatementView(found.meta, found.lines);
      if (statement.status === 'draft' && statement.lines.length === 0) continue;
      items.push({
        salespersonId: salesperson.id,
        salespersonName: statement.salespersonName,
        status: statement.status,
        lineCount: statement.lines.length,
        totals: statement.totals,
      });
    }
    return { period: month, items };
  });
}

/**
 * 审核并锁定: finance approves a month's statement for a salesperson. Its lines are stored as they are now and
 * never rewritten; money that reaches the ledger later for that month, and reversals of what it paid, land in the
 * next open statement. Only a month that has ended can be locked.
 */
export async function lockCommissionStatement(
  deps: AppDeps,
  actor: Actor,
  salespersonId: string,
  month: string,
): Promise<CommissionStatement> {
  requireFinanceRole(actor);
  if (!actor.userId) throw new AppError('forbidden');
  const lockerId = actor.userId;
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const salesperson = await visibleSalespersonOrThrow(tx, actor, salespersonId);
    // Locks of one salesperson's statements queue behind each other.
    await tx
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', salespersonId)
      .forUpdate()
      .execute();
    const context = await loadIncentiveContext(tx, actor.tenantId, deps.clock);
    if (periodRangeOrThrow(month).to >= context.today) {
      throw new AppError('conflict', {
        detail: `${month} has not ended yet; lock it from the next month on`,
      });
    }
    const { meta, lines } = await statementIn(tx, context, salesperson, month);
    if (meta.status === 'locked') throw new AppError('conflict', { detail: `${month} is already locked` });
    const header = await tx
      .insertInto('commission_statements')
      .values({
        tenant_id: actor.tenantId,
        salesperson_user_id: salespersonId,
        period: month,
        salesperson_name: salesperson.name,
        rule_set_id: meta.ruleSetId,
        rules: JSON.stringify(rulesInForce(context.ruleVersions, month)),
        locked_by_user_id: lockerId,
        locked_at: deps.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (lines.length > 0) {
      await tx
        .insertInto('commission_statement_lines')
        .values(
          lines.map((line, index) => ({
            tenant_id: actor.tenantId,
            statement_id: header.id,
            line_no: index + 1,
            salesperson_user_id: salespersonId,
            kind: line.kind,
            source_id: line.sourceId,
            reasons: [...line.reasons],
            invoice_id: line.invoiceId,
            invoice_number: line.invoiceNumber,
            customer_code: line.customerCode,
            customer_name: line.customerName,
            on_date: line.on,
            due_date: line.dueDate,
            days_late: line.daysLate,
            age_days: line.ageDays,
            currency: line.currency,
            base_minor: line.baseMinor,
            rate_numerator: line.rateNumerator,
            commission_minor: line.commissionMinor,
          })),
        )
        .execute();
    }
    const view = toStatementView(
      {
        ...meta,
        status: 'locked',
        statementId: header.id,
        lockedAt: header.locked_at,
        lockedByUserId: lockerId,
      },
      lines,
    );
    await recordAudit(tx, actor, {
      action: 'commission_statement.locked',
      entityType: 'commission_statement',
      entityId: header.id,
      after: { salespersonId, period: month, lineCount: lines.length, totals: view.totals },
    });
    const stored = await lockedStatement(tx, actor.tenantId, salespersonId, month);
    if (!stored) throw new Error('the statement just locked is missing');
    return toStatementView(stored.meta, stored.lines);
  });
}
