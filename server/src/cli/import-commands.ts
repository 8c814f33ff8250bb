import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { currencySchema } from '@huikuan/core/contracts';
import { z } from 'zod';
import type { Database } from '../platform/db';
import { migrate } from '../platform/migrate';
import type { ImportPhase, ImportProgress } from '../modules/imports/import-context';
import {
  formatIssue,
  IMPORT_FIELDS,
  isValidDateFormat,
  type ColumnMapping,
  type ImportKind,
  type ImportResult,
} from '@huikuan/core';
import { TEXT_ENCODINGS, type FileFormat, type TextEncoding } from '../modules/imports/read-file';
import { runImport, type ImportRequest } from '../modules/imports/run-import';
import { CliUsageError, databaseTargetOf, parseOption, withDatabase, type GlobalOptions } from './context';
import { CLI_AUDIT, findOrganizationBySlugOrThrow } from './organization-commands';

export type ImportCommandOptions = {
  org?: string;
  format?: string;
  encoding?: string;
  map: string[];
  dateFormat?: string;
  currency?: string;
  decimal?: string;
  delimiter?: string;
  dryRun?: boolean;
  json?: boolean;
};

/** Where a command writes: the real streams, or buffers in tests. */
export type CliOutput = {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
};

export type ImportCliInput = Omit<ImportRequest, 'content' | 'fileName'> & {
  organizationSlug: string;
  filePath: string;
  isJson: boolean;
};

const DELIMITERS = { ',': ',', ';': ';', tab: '\t' } as const;

function parseMapping(kind: ImportKind, pairs: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const fields = IMPORT_FIELDS[kind].map((field) => field.name);
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    const field = pair.slice(0, separator).trim();
    const column = pair.slice(separator + 1).trim();
    if (separator <= 0 || column === '') throw new CliUsageError(`invalid --map "${pair}": use field=Column`);
    if (!fields.includes(field)) {
      throw new CliUsageError(`invalid --map "${pair}": ${kind} fields are ${fields.join(', ')}`);
    }
    mapping[field] = column;
  }
  return mapping;
}

/** Checked before the database is opened, so a typo costs nothing and holds no lock. */
export function parseImportOptions(
  kind: ImportKind,
  file: string,
  options: ImportCommandOptions,
): ImportCliInput {
  const dateFormat = options.dateFormat;
  if (dateFormat !== undefined && !isValidDateFormat(dateFormat)) {
    throw new CliUsageError(
      `invalid --date-format "${dateFormat}": use YYYY, MM (or M) and DD (or D), e.g. DD/MM/YYYY`,
    );
  }
  const delimiter = options.delimiter ?? ',';
  if (!Object.hasOwn(DELIMITERS, delimiter))
    throw new CliUsageError('invalid --delimiter: use , or ; or tab');
  return {
    kind,
    filePath: file,
    organizationSlug: parseOption(z.string().min(1), options.org, '--org'),
    format:
      options.format === undefined
        ? undefined
        : parseOption(z.enum<FileFormat[]>(['csv', 'xlsx']), options.format, '--format'),
    encoding: parseOption(
      z.enum(TEXT_ENCODINGS as [TextEncoding, ...TextEncoding[]]),
      options.encoding ?? 'auto',
      '--encoding',
    ),
    mapping: parseMapping(kind, options.map),
    dateFormat,
    currency:
      options.currency === undefined
        ? undefined
        : parseOption(currencySchema, options.currency.toUpperCase(), '--currency'),
    decimalSeparator: parseOption(z.enum(['.', ',']), options.decimal ?? '.', '--decimal'),
    delimiter: DELIMITERS[delimiter as keyof typeof DELIMITERS],
    isDryRun: options.dryRun === true,
    isJson: options.json === true,
  };
}

/** A bar per phase on a terminal; plain lines (start, every tenth, end) in logs and pipes. */
export function progressReporter(stderr: CliOutput['stderr']): { onProgress: ImportProgress; stop(): void } {
  let current: { phase: ImportPhase; bar: cliProgress.SingleBar | null; lastTenth: number } | null = null;
  const stop = () => {
    current?.bar?.stop();
    current = null;
  };
  const onProgress: ImportProgress = (phase, done, total) => {
    if (current?.phase !== phase) {
      stop();
      const bar = stderr.isTTY
        ? new cliProgress.SingleBar(
            {
              stream: stderr,
              format: `${phase.padEnd(8)} [{bar}] {percentage}% {value}/{total}`,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
      bar?.start(total, done);
      current = { phase, bar, lastTenth: -1 };
    }
    if (current.bar) {
      current.bar.update(done);
      return;
    }
    const tenth = total === 0 ? 10 : Math.floor((done * 10) / total);
    if (tenth !== current.lastTenth) {
      current.lastTenth = tenth;
      stderr.write(`${phase}: ${done}/${total}\n`);
    }
  };
  return { onProgress, stop };
}

function printResult(input: ImportCliInput, result: ImportResult, output: CliOutput): void {
  if (input.isJson) {
    output.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  }
  for (const issue of result.errors) output.stderr.write(`${formatIssue(input.filePath, issue)}\n`);
  if (input.isJson) return;
  const { summary } = result;
  const state = summary.isCommitted
    ? 'imported'
    : input.isDryRun && result.errors.length === 0
      ? 'dry run, nothing written'
      : 'nothing written';
  const written =
    summary.contracts === undefined
      ? `${summary.invoices} invoices, ${summary.receipts} receipts, ${summary.allocations} allocations`
      : `${summary.contracts} contracts, ${summary.planNodes ?? 0} plan nodes`;
  output.stdout.write(
    `${input.filePath}: ${summary.rows} rows, ${summary.newCustomers} new customers, ${written} (${state})\n`,
  );
  for (const total of summary.totals) {
    output.stdout.write(`  ${total.currency}: amount ${total.amount}, settled ${total.settledAmount}\n`);
  }
}

/** Runs one import against an open database; throws (exit code 1) when any row is wrong, after listing them all. */
export async function importFromCli(
  db: Database,
  input: ImportCliInput,
  output: CliOutput,
  now = new Date(),
): Promise<ImportResult> {
  let content: Buffer;
  try {
    content = fs.readFileSync(input.filePath);
  } catch {
    throw new CliUsageError(`cannot read ${input.filePath}`);
  }
  await migrate(db);
  const organization = await findOrganizationBySlugOrThrow(db, input.organizationSlug);
  const progress = progressReporter(output.stderr);
  const actor = { ...CLI_AUDIT, tenantId: organization.tenantId, tokenId: null };
  const request: ImportRequest = { ...input, fileName: path.basename(input.filePath), content };
  const result = await runImport(db, actor, request, now, progress.onProgress).finally(() => progress.stop());
  printResult(input, result, output);
  if (result.errors.length > 0) {
    throw new CliUsageError(`${input.filePath}: ${result.errors.length} error(s); nothing was written`);
  }
  return result;
}

function addImportCommand(
  parent: Command,
  kind: ImportKind,
  env: NodeJS.ProcessEnv,
  output: CliOutput,
): void {
  const fields = IMPORT_FIELDS[kind]
    .map((field) => (field.isRequired ? `${field.name}*` : field.name))
    .join(', ');
  parent
    .command(kind)
    .description(`import ${kind} from CSV or XLSX, all or nothing (fields: ${fields}; * required)`)
    .argument('<file>', 'CSV or XLSX file')
    .requiredOption('--org <slug>', 'organization slug')
    .option('--format <format>', 'csv or xlsx (default: from the file)')
    .option('--encoding <encoding>', 'CSV text encoding: auto, utf-8, gbk or gb18030', 'auto')
    .option(
      '--map <field=Column>',
      'read a field from a column (repeatable)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option(
      '--date-format <format>',
      'how dates are written, e.g. YYYY/MM/DD, DD/MM/YYYY, YYYYMMDD, YYYY年M月D日',
      'YYYY-MM-DD',
    )
    .option('--currency <code>', "currency of rows that name none (default: the organization's)")
    .option('--decimal <separator>', 'decimal separator: . or , (then . groups thousands)', '.')
    .option('--delimiter <delimiter>', 'CSV delimiter: , or ; or tab', ',')
    .option('--dry-run', 'check every row and print the summary; write nothing')
    .option('--json', 'print the summary and errors as JSON')
    .action(async (file: string, options: ImportCommandOptions, command: Command) => {
      const input = parseImportOptions(kind, file, options);
      const target = databaseTargetOf(command.optsWithGlobals<GlobalOptions>(), env);
      await withDatabase(target, (db) => importFromCli(db, input, output));
    });
}

/** `huikuan import customers|contracts|invoices|receipts FILE --org SLUG …`. */
export function registerImportCommands(
  program: Command,
  env: NodeJS.ProcessEnv = process.env,
  output: CliOutput = { stdout: process.stdout, stderr: process.stderr },
): void {
  const command = program
    .command('import')
    .description(
      'import customers, contracts (with payment plans), invoices (with settled history) or receipts',
    );
  for (const kind of ['invoices', 'customers', 'receipts', 'contracts'] as const)
    addImportCommand(command, kind, env, output);
}
