import type { Locale } from '@huikuan/core';
import type { Selectable } from 'kysely';
import type { OrganizationsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import { enterTenant, type Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import { AppError } from '../../platform/errors';

export type NewOrganization = {
  name: string;
  slug: string;
  baseCurrency: string;
  timezone: string;
  locale: Locale;
};

/**
 * Creates a tenant inside `tx` and switches the transaction to it, so everything after (the first admin, the
 * audit entry) is written under row-level security as that tenant. Used by sign-up and `huikuan org create`.
 */
export async function createOrganizationIn(
  tx: Tx,
  input: NewOrganization,
  audit: { userId: string | null; requestId: string | null; ip: string | null },
): Promise<Selectable<OrganizationsTable>> {
  const existing = await tx
    .selectFrom('organizations')
    .select('tenant_id')
    .where('slug', '=', input.slug)
    .executeTakeFirst();
  if (existing) throw new AppError('slug_taken', { slug: input.slug });
  const organization = await tx
    .insertInto('organizations')
    .values({
      name: input.name,
      slug: input.slug,
      base_currency: input.baseCurrency,
      timezone: input.timezone,
      locale: input.locale,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await enterTenant(tx, organization.tenant_id);
  await recordAudit(
    tx,
    {
      tenantId: organization.tenant_id,
      userId: audit.userId,
      tokenId: null,
      requestId: audit.requestId ?? '',
      ip: audit.ip ?? '',
    },
    {
      action: 'organization.created',
      entityType: 'organization',
      entityId: organization.tenant_id,
      after: organization,
    },
  );
  return organization;
}

export function translateSlugConflict(error: unknown, slug: string): never {
  if (isUniqueViolation(error, 'slug')) throw new AppError('slug_taken', { slug });
  throw error;
}
