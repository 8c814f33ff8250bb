import {
  currencyExponent,
  type CalendarDate,
  type RecordScope,
  RECEIVABLE_CLASSES,
  type AgingSettings,
  byCodePoint,
} from '@huikuan/core';
import { provisionReportSchema, type ProvisionReport } from '@huikuan/core/contracts';
import { todayIn } from '../../platform/clock';
import { encodeJson, JsonWriter } from '../../platform/json-writer';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { recordScope, type Actor } from '../../platform/request-context';
import { loadAgingContext } from './aging-settings';
import { tuneForReport } from './report-session';
import { dayOf, ledgerView, type CustomerInfo, type LedgerView } from './ledger-cache';
import { openItemsAt, provisionOf, rangeTable, toMinor } from './ledger-scan';
import { customerRowHeads } from './row-heads';
import { assertAgreesWithLedger, ledgerOpenForView } from './open-items';
import type { ReportFilter } from './report-filter';

/** Per customer, currency and class (cell = (customer × currencies + currency) × classes + class). */
type ProvisionSums = {
  view: LedgerView;
  classes: number;
  open: Float64Array;
  provision: Float64Array;
  /** 1 where the customer has an open item of that currency (its row is shown even if the sums net to zero). */
  seen: Uint8Array;
};

/**
 * Provision per customer, currency and class from one pass over the ledger copy's open items (ledger-cache.ts).
 * Each invoice's provision is rounded half up on its own ((open × bp + 5000) div 10000, open ≥ 0) and then summed,
 * as core's provisionMinor does, so every total equals the sum of its invoices' provisions. Classes are always aged
 * from the due date. Checked against the ledger's open balance on every run.
 */
async function computeProvision(
  tx: Tx,
  tenantId: string,
  scope: RecordScope,
  settings: AgingSettings,
  asOf: string,
  filter?: ReportFilter,
): Promise<ProvisionSums> {
  const view = await ledgerView(tx, tenantId, { scope, filter });
  const { ledger } = view;
  const asOfDay = dayOf(asOf);
  const items = openItemsAt(view, asOfDay);
  const classOf = rangeTable(settings.classBoundsDays);
  const rates = RECEIVABLE_CLASSES.map((key) => settings.provisionBp[key]);
  const currencies = ledger.currencies.length;
  const classes = RECEIVABLE_CLASSES.length;
  const open = new Float64Array(ledger.customers.length * currencies * classes);
  const provision = new Float64Array(open.length);
  const seen = new Uint8Array(ledger.customers.length * currencies);
  const byCurrency = new Float64Array(currencies);
  for (let item = 0; item < items.length; item += 1) {
    const amount = items.amounts[item] ?? 0;
    const classIndex = classOf(asOfDay - (items.dueDay[item] ?? 0));
    const currency = items.currency[item] ?? 0;
    const pair = (items.customer[item] ?? 0) * currencies + currency;
    const cell = pair * classes + classIndex;
    open[cell] = (open[cell] ?? 0) + amount;
    provision[cell] = (provision[cell] ?? 0) + provisionOf(amount, rates[classIndex] ?? 0);
    seen[pair] = 1;
    byCurrency[currency] = (byCurrency[currency] ?? 0) + amount;
  }
  const reportTotals = new Map<string, bigint>();
  byCurrency.forEach((amount, index) => {
    if (amount !== 0) reportTotals.set(ledger.currencies[index] ?? '', toMinor(amount));
  });
  const ledgerTotals = await ledgerOpenForView(tx, view, tenantId, asOf, scope, filter);
  assertAgreesWithLedger(reportTotals, ledgerTotals, 'Provision');
  return { view, classes, open, provision, seen };
}

/** A customer line's beginning, kept per customer (row-heads.ts). */
const provisionRowHead = (customer: CustomerInfo) =>
  `{"customerId":${JSON.stringify(customer.id)},"code":${JSON.stringify(customer.code)},"name":${JSON.stringify(customer.name)},"open":`;

const PROVISION_KEY = encodeJson(',"provision":');
const NEXT_LINE = encodeJson('},');

/**
 * One currency's section as JSON, written straight from the sums (platform/json-writer.ts): the class lines, every
 * customer with an open item in that currency (in code order, from the copy's kept order) and the total.
 */
function writeSection(
  out: JsonWriter,
  sums: ProvisionSums,
  currencyIndex: number,
  settings: AgingSettings,
): void {
  const { ledger } = sums.view;
  const currencies = ledger.currencies.length;
  const currency = ledger.currencies[currencyIndex] ?? '';
  const exponent = currencyExponent(currency);
  const classOpen = new Float64Array(sums.classes);
  const classProvision = new Float64Array(sums.classes);
  const heads = customerRowHeads(ledger, provisionRowHead);
  out.raw('{"currency":').string(currency).raw(',"customers":[');
  let first = true;
  for (const customerIndex of ledger.customersByCode()) {
    const pair = customerIndex * currencies + currencyIndex;
    if (sums.seen[pair] !== 1) continue;
    let open = 0;
    let provision = 0;
    for (let classIndex = 0; classIndex < sums.classes; classIndex += 1) {
      const cell = pair * sums.classes + classIndex;
      open += sums.open[cell] ?? 0;
      provision += sums.provision[cell] ?? 0;
      classOpen[classIndex] = (classOpen[classIndex] ?? 0) + (sums.open[cell] ?? 0);
      classProvision[classIndex] = (classProvision[classIndex] ?? 0) + (sums.provision[cell] ?? 0);
    }
    if (!first) out.raw(',');
    first = false;
    out.bytes(
      heads[customerIndex] ?? encodeJson(provisionRowHead(ledger.customers[customerIndex] as CustomerInfo)),
    );
    out.decimal(open, exponent).bytes(PROVISION_KEY).decimal(provision, exponent).raw('}');
  }
  out.raw('],"classes":[');
  let totalOpen = 0;
  let totalProvision = 0;
  RECEIVABLE_CLASSES.forEach((key, classIndex) => {
    totalOpen += classOpen[classIndex] ?? 0;
    totalProvision += classProvision[classIndex] ?? 0;
    out.raw(`{"class":${JSON.stringify(key)},"rateBp":${settings.provisionBp[key]},"open":`);
    out.decimal(classOpen[classIndex] ?? 0, exponent).bytes(PROVISION_KEY);
    out
      .decimal(classProvision[classIndex] ?? 0, exponent)
      .bytes(classIndex === sums.classes - 1 ? CLOSE : NEXT_LINE);
  });
  out
    .raw('],"total":{"open":')
    .decimal(totalOpen, exponent)
    .bytes(PROVISION_KEY)
    .decimal(totalProvision, exponent);
  out.raw('}}');
}

const CLOSE = encodeJson('}');

/** The provision report as the JSON GET /api/provision answers (provisionReportSchema), in UTF-8 bytes. */
export async function provisionReportJson(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  query: { asOf?: CalendarDate | undefined } & ReportFilter,
): Promise<Buffer> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadAgingContext(tx, actor.tenantId);
    await tuneForReport(tx);
    const asOf = query.asOf ?? todayIn(deps.clock, context.timezone);
    const filter = { teamId: query.teamId, salespersonId: query.salespersonId };
    const sums = await computeProvision(
      tx,
      actor.tenantId,
      recordScope(actor),
      context.settings,
      asOf,
      filter,
    );
    const { ledger } = sums.view;
    const currencies = ledger.currencies.length;
    const shown = [...ledger.currencies.keys()]
      .filter((index) =>
        ledger.customers.some((_, customer) => sums.seen[customer * currencies + index] === 1),
      )
      .sort((a, b) => {
        const [codeA, codeB] = [ledger.currencies[a] ?? '', ledger.currencies[b] ?? ''];
        const base = context.baseCurrency;
        return Number(codeB === base) - Number(codeA === base) || byCodePoint(codeA, codeB);
      });
    const out = new JsonWriter().raw(`{"asOf":${JSON.stringify(asOf)},"currencies":[`);
    shown.forEach((currencyIndex, index) => {
      if (index > 0) out.raw(',');
      writeSection(out, sums, currencyIndex, context.settings);
    });
    return out.raw(']}').toBuffer();
  });
}

/** The provision report as an object (exports build their tables from it), read back through the contract. */
export async function provisionReport(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  query: { asOf?: CalendarDate | undefined } & ReportFilter,
): Promise<ProvisionReport> {
  return provisionReportSchema.parse(
    JSON.parse((await provisionReportJson(deps, actor, query)).toString('utf8')),
  );
}
