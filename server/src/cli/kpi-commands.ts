import { minorToDecimalString, type CalendarDate } from '@huikuan/core';
import { calendarDateSchema, slugSchema, type KpiRow } from '@huikuan/core/contracts';
import type { Command } from 'commander';
import { kpiRowsForPeriods, organizationOf } from '../modules/analytics/kpi-report';
import type { Database } from '../platform/db';
import { migrate } from '../platform/migrate';
import { CliUsageError, databaseTargetOf, parseOption, withDatabase, type GlobalOptions } from './context';
import { findOrganizationBySlugOrThrow } from './organization-commands';

/**
 * `huikuan report kpis`: the organization's receivables KPIs over a period (definitions in core/src/kpis.ts).
 *
 * The JSON is a contract used by automated checks, exactly these keys: {"from","to","openingAR","invoiced",
 * "collected","endingAR","endingCurrentAR","collectionRate","cei","dsoSimple","dsoCountback","bestPossibleDso",
 * "add","overdueRate","planCompletion"}. Money is exact decimal strings in the organization's base currency
 * (invoices in other currencies are left out, never converted); ratios are fractions (0.6, not 60) and null when
 * their denominator is zero.
 */

export type KpiCliReport = {
  from: string;
  to: string;
  openingAR: string;
  invoiced: string;
  collected: string;
  endingAR: string;
  endingCurrentAR: string;
  collectionRate: number | null;
  cei: number | null;
  dsoSimple: number | null;
  dsoCountback: number | null;
  bestPossibleDso: number | null;
  add: number | null;
  overdueRate: number | null;
  planCompletion: number | null;
};

export type ReportKpisOptions = { org?: string; from?: string; to?: string; json?: boolean };

/** Keeps exactly the contract's keys of a KPI row. */
function contractOf(from: string, to: string, row: KpiRow): KpiCliReport {
  return {
    from,
    to,
    openingAR: row.openingAR,
    invoiced: row.invoiced,
    collected: row.collected,
    endingAR: row.endingAR,
    endingCurrentAR: row.endingCurrentAR,
    collectionRate: row.collectionRate,
    cei: row.cei,
    dsoSimple: row.dsoSimple,
    dsoCountback: row.dsoCountback,
    bestPossibleDso: row.bestPossibleDso,
    add: row.add,
    overdueRate: row.overdueRate,
    planCompletion: row.planCompletion,
  };
}

/** An organization with nothing in its base currency: zero amounts, and every ratio without a denominator null. */
function emptyReport(from: string, to: string, currency: string): KpiCliReport {
  const zero = minorToDecimalString(0n, currency);
  return {
    from,
    to,
    openingAR: zero,
    invoiced: zero,
    collected: zero,
    endingAR: zero,
    endingCurrentAR: zero,
    collectionRate: null,
    cei: null,
    dsoSimple: null,
    dsoCountback: 0,
    bestPossibleDso: null,
    add: null,
    overdueRate: null,
    planCompletion: null,
  };
}

/** Reads the organization's KPIs in one tenant transaction (a fixed number of queries). */
export async function kpiReport(
  db: Database,
  organizationSlug: string,
  from: CalendarDate,
  to: CalendarDate,
): Promise<KpiCliReport> {
  if (from > to) throw new CliUsageError(`--from ${from} is after --to ${to}`);
  const { tenantId } = await findOrganizationBySlugOrThrow(db, organizationSlug);
  return db.tenant(tenantId, async (tx) => {
    const org = await organizationOf(tx, tenantId);
    const [rows = []] = await kpiRowsForPeriods(tx, tenantId, [{ from, to }], 'organization', {
      kind: 'all',
    });
    const row = rows.find((candidate) => candidate.currency === org.baseCurrency);
    return row ? contractOf(from, to, row) : emptyReport(from, to, org.baseCurrency);
  });
}

function renderTable(report: KpiCliReport): string {
  return Object.entries(report)
    .map(([name, value]) => `${name}\t${value === null ? '—' : String(value)}`)
    .join('\n');
}

/** Adds `kpis` under the `report` group that registerReportCommands created. */
export function addKpiReport(
  report: Command,
  env: NodeJS.ProcessEnv,
  print: (text: string) => void = (text) => console.log(text),
): void {
  report
    .command('kpis')
    .description('receivables KPIs (collection rate, CEI, DSO, overdue rate) over a period')
    .requiredOption('--org <slug>', 'organization slug')
    .requiredOption('--from <date>', 'first day of the period, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day of the period, YYYY-MM-DD')
    .option('--json', 'print JSON: {"from","to","openingAR","invoiced","collected",…,"overdueRate"}')
    .action(async (options: ReportKpisOptions, command: Command) => {
      const slug = parseOption(slugSchema, options.org, '--org');
      const from = parseOption(calendarDateSchema, options.from, '--from');
      const to = parseOption(calendarDateSchema, options.to, '--to');
      const target = databaseTargetOf(command.optsWithGlobals<GlobalOptions>(), env);
      const result = await withDatabase(target, async (db) => {
        await migrate(db);
        return kpiReport(db, slug, from, to);
      });
      print(options.json ? JSON.stringify(result) : renderTable(result));
    });
}

/** One-line wiring for cli.ts: finds the existing `report` group (created by registerReportCommands). */
export function registerKpiCommands(
  program: Command,
  env: NodeJS.ProcessEnv,
  print?: (text: string) => void,
): void {
  const report = program.commands.find((command) => command.name() === 'report');
  if (!report) throw new Error('registerReportCommands must run before registerKpiCommands');
  addKpiReport(report, env, print);
}
