import { slugSchema } from '@huikuan/core/contracts';
import type { Command } from 'commander';
import { sql } from 'kysely';
import type { Database, Tx } from '../platform/db';
import { migrate } from '../platform/migrate';
import { databaseTargetOf, parseOption, withDatabase, type GlobalOptions } from './context';
import { findOrganizationBySlugOrThrow } from './organization-commands';

/**
 * `huikuan ledger verify --org SLUG [--json]`: proves the settled amounts the ledger's triggers keep
 * (migration 0010: invoice_settlements, customer_open_balances, contract_invoiced, plan_node_invoiced) against the
 * documents they are derived from, for every invoice, customer, contract and plan node of the organization. Prints
 * each difference and exits non-zero when there is any. Reports read the kept figures; this is their proof, and
 * the ledger property test runs the same comparison after every step.
 */

export type SettlementDifference = { kind: string; id: string; kept: string; derived: string };

type DifferenceRow = { kind: string; id: string; kept: string | null; derived: string | null };

/** Every difference between the kept settlements and the documents, in one statement (empty = all agree). */
export async function settlementDifferences(tx: Tx, tenantId: string): Promise<SettlementDifference[]> {
  const rows = await sql<DifferenceRow>`
    WITH derived AS (
      SELECT i.id AS invoice_id, i.number, i.customer_id, i.contract_id, i.plan_node_id, i.currency, i.invoice_date,
        i.due_date, i.total_minor, coalesce(al.amount, 0)::bigint AS allocated_minor,
        coalesce(cr.amount, 0)::bigint AS credited_minor, v.voided_on,
        CASE WHEN v.voided_on IS NULL
          THEN i.total_minor - coalesce(al.amount, 0) - coalesce(cr.amount, 0) ELSE 0 END AS open_minor
      FROM invoices i
      LEFT JOIN (SELECT a.invoice_id, sum(a.amount_minor) AS amount FROM allocations a
                 WHERE a.tenant_id = ${tenantId} AND a.invoice_id IS NOT NULL GROUP BY a.invoice_id) al
        ON al.invoice_id = i.id
      LEFT JOIN (SELECT cn.invoice_id, sum(cn.amount_minor) AS amount FROM credit_notes cn
                 WHERE cn.tenant_id = ${tenantId} AND cn.status = 'posted' GROUP BY cn.invoice_id) cr
        ON cr.invoice_id = i.id
      LEFT JOIN invoice_voids v ON v.tenant_id = i.tenant_id AND v.invoice_id = i.id
      WHERE i.tenant_id = ${tenantId} AND i.status = 'issued'
    ),
    kept AS (
      SELECT s.invoice_id, s.number, s.customer_id, s.contract_id, s.plan_node_id, s.currency, s.invoice_date,
        s.due_date, s.total_minor, s.allocated_minor, s.credited_minor, s.voided_on, s.open_minor
      FROM invoice_settlements s WHERE s.tenant_id = ${tenantId}
    ),
    invoice_rows AS (
      SELECT 'invoice' AS kind, coalesce(d.invoice_id, k.invoice_id)::text AS id,
        CASE WHEN k.invoice_id IS NULL THEN NULL ELSE row(k.number, k.customer_id, k.contract_id, k.plan_node_id,
          k.currency, k.invoice_date, k.due_date, k.total_minor, k.allocated_minor, k.credited_minor,
          k.voided_on, k.open_minor)::text END AS kept,
        CASE WHEN d.invoice_id IS NULL THEN NULL ELSE row(d.number, d.customer_id, d.contract_id, d.plan_node_id,
          d.currency, d.invoice_date, d.due_date, d.total_minor, d.allocated_minor, d.credited_minor,
          d.voided_on, d.open_minor)::text END AS derived
      FROM derived d FULL JOIN kept k ON k.invoice_id = d.invoice_id
    ),
    customer_rows AS (
      SELECT 'customer' AS kind, coalesce(b.customer_id, o.customer_id)::text || ' ' || coalesce(b.currency, o.currency) AS id,
        row(b.open_minor, b.open_items, b.oldest_open_due)::text AS kept,
        row(coalesce(o.open_minor, 0), coalesce(o.open_items, 0), o.oldest_open_due)::text AS derived
      FROM (SELECT * FROM customer_open_balances WHERE tenant_id = ${tenantId}) b
      FULL JOIN (
        SELECT d.customer_id, d.currency, sum(d.open_minor)::bigint AS open_minor,
          (count(*) FILTER (WHERE d.open_minor <> 0))::int AS open_items,
          min(d.due_date) FILTER (WHERE d.open_minor <> 0) AS oldest_open_due
        FROM derived d GROUP BY d.customer_id, d.currency
      ) o ON o.customer_id = b.customer_id AND o.currency = b.currency
    ),
    contract_rows AS (
      SELECT 'contract' AS kind, coalesce(c.contract_id, o.contract_id)::text AS id,
        coalesce(c.invoiced_minor, 0)::text AS kept, coalesce(o.amount, 0)::text AS derived
      FROM (SELECT * FROM contract_invoiced WHERE tenant_id = ${tenantId}) c
      FULL JOIN (SELECT d.contract_id, sum(d.total_minor)::bigint AS amount FROM derived d
                 WHERE d.contract_id IS NOT NULL AND d.voided_on IS NULL GROUP BY d.contract_id) o
        ON o.contract_id = c.contract_id
    ),
    node_rows AS (
      SELECT 'plan_node' AS kind, coalesce(n.plan_node_id, o.plan_node_id)::text AS id,
        coalesce(n.invoiced_minor, 0)::text AS kept, coalesce(o.amount, 0)::text AS derived
      FROM (SELECT * FROM plan_node_invoiced WHERE tenant_id = ${tenantId}) n
      FULL JOIN (SELECT d.plan_node_id, sum(d.total_minor)::bigint AS amount FROM derived d
                 WHERE d.plan_node_id IS NOT NULL AND d.voided_on IS NULL GROUP BY d.plan_node_id) o
        ON o.plan_node_id = n.plan_node_id
    )
    SELECT * FROM (
      SELECT * FROM invoice_rows UNION ALL SELECT * FROM customer_rows
      UNION ALL SELECT * FROM contract_rows UNION ALL SELECT * FROM node_rows
    ) x
    WHERE x.kept IS DISTINCT FROM x.derived
    ORDER BY x.kind, x.id`.execute(tx);
  return rows.rows.map((row) => ({
    kind: row.kind,
    id: row.id,
    kept: row.kept ?? '(missing)',
    derived: row.derived ?? '(missing)',
  }));
}

export type LedgerVerifyResult = { invoices: number; differences: SettlementDifference[] };

export async function verifyLedger(db: Database, organizationSlug: string): Promise<LedgerVerifyResult> {
  const { tenantId } = await findOrganizationBySlugOrThrow(db, organizationSlug);
  return db.tenant(tenantId, async (tx) => {
    const differences = await settlementDifferences(tx, tenantId);
    const counted = await tx
      .selectFrom('invoices')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'issued')
      .executeTakeFirstOrThrow();
    return { invoices: Number(counted.n), differences };
  });
}

const SHOWN = 50;

function renderText(slug: string, result: LedgerVerifyResult): string {
  if (result.differences.length === 0) {
    return `Ledger of ${slug}: ${result.invoices} issued invoices; every kept settlement agrees with the documents`;
  }
  return [
    `Ledger of ${slug}: ${result.differences.length} differences between kept settlements and the documents`,
    ...result.differences
      .slice(0, SHOWN)
      .map(
        (difference) =>
          `${difference.kind} ${difference.id}: kept ${difference.kept}, documents ${difference.derived}`,
      ),
    ...(result.differences.length > SHOWN ? [`… and ${result.differences.length - SHOWN} more`] : []),
  ].join('\n');
}

export function registerLedgerCommands(
  program: Command,
  env: NodeJS.ProcessEnv,
  print: (text: string) => void = (text) => console.log(text),
): void {
  const ledger = program.command('ledger').description('the receivables ledger');
  ledger
    .command('verify')
    .description(
      'compare the kept settled amounts with the documents for every invoice; non-zero exit on a difference',
    )
    .requiredOption('--org <slug>', 'organization slug')
    .option('--json', 'print JSON: {"invoices","differences":[{"kind","id","kept","derived"}]}')
    .action(async (options: { org?: string; json?: boolean }, command: Command) => {
      const slug = parseOption(slugSchema, options.org, '--org');
      const target = databaseTargetOf(command.optsWithGlobals<GlobalOptions>(), env);
      const result = await withDatabase(target, async (db) => {
        await migrate(db);
        return verifyLedger(db, slug);
      });
      print(options.json ? JSON.stringify(result) : renderText(slug, result));
      if (result.differences.length > 0) {
        throw new Error(`ledger verify: ${result.differences.length} differences in ${slug}`);
      }
    });
}
