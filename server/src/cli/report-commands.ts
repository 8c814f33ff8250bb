import { minorToDecimalString } from '@huikuan/core';
import { calendarDateSchema, slugSchema } from '@huikuan/core/contracts';
import type { Command } from 'commander';
import { customerBalancesAsOf } from '../modules/receipts/balances';
import { systemClock, todayIn, type Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { migrate } from '../platform/migrate';
import { databaseTargetOf, parseOption, withDatabase, type GlobalOptions } from './context';
import { findOrganizationBySlugOrThrow } from './organization-commands';

/**
 * `huikuan report balances`: each customer's balance (open invoices less unapplied credit) as of a date.
 *
 * The JSON is a contract used by automated checks: {"asOf", "currency", "customers": [{"code", "name", "open"}],
 * "total"}, money as exact decimal strings, zero balances left out, sorted by code (code-point order). `currency` is
 * the organization's base currency and `customers`/`total` hold only balances in it. Balances in other currencies
 * are never converted or mixed in: when there are any, an extra key `otherCurrencies` lists them the same way, one
 * entry per currency; it is absent when every balance is in the base currency.
 */

export type BalanceReportLine = { code: string; name: string; open: string };
export type CurrencyBalanceReport = { currency: string; customers: BalanceReportLine[]; total: string };
export type BalanceReport = {
  asOf: string;
  currency: string;
  customers: BalanceReportLine[];
  total: string;
  otherCurrencies?: CurrencyBalanceReport[];
};

export type ReportBalancesOptions = { org?: string; asOf?: string; json?: boolean };

type Row = { code: string; name: string; currency: string; balanceMinor: bigint };

function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function reportFor(currency: string, rows: readonly Row[]): CurrencyBalanceReport {
  const lines = rows
    .filter((row) => row.currency === currency && row.balanceMinor !== 0n)
    .sort((a, b) => byCodePoint(a.code, b.code));
  const totalMinor = lines.reduce((sum, row) => sum + row.balanceMinor, 0n);
  return {
    currency,
    customers: lines.map((row) => ({
      code: row.code,
      name: row.name,
      open: minorToDecimalString(row.balanceMinor, currency),
    })),
    total: minorToDecimalString(totalMinor, currency),
  };
}

/** Reads the whole organization's balances in one tenant transaction (two queries). */
export async function balanceReport(
  db: Database,
  organizationSlug: string,
  asOfRequested: string | null,
  clock: Clock = systemClock,
): Promise<BalanceReport> {
  const { tenantId } = await findOrganizationBySlugOrThrow(db, organizationSlug);
  return db.tenant(tenantId, async (tx) => {
    const org = await tx
      .selectFrom('organizations')
      .select(['base_currency', 'timezone'])
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    const asOf = asOfRequested ?? todayIn(clock, org.timezone);
    const balances = await customerBalancesAsOf(tx, tenantId, asOf);
    const ids = [...new Set(balances.map((row) => row.customerId))];
    const customers =
      ids.length === 0
        ? []
        : await tx
            .selectFrom('customers')
            .select(['id', 'code', 'name'])
            .where('tenant_id', '=', tenantId)
            .where('id', 'in', ids)
            .execute();
    const byId = new Map(customers.map((customer) => [customer.id, customer]));
    const rows: Row[] = balances.map((row) => ({
      code: byId.get(row.customerId)?.code ?? '',
      name: byId.get(row.customerId)?.name ?? '',
      currency: row.currency,
      balanceMinor: row.balanceMinor,
    }));
    const base = reportFor(org.base_currency, rows);
    const others = [...new Set(rows.map((row) => row.currency))]
      .filter((currency) => currency !== org.base_currency)
      .sort(byCodePoint)
      .map((currency) => reportFor(currency, rows))
      .filter((report) => report.customers.length > 0);
    return {
      asOf,
      currency: base.currency,
      customers: base.customers,
      total: base.total,
      ...(others.length > 0 ? { otherCurrencies: others } : {}),
    };
  });
}

function renderTable(report: BalanceReport): string {
  const sections = [report, ...(report.otherCurrencies ?? [])].map((section) => {
    const lines = section.customers.map((line) => `${line.code}\t${line.name}\t${line.open}`);
    return [
      `Balances in ${section.currency} as of ${report.asOf}`,
      ...lines,
      `Total\t\t${section.total}`,
    ].join('\n');
  });
  return sections.join('\n\n');
}

export function registerReportCommands(
  program: Command,
  env: NodeJS.ProcessEnv,
  print: (text: string) => void = (text) => console.log(text),
): void {
  const report = program.command('report').description('reports from the ledger');
  report
    .command('balances')
    .description("each customer's balance (open invoices less unapplied credit) as of a date")
    .requiredOption('--org <slug>', 'organization slug')
    .option('--as-of <date>', "YYYY-MM-DD (default: today in the organization's time zone)")
    .option('--json', 'print JSON: {"asOf","currency","customers":[{"code","name","open"}],"total"}')
    .action(async (options: ReportBalancesOptions, command: Command) => {
      const slug = parseOption(slugSchema, options.org, '--org');
      const asOf =
        options.asOf === undefined ? null : parseOption(calendarDateSchema, options.asOf, '--as-of');
      const target = databaseTargetOf(command.optsWithGlobals<GlobalOptions>(), env);
      const result = await withDatabase(target, async (db) => {
        await migrate(db);
        return balanceReport(db, slug, asOf);
      });
      print(options.json ? JSON.stringify(result) : renderTable(result));
    });
}
