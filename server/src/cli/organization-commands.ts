import { currencySchema, localeSchema, slugSchema, timeZoneSchema } from '@huikuan/core/contracts';
import { z } from 'zod';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import {
  createOrganizationIn,
  translateSlugConflict,
  type NewOrganization,
} from '../modules/organization/create-organization';
import { migrate } from '../platform/migrate';
import { parseOption } from './context';

/** Work done from the command line is audited with no user; `cli` marks where it came from. */
export const CLI_AUDIT = { userId: null, requestId: 'cli', ip: 'cli' } as const;

export type OrgCreateOptions = {
  name?: string;
  slug?: string;
  currency: string;
  timezone: string;
  locale: string;
};

const organizationNameSchema = z.string().trim().min(1).max(200);

/** Checked before the database is opened, so a typo costs nothing and holds no lock. */
export function parseOrgCreateOptions(options: OrgCreateOptions): NewOrganization {
  return {
    name: parseOption(organizationNameSchema, options.name, '--name'),
    slug: parseOption(slugSchema, options.slug, '--slug'),
    baseCurrency: parseOption(currencySchema, options.currency, '--currency'),
    timezone: parseOption(timeZoneSchema, options.timezone, '--timezone'),
    locale: parseOption(localeSchema, options.locale, '--locale'),
  };
}

export async function createOrganizationFromCli(
  db: Database,
  input: NewOrganization,
): Promise<{ tenantId: string; slug: string }> {
  await migrate(db);
  const organization = await db
    .system((tx) => createOrganizationIn(tx, input, CLI_AUDIT))
    .catch((error: unknown) => translateSlugConflict(error, input.slug));
  return { tenantId: organization.tenant_id, slug: organization.slug };
}

export async function findOrganizationBySlugOrThrow(
  db: Database,
  slug: string,
): Promise<{ tenantId: string; slug: string }> {
  const organization = await db.system((tx) =>
    tx.selectFrom('organizations').select(['tenant_id', 'slug']).where('slug', '=', slug).executeTakeFirst(),
  );
  if (!organization) throw new AppError('not_found', { entity: `Organization "${slug}"` });
  return { tenantId: organization.tenant_id, slug: organization.slug };
}
