import { chunk } from './batches';
import { creditCodeKey, type CustomerImportRow, type ImportIssue, type ResolvedMapping } from '@huikuan/core';
import { creditCodeTakenMessage, customersByCreditCode } from '../customers/customer-identity';
import { issueAt, type ImportContext, type KindOutcome } from './import-context';
import { customersByCode } from './lookups';

type Owner = { id: string; teamId: string | null };

async function ownersByEmail(ctx: ImportContext, emails: Iterable<string>): Promise<Map<string, Owner>> {
  const owners = new Map<string, Owner>();
  for (const batch of chunk([...new Set(emails)])) {
    const rows = await ctx.tx
      .selectFrom('users')
      .select(['id', 'email', 'team_id'])
      .where('tenant_id', '=', ctx.actor.tenantId)
      .where('is_active', '=', true)
      .where('email', 'in', batch)
      .execute();
    for (const row of rows) owners.set(row.email.toLowerCase(), { id: row.id, teamId: row.team_id });
  }
  return owners;
}

/** Customer codes are unique per organization: an existing code is a row error, never a silent update. */
export async function importCustomerRows(
  ctx: ImportContext,
  rows: readonly CustomerImportRow[],
  mapping: ResolvedMapping['mapping'],
): Promise<KindOutcome> {
  const existing = await customersByCode(
    ctx.tx,
    ctx.actor.tenantId,
    rows.map((row) => row.code),
  );
  const entities = await customersByCreditCode(
    ctx.tx,
    ctx.actor.tenantId,
    rows.flatMap((row) => creditCodeKey(row.unifiedCreditCode) ?? []),
  );
  const emails = rows.flatMap((row) => (row.ownerEmail === null ? [] : [row.ownerEmail]));
  const owners = await ownersByEmail(ctx, emails);
  const issues: ImportIssue[] = [];
  for (const row of rows) {
    if (existing.has(row.code)) {
      issues.push(issueAt(row, mapping.code ?? 'code', `customer code ${row.code} already exists`));
    }
    const holder = entities.get(creditCodeKey(row.unifiedCreditCode) ?? '');
    if (holder) {
      const column = mapping.unifiedCreditCode ?? 'unifiedCreditCode';
      issues.push(issueAt(row, column, creditCodeTakenMessage(row.unifiedCreditCode ?? '', holder)));
    }
    if (row.ownerEmail !== null && !owners.has(row.ownerEmail)) {
      const column = mapping.ownerEmail ?? 'ownerEmail';
      issues.push(issueAt(row, column, `no active user with the email ${row.ownerEmail}`));
    }
  }
  const counts = { newCustomers: rows.length, invoices: 0, receipts: 0, allocations: 0, totals: [] };
  if (issues.length > 0 || ctx.isDryRun) return { issues, counts };
  let done = 0;
  for (const batch of chunk(rows)) {
    await ctx.tx
      .insertInto('customers')
      .values(
        batch.map((row) => {
          const owner = row.ownerEmail === null ? undefined : owners.get(row.ownerEmail);
          return {
            tenant_id: ctx.actor.tenantId,
            code: row.code,
            name: row.name,
            short_name: row.shortName,
            owner_user_id: owner?.id ?? null,
            team_id: owner?.teamId ?? null,
            ...(row.paymentTermsDays === null ? {} : { payment_terms_days: row.paymentTermsDays }),
            currency: row.currency,
            segment: row.segment,
            phone: row.phone,
            unified_credit_code: row.unifiedCreditCode,
            notes: row.notes,
          };
        }),
      )
      .execute();
    done += batch.length;
    ctx.onProgress('write', done, rows.length);
  }
  return { issues: [], counts };
}
