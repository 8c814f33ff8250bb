import type { CalendarDate } from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';

/**
 * What was collected (or invoiced) in a period, in one grouped query, by everything a target can be cut by: the
 * customer's owner and team, the currency, the debt's vintage (the invoice's year), its product condition
 * (正常/不正常, the invoice_conditions row in force on the day) and whether the customer is a key account.
 *
 * Collected follows the commission statements: money of confirmed receipts applied to invoices, dated by the
 * receipt, less reversals dated in the period. Invoiced is the total of invoices issued and dated in the period,
 * unless voided by its end.
 */
export type ActualRow = {
  ownerUserId: string | null;
  teamId: string | null;
  currency: string;
  vintage: string;
  condition: 'normal' | 'abnormal';
  isKey: boolean;
  amountMinor: bigint;
};

type Raw = {
  owner: string | null;
  team: string | null;
  currency: string;
  vintage: number;
  condition: string;
  is_key: boolean;
  amount: bigint;
};

function rowsOf(raw: readonly Raw[]): ActualRow[] {
  return raw.map((row) => ({
    ownerUserId: row.owner,
    teamId: row.team,
    currency: row.currency.trim(),
    vintage: String(row.vintage).padStart(4, '0'),
    condition: row.condition === 'abnormal' ? 'abnormal' : 'normal',
    isKey: row.is_key,
    amountMinor: BigInt(row.amount),
  }));
}

const conditionOn = (date: ReturnType<typeof sql.ref>) => sql<string>`coalesce((
  SELECT ic.condition FROM invoice_conditions ic
  WHERE ic.tenant_id = i.tenant_id AND ic.invoice_id = i.id AND ic.effective_on <= ${date}
  ORDER BY ic.effective_on DESC, ic.created_at DESC LIMIT 1), 'normal')`;

export async function collectedActuals(
  tx: Tx,
  tenantId: string,
  from: CalendarDate,
  to: CalendarDate,
  keyTag: string,
): Promise<ActualRow[]> {
  const result = await sql<Raw>`
    SELECT c.owner_user_id AS owner, c.team_id AS team, i.currency,
      extract(year FROM i.invoice_date)::int AS vintage, ${conditionOn(sql.ref('m.on_d'))} AS condition,
      (${keyTag}::text = ANY (c.tags)) AS is_key, sum(m.amount)::bigint AS amount
    FROM (
      SELECT a.invoice_id, a.amount_minor AS amount, r.received_on AS on_d
      FROM allocations a JOIN receipts r ON r.tenant_id = a.tenant_id AND r.id = a.receipt_id
      WHERE a.tenant_id = ${tenantId} AND a.invoice_id IS NOT NULL AND a.amount_minor > 0
        AND a.reverses_allocation_id IS NULL AND r.received_on BETWEEN ${from}::date AND ${to}::date
      UNION ALL
      SELECT n.invoice_id, n.amount_minor, n.allocated_on
      FROM allocations n
      WHERE n.tenant_id = ${tenantId} AND n.invoice_id IS NOT NULL AND n.amount_minor < 0
        AND n.allocated_on BETWEEN ${from}::date AND ${to}::date
    ) m
    JOIN invoices i ON i.tenant_id = ${tenantId} AND i.id = m.invoice_id
    JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    GROUP BY 1, 2, 3, 4, 5, 6`.execute(tx);
  return rowsOf(result.rows);
}

export async function invoicedActuals(
  tx: Tx,
  tenantId: string,
  from: CalendarDate,
  to: CalendarDate,
  keyTag: string,
): Promise<ActualRow[]> {
  const result = await sql<Raw>`
    SELECT c.owner_user_id AS owner, c.team_id AS team, i.currency,
      extract(year FROM i.invoice_date)::int AS vintage, ${conditionOn(sql.ref('i.invoice_date'))} AS condition,
      (${keyTag}::text = ANY (c.tags)) AS is_key, sum(i.total_minor)::bigint AS amount
    FROM invoices i
    JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    WHERE i.tenant_id = ${tenantId} AND i.status = 'issued'
      AND i.invoice_date BETWEEN ${from}::date AND ${to}::date
      AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.tenant_id = i.tenant_id AND v.invoice_id = i.id
                      AND v.voided_on <= ${to}::date)
    GROUP BY 1, 2, 3, 4, 5, 6`.execute(tx);
  return rowsOf(result.rows);
}

/** Teams and every team below each, from one read of the teams table. */
export async function teamDescendants(tx: Tx, tenantId: string): Promise<Map<string, Set<string>>> {
  const teams = await tx
    .selectFrom('teams')
    .select(['id', 'parent_id'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const children = new Map<string, string[]>();
  for (const team of teams) {
    if (team.parent_id) children.set(team.parent_id, [...(children.get(team.parent_id) ?? []), team.id]);
  }
  const result = new Map<string, Set<string>>();
  for (const team of teams) {
    const seen = new Set<string>([team.id]);
    const queue = [team.id];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const child of children.get(next) ?? []) {
        if (!seen.has(child)) {
          seen.add(child);
          queue.push(child);
        }
      }
    }
    result.set(team.id, seen);
  }
  return result;
}

export type Subject =
  { level: 'organization' } | { level: 'team'; teamId: string } | { level: 'salesperson'; userId: string };

/** Sums the rows of one subject in one currency, optionally only those a class or vintage line covers. */
export function actualOf(
  rows: readonly ActualRow[],
  subject: Subject,
  currency: string,
  teams: Map<string, Set<string>>,
  line?: { dimension: string; key: string },
): bigint {
  const inSubject = (row: ActualRow): boolean => {
    switch (subject.level) {
      case 'organization':
        return true;
      case 'team':
        return row.teamId !== null && (teams.get(subject.teamId)?.has(row.teamId) ?? false);
      case 'salesperson':
        return row.ownerUserId === subject.userId;
    }
  };
  const inLine = (row: ActualRow): boolean => {
    if (!line) return true;
    if (line.dimension === 'vintage') return row.vintage === line.key;
    if (line.key === 'key') return row.isKey;
    if (line.key === 'non_key') return !row.isKey;
    return row.condition === line.key;
  };
  return rows
    .filter((row) => row.currency === currency && inSubject(row) && inLine(row))
    .reduce((sum, row) => sum + row.amountMinor, 0n);
}
