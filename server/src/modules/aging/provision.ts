import {
  minorToDecimalString,
  type CalendarDate,
  type RecordScope,
  RECEIVABLE_CLASSES,
  type AgingSettings,
} from '@huikuan/core';
import { type ProvisionReport } from '@huikuan/core/contracts';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { recordScope, type Actor } from '../../platform/request-context';
import { loadAgingContext } from './aging-settings';
import { tuneForReport } from './report-session';
import { dayOf, ledgerView, type CustomerInfo } from './ledger-cache';
import { openItemsAt, provisionOf, rangeTable, toMinor } from './ledger-scan';
import { assertAgreesWithLedger, ledgerOpenForView } from './open-items';
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
 * Provision per customer, currency and class from one pass over the ledger copy (ledger-cache.ts). Each invoice's
 * provision is rounded half up on its own ((open × bp + 5000) div 10000, open ≥ 0) and then summed, as core's
 * provisionMinor does, so every total equals the sum of its invoices' provisions. Classes are always aged from the
 * due date. Checked against the ledger's open balance on every run.
 */
export async function computeProvision(
  tx: Tx,
  tenantId: string,
  scope: RecordScope,
  settings: AgingSettings,
  asOf: string,
  filter?: ReportFilter,
): Promise<ProvisionRow[]> {
  const view = await ledgerView(tx, tenantId, { scope, filter });
  const { ledger } = view;
  const asOfDay = dayOf(asOf);
  const items = openItemsAt(view, asOfDay);
  const classOf = rangeTable(settings.classBoundsDays);
  const rates = RECEIVABLE_CLASSES.map((key) => settings.provisionBp[key]);
  const currencies = ledger.currencies.length;
  const classes = RECEIVABLE_CLASSES.length;
  const openSums = new Float64Array(ledger.customers.length * currencies * classes);
  const provisionSums = new Float64Array(openSums.length);
  const seen = new Uint8Array(openSums.length);
  for (let item = 0; item < items.length; item += 1) {
    const amount = items.amounts[item] ?? 0;
    const classIndex = classOf(asOfDay - (items.dueDay[item] ?? 0));
    const cell =
      ((items.customer[item] ?? 0) * currencies + (items.currency[item] ?? 0)) * classes + classIndex;
    openSums[cell] = (openSums[cell] ?? 0) + amount;
    provisionSums[cell] = (provisionSums[cell] ?? 0) + provisionOf(amount, rates[classIndex] ?? 0);
    seen[cell] = 1;
  }
  const rows: ProvisionRow[] = [];
  for (let cell = 0; cell < seen.length; cell += 1) {
    if (seen[cell] !== 1) continue;
    const customer = ledger.customers[Math.floor(cell / (currencies * classes))] as CustomerInfo;
    rows.push({
      customer_id: customer.id,
      code: customer.code,
      name: customer.name,
      currency: ledger.currencies[Math.floor(cell / classes) % currencies] ?? '',
      class_index: cell % classes,
      open_minor: toMinor(openSums[cell] ?? 0),
      provision_minor: toMinor(provisionSums[cell] ?? 0),
    });
  }
  const reportTotals = new Map<string, bigint>();
  for (const row of rows) {
    reportTotals.set(row.currency, (reportTotals.get(row.currency) ?? 0n) + row.open_minor);
  }
  const ledgerTotals = await ledgerOpenForView(tx, view, tenantId, asOf, scope, filter);
  assertAgreesWithLedger(reportTotals, ledgerTotals, 'Provision');
  return rows;
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
