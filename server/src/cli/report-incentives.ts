import { monthSchema, slugSchema, targetPeriodSchema } from '@huikuan/core/contracts';
import type { Command } from 'commander';
import {
  commissionsReport,
  targetsReport,
  type CommissionsReport,
  type TargetsReport,
} from '../modules/incentives';
import { systemClock, type Clock } from '../platform/clock';
import { migrate } from '../platform/migrate';
import { databaseTargetOf, parseOption, withDatabase, type GlobalOptions } from './context';
import { findOrganizationBySlugOrThrow } from './organization-commands';

/**
 * `huikuan report commissions` and `huikuan report targets` (issue 6).
 *
 * commissions --json: {"period","rows":[{"salesperson","collected","commission","details":[…]}],"total"}: one row
 * per salesperson with lines in the month (a locked statement as stored, else the statement as it stands now),
 * money as exact decimal strings in the organization's base currency; lines in other currencies are listed the same
 * way under "otherCurrencies" (one entry per currency, never converted; absent when there are none).
 *
 * targets --json: {"period","from","to","targets":[{"level","name","measure","currency","target","carriedIn",
 * "effectiveTarget","actual","completion","shortfall","weightedCompletion"}]}.
 */

type Options = { org?: string; period?: string; json?: boolean };

function commissionsTable(report: CommissionsReport): string {
  const sections = [
    { currency: '', rows: report.rows, total: report.total },
    ...(report.otherCurrencies ?? []),
  ];
  return sections
    .map((section) =>
      [
        `Commissions ${report.period}${section.currency ? ` (${section.currency})` : ''}`,
        ...section.rows.map((row) => `${row.salesperson}\t${row.collected}\t${row.commission}`),
        `Total\t\t${section.total}`,
      ].join('\n'),
    )
    .join('\n\n');
}

function targetsTable(report: TargetsReport): string {
  return [
    `Targets ${report.period} (${report.from} to ${report.to})`,
    ...report.targets.map(
      (row) =>
        `${row.measure}\t${row.level}\t${row.name}\t${row.effectiveTarget}\t${row.actual}\t${
          row.completion === null ? '—' : `${(row.completion * 100).toFixed(1)}%`
        }`,
    ),
  ].join('\n');
}

export function addIncentiveReports(
  report: Command,
  env: NodeJS.ProcessEnv,
  print: (text: string) => void = (text) => console.log(text),
  clock: Clock = systemClock,
): void {
  report
    .command('commissions')
    .description('commission on cash collected per salesperson for a month')
    .requiredOption('--org <slug>', 'organization slug')
    .requiredOption('--period <month>', 'YYYY-MM')
    .option(
      '--json',
      'print JSON: {"period","rows":[{"salesperson","collected","commission","details"}],"total"}',
    )
    .action(async (options: Options, command: Command) => {
      const slug = parseOption(slugSchema, options.org, '--org');
      const period = parseOption(monthSchema, options.period, '--period');
      const target = databaseTargetOf(command.optsWithGlobals<GlobalOptions>(), env);
      const result = await withDatabase(target, async (db) => {
        await migrate(db);
        const { tenantId } = await findOrganizationBySlugOrThrow(db, slug);
        return commissionsReport(db, clock, tenantId, period);
      });
      print(options.json ? JSON.stringify(result) : commissionsTable(result));
    });
  report
    .command('targets')
    .description('collection targets and their progress for a period')
    .requiredOption('--org <slug>', 'organization slug')
    .requiredOption('--period <period>', 'YYYY-MM, YYYY-Qn or YYYY')
    .option('--json', 'print JSON: {"period","from","to","targets":[…]}')
    .action(async (options: Options, command: Command) => {
      const slug = parseOption(slugSchema, options.org, '--org');
      const period = parseOption(targetPeriodSchema, options.period, '--period');
      const target = databaseTargetOf(command.optsWithGlobals<GlobalOptions>(), env);
      const result = await withDatabase(target, async (db) => {
        await migrate(db);
        const { tenantId } = await findOrganizationBySlugOrThrow(db, slug);
        return targetsReport(db, tenantId, period);
      });
      print(options.json ? JSON.stringify(result) : targetsTable(result));
    });
}

/** One-line wiring for cli.ts: adds both under the `report` group that registerReportCommands created. */
export function registerIncentiveCommands(
  program: Command,
  env: NodeJS.ProcessEnv,
  print?: (text: string) => void,
  clock?: Clock,
): void {
  const report = program.commands.find((command) => command.name() === 'report');
  if (!report) throw new Error('registerReportCommands must run before registerIncentiveCommands');
  addIncentiveReports(report, env, print, clock);
}
