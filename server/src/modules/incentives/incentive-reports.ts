import { minorToDecimalString, parseMoneyOrThrow, periodRangeOrThrow } from '@huikuan/core';
import type { Clock } from '../../platform/clock';
import type { CommissionStatement } from '@huikuan/core/contracts';
import type { Database } from '../../platform/db';
import { statementCandidates, statementIn, toStatementView } from './commission-statements';
import { loadIncentiveContext } from './incentive-context';
import { targetViews } from './target-progress';

/**
 * The reports behind `huikuan report commissions` and `huikuan report targets`, for the whole organization (the
 * CLI acts as the system, not as a user). Money is exact decimal strings; rows and totals are in the
 * organization's base currency, and lines in any other currency are listed under `otherCurrencies`, one entry per
 * currency, never converted (the key is absent when there are none).
 */

export type CommissionDetail = {
  lineNo: number;
  kind: string;
  on: string;
  invoice: string | null;
  customer: string | null;
  reasons: string[];
  base: string;
  rate: string;
  commission: string;
  status: 'draft' | 'locked';
};
export type CommissionRow = {
  salesperson: string;
  collected: string;
  commission: string;
  details: CommissionDetail[];
};
export type CommissionCurrencyReport = { currency: string; rows: CommissionRow[]; total: string };
export type CommissionsReport = {
  period: string;
  rows: CommissionRow[];
  total: string;
  otherCurrencies?: CommissionCurrencyReport[];
};

function sumDecimals(values: readonly string[], currency: string): string {
  const minor = values.reduce((sum, value) => sum + parseMoneyOrThrow(value, currency).amountMinor, 0n);
  return minorToDecimalString(minor, currency);
}

function sectionOf(currency: string, statements: readonly CommissionStatement[]): CommissionCurrencyReport {
  const rows = statements.flatMap((statement): CommissionRow[] => {
    const totals = statement.totals.find((total) => total.currency === currency);
    if (!totals) return [];
    return [
      {
        salesperson: statement.salespersonName,
        collected: totals.collected,
        commission: totals.commission,
        details: statement.lines
          .filter((line) => line.currency === currency)
          .map((line) => ({
            lineNo: line.lineNo,
            kind: line.kind,
            on: line.on,
            invoice: line.invoiceNumber,
            customer: line.customerCode,
            reasons: line.reasons,
            base: line.base,
            rate: line.rate,
            commission: line.commission,
            status: statement.status,
          })),
      },
    ];
  });
  return {
    currency,
    rows,
    total: sumDecimals(
      rows.map((row) => row.commission),
      currency,
    ),
  };
}

export async function commissionsReport(
  db: Database,
  clock: Clock,
  tenantId: string,
  month: string,
): Promise<CommissionsReport> {
  periodRangeOrThrow(month);
  return db.tenant(tenantId, async (tx) => {
    const context = await loadIncentiveContext(tx, tenantId, clock);
    const statements: CommissionStatement[] = [];
    for (const salesperson of await statementCandidates(tx, tenantId, null)) {
      const found = await statementIn(tx, context, salesperson, month);
      if (found.lines.length > 0) statements.push(toStatementView(found.meta, found.lines));
    }
    const base = sectionOf(context.baseCurrency, statements);
    const others = [...new Set(statements.flatMap((s) => s.totals.map((t) => t.currency)))]
      .filter((currency) => currency !== context.baseCurrency)
      .sort()
      .map((currency) => sectionOf(currency, statements));
    return {
      period: month,
      rows: base.rows,
      total: base.total,
      ...(others.length > 0 ? { otherCurrencies: others } : {}),
    };
  });
}

export type TargetReportRow = {
  level: string;
  name: string;
  measure: string;
  currency: string;
  target: string;
  carriedIn: string;
  effectiveTarget: string;
  actual: string;
  completion: number | null;
  shortfall: string;
  weightedCompletion: number | null;
};
export type TargetsReport = { period: string; from: string; to: string; targets: TargetReportRow[] };

const LEVEL_ORDER: Record<string, number> = { organization: 0, team: 1, salesperson: 2 };

export async function targetsReport(db: Database, tenantId: string, period: string): Promise<TargetsReport> {
  const range = periodRangeOrThrow(period);
  return db.tenant(tenantId, async (tx) => {
    const rows = await tx
      .selectFrom('collection_targets')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('period', '=', period)
      .execute();
    const views = await targetViews(tx, tenantId, rows);
    const targets = views
      .map((view) => ({
        level: view.level,
        name: view.name,
        measure: view.measure,
        currency: view.currency,
        target: view.amount,
        carriedIn: view.carriedIn,
        effectiveTarget: view.effectiveTarget,
        actual: view.actual,
        completion: view.completion,
        shortfall: view.shortfall,
        weightedCompletion: view.weightedCompletion,
      }))
      .sort(
        (a, b) =>
          a.measure.localeCompare(b.measure) ||
          (LEVEL_ORDER[a.level] ?? 3) - (LEVEL_ORDER[b.level] ?? 3) ||
          a.name.localeCompare(b.name),
      );
    return { period, from: range.from, to: range.to, targets };
  });
}
