import {
  minorToDecimalString,
  type CalendarDate,
  type RecordScope,
  RECEIVABLE_CLASSES,
  type AgingSettings,
} from '@huikuan/core';
import { type ProvisionReport } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { recordScope, type Actor } from '../../platform/request-context';
import { loadAgingContext } from './aging-settings';
import { tuneForReport } from './report-session';
import { assertAgreesWithLedger, ledgerOpenByCurrency, openItemsCte, rangeIndexSql } from './open-items';
import type { ReportFilter } from './report-filter';

type ProvisionRow = {
  customer_id: string;
  code: string;
  name: string;
  currency: string;
  class_index: number;
  open_minor: bigint;
  provision_minor: bigint;
};

/**
 * Provision per customer, currency and class in one query. Each invoice's provision is rounded half up on its own
 * ((open × bp + 5000) div 10000, open ≥ 0) and then summed, as core's provisionMinor does, so every total equals
 * the sum of its invoices' provisions. Classes are always aged from the due date.
 */
export async function computeProvision(
  tx: Tx,
  tenantId: string,
  scope: RecordScope,
  settings: AgingSettings,
  asOf: string,
  filter?: ReportFilter,
): Promise<ProvisionRow[]> {
  const classIndex = rangeIndexSql(settings.classBoundsDays);
  const rates = RECEIVABLE_CLASSES.map(
    (key, index) => sql`WHEN ${index}::int THEN ${settings.provisionBp[key]}::bigint`,
  );
  const result = await sql<ProvisionRow>`
    ${openItemsCte(tenantId, asOf, 'due_date', scope, filter)},
    classified AS (
      SELECT o.customer_id, o.currency, o.open_minor, ${classIndex} AS class_index FROM open_items o
    )
    SELECT k.customer_id, c.code, c.name, k.currency, k.class_index, k.open_minor::bigint AS open_minor,
      k.provision_minor::bigint AS provision_minor
    FROM (
      SELECT k.customer_id, k.currency, k.class_index, sum(k.open_minor) AS open_minor,
        sum((k.open_minor * (CASE k.class_index ${sql.join(rates, sql` `)} END) + 5000) / 10000) AS provision_minor
      FROM classified k
      GROUP BY k.customer_id, k.currency, k.class_index
    ) k
    JOIN customers c ON c.tenant_id = ${tenantId} AND c.id = k.customer_id`.execute(tx);
  const reportTotals = new Map<string, bigint>();
  for (const row of result.rows) {
    reportTotals.set(row.currency, (reportTotals.get(row.currency) ?? 0n) + row.open_minor);
  }
  const ledgerTotals = await ledgerOpenByCurrency(tx, tenantId, asOf, scope, filter);
  assertAgreesWithLedger(reportTotals, ledgerTotals, 'Provision');
  return result.rows;
}

function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function sectionOf(currency: string, rows: readonly ProvisionRow[], settings: AgingSettings) {
  const money = (amountMinor: bigint) => minorToDecimalString(amountMinor, currency);
  const mine = rows.filter((row) => row.currency === currency);
  const classes = RECEIVABLE_CLASSES.map((key, index) => {
    const inClass = mine.filter((row) => row.class_index === index);
    return {
      class: key,
      rateBp: settings.provisionBp[key],
      open: money(inClass.reduce((sum, row) => sum + row.open_minor, 0n)),
      provision: money(inClass.reduce((sum, row) => sum + row.provision_minor, 0n)),
    };
  });
  const customers = new Map<
    string,
    { customerId: string; code: string; name: string; open: bigint; provision: bigint }
  >();
  for (const row of mine) {
    const entry = customers.get(row.customer_id) ?? {
      customerId: row.customer_id,
      code: row.code,
      name: row.name,
      open: 0n,
      provision: 0n,
    };
    entry.open += row.open_minor;
    entry.provision += row.provision_minor;
    customers.set(row.customer_id, entry);
  }
  const customerLines = [...customers.values()].sort((a, b) => byCodePoint(a.code, b.code));
  return {
    currency,
    classes,
    customers: customerLines.map((line) => ({
      ...line,
      open: money(line.open),
      provision: money(line.provision),
    })),
    total: {
      open: money(mine.reduce((sum, row) => sum + row.open_minor, 0n)),
      provision: money(mine.reduce((sum, row) => sum + row.provision_minor, 0n)),
    },
  };
}

export async function provisionReport(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  query: { asOf?: CalendarDate | undefined } & ReportFilter,
): Promise<ProvisionReport> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadAgingContext(tx, actor.tenantId);
    await tuneForReport(tx);
    const asOf = query.asOf ?? todayIn(deps.clock, context.timezone);
    const filter = { teamId: query.teamId, salespersonId: query.salespersonId };
    const rows = await computeProvision(
      tx,
      actor.tenantId,
      recordScope(actor),
      context.settings,
      asOf,
      filter,
    );
    const currencies = [...new Set(rows.map((row) => row.currency))].sort(
      (a, b) => Number(b === context.baseCurrency) - Number(a === context.baseCurrency) || byCodePoint(a, b),
    );
    return { asOf, currencies: currencies.map((currency) => sectionOf(currency, rows, context.settings)) };
  });
}
