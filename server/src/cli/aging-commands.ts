import { minorToDecimalString, type RecordScope } from '@huikuan/core';
import { calendarDateSchema, slugSchema } from '@huikuan/core/contracts';
import type { Command } from 'commander';
import { z } from 'zod';
import { computeAging, type AgingGroup } from '../modules/aging/aging-report';
import { loadAgingContext } from '../modules/aging/aging-settings';
import { systemClock, todayIn, type Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { migrate } from '../platform/migrate';
import { databaseTargetOf, parseOption, withDatabase, type GlobalOptions } from './context';
import { findOrganizationBySlugOrThrow } from './organization-commands';

/**
 * `huikuan report aging`: open invoices by days past due (due-date basis) as of a date, for the whole organization.
 *
 * The JSON is a contract used by automated checks: {"asOf", "currency", "buckets": ["not_due", "1-30", …],
 * "rows": [{"key", "name", "buckets": {bucket: "decimal"}, "total"}], "totals": {bucket: "decimal"}, "total"}.
 * Money is exact decimal strings; rows with a zero total are left out; rows are sorted by key in code-point order.
 * Keys: customer code (--by customer, the default), the salesperson's email (--by salesperson), the team's name
 * (--by team), the contract number (--by contract); items without a salesperson, team or contract form one row
 * keyed "(none)" with an empty name. `currency` is the base currency and rows/totals hold only amounts in it; as
 * with `report balances`, other currencies are never converted: `otherCurrencies` lists them the same way
 * ({"currency", "rows", "totals", "total"}), and is absent when there are none.
 */

export const AGING_CLI_DIMENSIONS = ['customer', 'salesperson', 'team', 'contract'] as const;
type CliDimension = (typeof AGING_CLI_DIMENSIONS)[number];

export type AgingCliRow = { key: string; name: string; buckets: Record<string, string>; total: string };
export type AgingCliSection = {
  currency: string;
  rows: AgingCliRow[];
  totals: Record<string, string>;
  total: string;
};
export type AgingCliReport = {
  asOf: string;
  currency: string;
  buckets: string[];
  rows: AgingCliRow[];
  totals: Record<string, string>;
  total: string;
  otherCurrencies?: AgingCliSection[];
};

function sectionFor(
  currency: string,
  buckets: readonly string[],
  groups: readonly AgingGroup[],
): AgingCliSection {
  const mine = groups.filter((group) => group.currency === currency);
  const decimals = (values: readonly bigint[]) =>
    Object.fromEntries(
      buckets.map((key, index) => [key, minorToDecimalString(values[index] ?? 0n, currency)]),
    );
  const totals = buckets.map((_, index) =>
    mine.reduce((sum, group) => sum + (group.columnsMinor[index] ?? 0n), 0n),
  );
  return {
    currency,
    rows: mine.map((group) => ({
      key: group.key,
      name: group.name,
      buckets: decimals(group.columnsMinor),
      total: minorToDecimalString(group.totalMinor, currency),
    })),
    totals: decimals(totals),
    total: minorToDecimalString(
      mine.reduce((sum, group) => sum + group.totalMinor, 0n),
      currency,
    ),
  };
}

/** The whole organization's aging in one tenant transaction (a fixed number of queries, checked against the ledger). */
export async function agingCliReport(
  db: Database,
  organizationSlug: string,
  asOfRequested: string | null,
  by: CliDimension,
  clock: Clock = systemClock,
): Promise<AgingCliReport> {
  const { tenantId } = await findOrganizationBySlugOrThrow(db, organizationSlug);
  const everything: RecordScope = { kind: 'all' };
  return db.tenant(tenantId, async (tx) => {
    const context = await loadAgingContext(tx, tenantId);
    const asOf = asOfRequested ?? todayIn(clock, context.timezone);
    const result = await computeAging(tx, tenantId, everything, context.settings, {
      asOf,
      by,
      basis: 'due_date',
      view: 'buckets',
    });
    const base = sectionFor(context.baseCurrency, result.columns, result.groups);
    const others = [...new Set(result.groups.map((group) => group.currency))]
      .filter((currency) => currency !== context.baseCurrency)
      .sort((a, b) => (a === b ? 0 : a < b ? -1 : 1))
      .map((currency) => sectionFor(currency, result.columns, result.groups));
    return {
      asOf,
      currency: base.currency,
      buckets: result.columns,
      rows: base.rows,
      totals: base.totals,
      total: base.total,
      ...(others.length > 0 ? { otherCurrencies: others } : {}),
    };
  });
}

function renderTable(report: AgingCliReport): string {
  const sections = [report, ...(report.otherCurrencies ?? [])].map((section) => {
    const header = ['Key', 'Name', ...report.buckets, 'Total'].join('\t');
    const lines = section.rows.map((row) =>
      [row.key, row.name, ...report.buckets.map((key) => row.buckets[key]), row.total].join('\t'),
    );
    const totals = ['Total', '', ...report.buckets.map((key) => section.totals[key]), section.total].join(
      '\t',
    );
    return [`Aging in ${section.currency} as of ${report.asOf}`, header, ...lines, totals].join('\n');
  });
  return sections.join('\n\n');
}

type ReportAgingOptions = { org?: string; asOf?: string; by?: string; json?: boolean };

/** Adds `aging` to the existing `report` command group (the one registerReportCommands creates). */
export function addAgingReport(
  report: Command,
  env: NodeJS.ProcessEnv,
  print: (text: string) => void = (text) => console.log(text),
): void {
  report
    .command('aging')
    .description('open invoices by days past due as of a date')
    .requiredOption('--org <slug>', 'organization slug')
    .option('--as-of <date>', "YYYY-MM-DD (default: today in the organization's time zone)")
    .option('--by <dimension>', 'customer | salesperson | team | contract', 'customer')
    .option(
      '--json',
      'print JSON: {"asOf","currency","buckets","rows":[{"key","name","buckets","total"}],"totals","total"}',
    )
    .action(async (options: ReportAgingOptions, command: Command) => {
      const slug = parseOption(slugSchema, options.org, '--org');
      const asOf =
        options.asOf === undefined ? null : parseOption(calendarDateSchema, options.asOf, '--as-of');
      const by = parseOption(z.enum(AGING_CLI_DIMENSIONS), options.by, '--by');
      const target = databaseTargetOf(command.optsWithGlobals<GlobalOptions>(), env);
      const result = await withDatabase(target, async (db) => {
        await migrate(db);
        return agingCliReport(db, slug, asOf, by);
      });
      print(options.json ? JSON.stringify(result) : renderTable(result));
    });
}

/**
 * Wires `report aging` into a program: finds the `report` group registerReportCommands created (call this after
 * it), or creates the group when it is absent.
 */
export function registerAgingCommands(
  program: Command,
  env: NodeJS.ProcessEnv,
  print?: (text: string) => void,
): void {
  const report =
    program.commands.find((command) => command.name() === 'report') ??
    program.command('report').description('reports from the ledger');
  addAgingReport(report, env, print);
}
