import { slugSchema, type CreditSweepResult } from '@huikuan/core/contracts';
import type { Command } from 'commander';
import { sweepCreditHolds } from '../modules/credit/credit-sweep';
import { systemClock, type Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { migrate } from '../platform/migrate';
import { databaseTargetOf, parseOption, withDatabase, type GlobalOptions } from './context';
import { CLI_AUDIT, findOrganizationBySlugOrThrow } from './organization-commands';

/**
 * `huikuan credit sweep --org SLUG [--json]`: evaluates every customer of the organization in one set-based pass and
 * records each credit hold placed, released or changed since the last evaluation (with its audit entry, actor "cli").
 * Meant to run daily (issue 5 schedules it); safe to run any time, since an unchanged state records nothing.
 * JSON: {"asOf","evaluated","onHold","warning","placed","released","changed"}.
 */
export async function creditSweepFromCli(
  db: Database,
  organizationSlug: string,
  clock: Clock = systemClock,
): Promise<CreditSweepResult> {
  const { tenantId } = await findOrganizationBySlugOrThrow(db, organizationSlug);
  return sweepCreditHolds(db, clock, { ...CLI_AUDIT, tenantId, tokenId: null });
}

function renderText(result: CreditSweepResult): string {
  return [
    `Credit sweep as of ${result.asOf}: ${result.evaluated} customers evaluated`,
    `on hold ${result.onHold}, warned ${result.warning}`,
    `holds placed ${result.placed}, released ${result.released}, changed ${result.changed}`,
  ].join('\n');
}

export function registerCreditCommands(
  program: Command,
  env: NodeJS.ProcessEnv,
  print: (text: string) => void = (text) => console.log(text),
): void {
  const credit = program.command('credit').description('credit control (信用控制)');
  credit
    .command('sweep')
    .description(
      'evaluate every customer and record credit holds placed or released since the last evaluation',
    )
    .requiredOption('--org <slug>', 'organization slug')
    .option('--json', 'print JSON: {"asOf","evaluated","onHold","warning","placed","released","changed"}')
    .action(async (options: { org?: string; json?: boolean }, command: Command) => {
      const slug = parseOption(slugSchema, options.org, '--org');
      const target = databaseTargetOf(command.optsWithGlobals<GlobalOptions>(), env);
      const result = await withDatabase(target, async (db) => {
        await migrate(db);
        return creditSweepFromCli(db, slug);
      });
      print(options.json ? JSON.stringify(result) : renderText(result));
    });
}
