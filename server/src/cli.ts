import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import {
  CliUsageError,
  databaseTargetOf,
  parseOption,
  renderError,
  withDatabase,
  type DatabaseTarget,
  type GlobalOptions,
} from './cli/context';
import {
  createOrganizationFromCli,
  parseOrgCreateOptions,
  type OrgCreateOptions,
} from './cli/organization-commands';
import { registerImportCommands } from './cli/import-commands';
import { registerAgingCommands } from './cli/aging-commands';
import { registerCreditCommands } from './cli/credit-commands';
import { registerLedgerCommands } from './cli/ledger-verify';
import { registerStatementCommands } from './cli/statements';
import { registerDunningCommands } from './cli/dunning-commands';
import { registerKpiCommands } from './cli/kpi-commands';
import { registerIncentiveCommands } from './cli/report-incentives';
import { registerReportCommands } from './cli/report-commands';
import { runBackup, runMigrate, runRestore } from './cli/transfer-commands';
import { createUserFromCli, parseUserCreateOptions, type UserCreateOptions } from './cli/user-commands';
import { loadConfig } from './platform/config';
import { VERSION } from './platform/version';
import { startServer, stopOnSignals } from './server';

/**
 * The `huikuan` command. This file is glue: it declares commands and options and prints results; the work lives in
 * cli/*.ts, platform/backup.ts and the modules' use cases.
 */

const portSchema = z.coerce.number().int().min(0).max(65535);

function targetOf(command: Command, env: NodeJS.ProcessEnv): DatabaseTarget {
  return databaseTargetOf(command.optsWithGlobals<GlobalOptions>(), env);
}

function addServeCommand(program: Command, env: NodeJS.ProcessEnv): void {
  program
    .command('serve')
    .description('migrate the database, then serve the API and web app until stopped')
    .option('--port <port>', 'port to listen on (default: $PORT or 3000)')
    .option('--host <host>', 'interface to bind (default: $HOST or 0.0.0.0)')
    .action(async (options: { port?: string; host?: string }, command: Command) => {
      const overrides = {
        ...targetOf(command, env),
        ...(options.port === undefined ? {} : { port: parseOption(portSchema, options.port, '--port') }),
        ...(options.host === undefined ? {} : { host: options.host }),
      };
      const server = await startServer(loadConfig(env, overrides));
      stopOnSignals(server);
    });
}

function addOrgCommands(program: Command, env: NodeJS.ProcessEnv): void {
  const org = program.command('org').description('manage organizations (tenants)');
  org
    .command('create')
    .description('create an organization')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--slug <slug>', 'sign-in identifier: lowercase letters, digits, inner hyphens')
    .option('--currency <code>', 'base currency (ISO 4217)', 'CNY')
    .option('--timezone <zone>', 'IANA time zone that decides "today"', 'Asia/Shanghai')
    .option('--locale <locale>', 'default language: zh-CN or en', 'zh-CN')
    .action(async (options: OrgCreateOptions, command: Command) => {
      const input = parseOrgCreateOptions(options);
      const created = await withDatabase(targetOf(command, env), (db) =>
        createOrganizationFromCli(db, input),
      );
      console.log(`Created organization ${created.slug} (id ${created.tenantId})`);
    });
}

function addUserCommands(program: Command, env: NodeJS.ProcessEnv): void {
  const user = program.command('user').description('manage users');
  user
    .command('create')
    .description('create a user in an organization')
    .requiredOption('--org <slug>', 'organization slug')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--role <role>', 'admin, sales_manager, salesperson, finance, legal or executive')
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option(
      '--password <password>',
      'initial password; shell history keeps it, so prefer the default: a generated one, printed once',
    )
    .option('--team <name>', 'team to place the user in, by name')
    .action(async (options: UserCreateOptions, command: Command) => {
      const input = parseUserCreateOptions(options);
      const created = await withDatabase(targetOf(command, env), (db) => createUserFromCli(db, input));
      console.log(
        `Created user ${created.email} (${created.role}) in ${created.organizationSlug} (id ${created.userId})`,
      );
      if (created.generatedPassword !== null) {
        console.log(`Generated password (shown only now): ${created.generatedPassword}`);
      }
    });
}

function addDatabaseCommands(program: Command, env: NodeJS.ProcessEnv): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async (_options: unknown, command: Command) => {
      console.log(await runMigrate(targetOf(command, env)));
    });
  program
    .command('backup')
    .description('write a consistent backup (gzip NDJSON) that restores on PGlite or PostgreSQL')
    .argument('<file>', 'backup file to write')
    .action(async (file: string, _options: unknown, command: Command) => {
      console.log(await runBackup(targetOf(command, env), file));
    });
  program
    .command('restore')
    .description('restore a backup into an empty database, in one transaction')
    .argument('<file>', 'backup file to read')
    .action(async (file: string, _options: unknown, command: Command) => {
      console.log(await runRestore(targetOf(command, env), file));
    });
}

export function buildProgram(env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('huikuan')
    .description('Huikuan (回款): sales collections and accounts receivable')
    .version(VERSION)
    .option('--data-dir <dir>', 'embedded (PGlite) database folder (default: $HUIKUAN_DATA_DIR or ./data)')
    .option('--database-url <url>', 'use this PostgreSQL database instead (default: $DATABASE_URL)')
    .configureHelp({ showGlobalOptions: true })
    // Commander errors and ours read the same, and the exit code is decided in one place (runCli).
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`huikuan: ${text.replace(/^error: /, '')}`) });
  addServeCommand(program, env);
  addDatabaseCommands(program, env);
  addOrgCommands(program, env);
  addUserCommands(program, env);
  registerImportCommands(program, env);
  registerReportCommands(program, env);
  registerKpiCommands(program, env);
  registerIncentiveCommands(program, env);
  registerAgingCommands(program, env);
  registerCreditCommands(program, env);
  registerLedgerCommands(program, env);
  registerStatementCommands(program, env);
  registerDunningCommands(program, env);
  return program;
}

/** Runs one command line; resolves to the process exit code. Long-running commands (serve) keep the process alive. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    await buildProgram(env).parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`huikuan: ${renderError(error)}\n`);
    const shouldShowStack =
      !(error instanceof CliUsageError) && error instanceof Error && env.HUIKUAN_DEBUG === '1';
    if (shouldShowStack) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
