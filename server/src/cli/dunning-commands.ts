import type { CalendarDate } from '@huikuan/core';
import { calendarDateSchema, slugSchema } from '@huikuan/core/contracts';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { wireCollections } from '../collections-wiring';
import type { PlannedAction } from '../modules/dunning/run-context';
import type { RunOptions, RunProgress, RunResult } from '../modules/dunning/run-dunning';
import { previewRun } from '../modules/dunning/run-dunning';
import { organizationToday, runDunningNow, sortPlanned } from '../modules/dunning/start-run';
import { systemClock } from '../platform/clock';
import type { Database } from '../platform/db';
import { migrate } from '../platform/migrate';
import { databaseTargetOf, parseOption, withDatabase, type GlobalOptions } from './context';
import { CLI_AUDIT, findOrganizationBySlugOrThrow } from './organization-commands';

/**
 * `huikuan dunning run --org SLUG --as-of YYYY-MM-DD [--dry-run] --json`.
 *
 * The JSON is a contract used by automated checks: {"asOf", "actions": [{"invoice", "customer", "step", "channel",
 * "daysOverdue", "dueDate"}]} — the actions this run fired (with --dry-run: would fire), `invoice` the invoice number,
 * `customer` the customer code (the key `report aging --by customer` uses), `channel` null for tasks, reviews and
 * holds, sorted by customer then invoice in code-point order (then ladder order). With --dry-run nothing is sent or
 * recorded. Without --json: a progress bar on a terminal (plain lines otherwise) and a summary.
 */

export type DunningCliAction = {
  invoice: string;
  customer: string;
  step: string;
  channel: string | null;
  daysOverdue: number;
  dueDate: string;
};
export type DunningCliReport = { asOf: string; actions: DunningCliAction[] };

type DunningRunOptions = { org?: string; asOf?: string; dryRun?: boolean; json?: boolean };

function cliAction(action: PlannedAction): DunningCliAction {
  return {
    invoice: action.item.invoiceNumber,
    customer: action.item.customerCode,
    step: action.step.kind,
    channel: action.step.channel,
    daysOverdue: action.daysOverdue,
    dueDate: action.item.dueDate,
  };
}

/**
 * Test hooks, read only when NODE_ENV is 'test' so production runs never change: a batch size, and a stall after N
 * committed batches (announced on stderr) so a test can kill the process in the middle of a run deterministically.
 */
function testHooks(
  env: NodeJS.ProcessEnv,
  stderr: NodeJS.WriteStream,
): Pick<RunOptions, 'batchSize' | 'afterBatch'> {
  if (env.NODE_ENV !== 'test') return {};
  const batchSize = Number(env.HUIKUAN_TEST_DUNNING_BATCH_SIZE);
  const stallAfter = Number(env.HUIKUAN_TEST_DUNNING_STALL_AFTER_BATCHES);
  return {
    ...(batchSize > 0 ? { batchSize } : {}),
    ...(stallAfter > 0
      ? {
          afterBatch: async (batches: number) => {
            if (batches !== stallAfter) return;
            stderr.write(`stalled after ${batches} batches\n`);
            await new Promise((resolve) => setTimeout(resolve, 600_000));
          },
        }
      : {}),
  };
}

function progressBar(stderr: NodeJS.WriteStream): {
  onProgress: (progress: RunProgress) => void;
  stop(): void;
} {
  let bar: cliProgress.SingleBar | null = null;
  let lastTenth = -1;
  return {
    onProgress: (progress) => {
      if (stderr.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            { stream: stderr, format: 'dunning [{bar}] {percentage}% {value}/{total} items · {fired} fired' },
            cliProgress.Presets.shades_classic,
          );
          bar.start(progress.total, progress.done, { fired: progress.fired });
        }
        bar.update(progress.done, { fired: progress.fired });
        return;
      }
      const tenth = progress.total === 0 ? 10 : Math.floor((progress.done * 10) / progress.total);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stderr.write(`dunning: ${progress.done}/${progress.total} items, ${progress.fired} fired\n`);
    },
    stop: () => bar?.stop(),
  };
}

export async function dunningCliRun(
  db: Database,
  input: { slug: string; asOf: CalendarDate | null; isDryRun: boolean },
  options: RunOptions = {},
): Promise<{ report: DunningCliReport; result: RunResult | null }> {
  wireCollections();
  const { tenantId } = await findOrganizationBySlugOrThrow(db, input.slug);
  const asOf = input.asOf ?? (await organizationToday(db, systemClock, tenantId));
  if (input.isDryRun) {
    const preview = await previewRun(db, tenantId, asOf);
    return { report: { asOf, actions: sortPlanned(preview.actions).map(cliAction) }, result: null };
  }
  const result = await runDunningNow(db, { ...CLI_AUDIT, tenantId, tokenId: null }, asOf, 'cli', {
    ...options,
    shouldCollectActions: true,
  });
  const actions = sortPlanned(result.actions).map((action) => cliAction(action.planned));
  return { report: { asOf, actions }, result };
}

function summary(report: DunningCliReport, result: RunResult | null): string {
  const counts = new Map<string, number>();
  for (const action of report.actions) counts.set(action.step, (counts.get(action.step) ?? 0) + 1);
  const lines = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([step, n]) => `  ${step}\t${n}`);
  const head = result
    ? `Dunning run ${result.runId} as of ${report.asOf}: ${result.status}; ${result.total} open items, ` +
      `${report.actions.length} actions fired, ${result.paused} paused, ${result.errorCount} errors`
    : `Dry run as of ${report.asOf}: ${report.actions.length} actions would fire (nothing sent or recorded)`;
  return [head, ...lines].join('\n');
}

export function registerDunningCommands(
  program: Command,
  env: NodeJS.ProcessEnv,
  print: (text: string) => void = (text) => console.log(text),
): void {
  const dunning = program.command('dunning').description('collection ladders (催收程序)');
  dunning
    .command('run')
    .description('fire every due ladder step for the open items of an organization as of a date')
    .requiredOption('--org <slug>', 'organization slug')
    .option('--as-of <date>', "YYYY-MM-DD (default: today in the organization's time zone)")
    .option('--dry-run', 'compute the actions without sending or recording anything')
    .option(
      '--json',
      'print JSON: {"asOf","actions":[{"invoice","customer","step","channel","daysOverdue","dueDate"}]}',
    )
    .action(async (options: DunningRunOptions, command: Command) => {
      const slug = parseOption(slugSchema, options.org, '--org');
      const asOf =
        options.asOf === undefined ? null : parseOption(calendarDateSchema, options.asOf, '--as-of');
      const target = databaseTargetOf(command.optsWithGlobals<GlobalOptions>(), env);
      const bar = options.json ? null : progressBar(process.stderr);
      const { report, result } = await withDatabase(target, async (db) => {
        await migrate(db);
        return dunningCliRun(
          db,
          { slug, asOf, isDryRun: options.dryRun === true },
          { ...testHooks(env, process.stderr), ...(bar ? { onProgress: bar.onProgress } : {}) },
        );
      }).finally(() => bar?.stop());
      print(options.json ? JSON.stringify(report) : summary(report, result));
      if (result?.status === 'failed') process.exitCode = 1;
    });
}
