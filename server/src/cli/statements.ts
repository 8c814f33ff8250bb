import { slugSchema, statementMonthSchema, type StatementRun } from '@huikuan/core/contracts';
import type { Command } from 'commander';
import { sendMonthlyStatements } from '../modules/letters';
import type { Database } from '../platform/db';
import { migrate } from '../platform/migrate';
import { databaseTargetOf, parseOption, withDatabase, type GlobalOptions } from './context';
import { findOrganizationBySlugOrThrow } from './organization-commands';

/**
 * `huikuan statements send --org SLUG --month YYYY-MM [--dry-run] [--json]`: the month's statement of account (对账单)
 * to every customer with a balance on the month's last day, archived and e-mailed with the PDF through the outbox
 * (the server's delivery worker sends it). Safe to repeat: a customer who already has that month's statement is
 * skipped. With --dry-run nothing is rendered, archived or sent; the answer lists who would get one.
 * JSON: {"month","asOf","isDryRun","sent":[{"customerId","code","letterId"}],"skipped":[{"customerId","code","reason"}]}.
 */
export async function sendStatementsFromCli(
  db: Database,
  input: { organizationSlug: string; month: string; isDryRun: boolean },
): Promise<StatementRun> {
  const { tenantId } = await findOrganizationBySlugOrThrow(db, input.organizationSlug);
  return sendMonthlyStatements({ db }, tenantId, input.month, { isDryRun: input.isDryRun });
}

function renderText(run: StatementRun): string {
  const verb = run.isDryRun ? 'would send' : 'sent';
  const lines = [
    `Statements for ${run.month} (balances as of ${run.asOf}): ${verb} ${run.sent.length}, skipped ${run.skipped.length}`,
    ...run.sent.map((row) => `  ${verb} ${row.code}${row.letterId ? ` (letter ${row.letterId})` : ''}`),
    ...run.skipped.map((row) => `  skipped ${row.code}: ${row.reason}`),
  ];
  return lines.join('\n');
}

export function registerStatementCommands(
  program: Command,
  env: NodeJS.ProcessEnv,
  print: (text: string) => void = (text) => console.log(text),
): void {
  const statements = program.command('statements').description('statements of account (对账单)');
  statements
    .command('send')
    .description(
      "send a month's statement to every customer with a balance (idempotent per customer and month)",
    )
    .requiredOption('--org <slug>', 'organization slug')
    .requiredOption('--month <YYYY-MM>', 'the month the statement covers')
    .option('--dry-run', 'list who would get one; render, archive and send nothing')
    .option('--json', 'print JSON: {"month","asOf","isDryRun","sent","skipped"}')
    .action(
      async (
        options: { org?: string; month?: string; dryRun?: boolean; json?: boolean },
        command: Command,
      ) => {
        const organizationSlug = parseOption(slugSchema, options.org, '--org');
        const month = parseOption(statementMonthSchema, options.month, '--month');
        const target = databaseTargetOf(command.optsWithGlobals<GlobalOptions>(), env);
        const run = await withDatabase(target, async (db) => {
          await migrate(db);
          return sendStatementsFromCli(db, { organizationSlug, month, isDryRun: options.dryRun === true });
        });
        print(options.json ? JSON.stringify(run) : renderText(run));
      },
    );
}
