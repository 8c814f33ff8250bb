import type { Role } from '@huikuan/core';
import {
  emailSchema,
  passwordSchema,
  personNameSchema,
  roleSchema,
  slugSchema,
} from '@huikuan/core/contracts';
import { z } from 'zod';
import { createUserIn } from '../modules/users/create-user';
import type { Database, Tx } from '../platform/db';
import { AppError } from '../platform/errors';
import { migrate } from '../platform/migrate';
import { hashPassword, newSecret } from '../platform/secrets';
import { parseOption } from './context';
import { CLI_AUDIT, findOrganizationBySlugOrThrow } from './organization-commands';

export type UserCreateOptions = {
  org?: string;
  email?: string;
  role?: string;
  name?: string;
  password?: string;
  team?: string;
};

export type UserCreateInput = {
  organizationSlug: string;
  email: string;
  role: Role;
  name: string;
  password: string | null;
  teamName: string | null;
};

export type CreatedUser = {
  userId: string;
  email: string;
  role: Role;
  organizationSlug: string;
  /** Set only when the CLI made the password up: shown once, stored nowhere. */
  generatedPassword: string | null;
};

const teamNameSchema = z.string().trim().min(1).max(100);

export function parseUserCreateOptions(options: UserCreateOptions): UserCreateInput {
  const email = parseOption(emailSchema, options.email, '--email');
  const role = parseOption(roleSchema, options.role, '--role');
  return {
    organizationSlug: parseOption(slugSchema, options.org, '--org'),
    email,
    role,
    // Without a name the mailbox stands in; the user can change it after signing in.
    name: parseOption(personNameSchema, options.name ?? email.split('@')[0], '--name'),
    password:
      options.password === undefined
        ? null
        : parseOption(passwordSchema, options.password, '--password', true),
    teamName: options.team === undefined ? null : parseOption(teamNameSchema, options.team, '--team'),
  };
}

async function findTeamIdOrThrow(tx: Tx, tenantId: string, teamName: string): Promise<string> {
  const team = await tx
    .selectFrom('teams')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('name', '=', teamName)
    .executeTakeFirst();
  if (!team) throw new AppError('not_found', { entity: `Team "${teamName}"` });
  return team.id;
}

/**
 * Creates a user in an organization named by slug. When no password is given, a strong one is generated and
 * returned so the caller can show it once; only its argon2id hash is stored.
 */
export async function createUserFromCli(db: Database, input: UserCreateInput): Promise<CreatedUser> {
  await migrate(db);
  const organization = await findOrganizationBySlugOrThrow(db, input.organizationSlug);
  const isPasswordGenerated = input.password === null;
  const password = input.password ?? newSecret(18);
  const passwordHash = await hashPassword(password);
  const user = await db.tenant(organization.tenantId, async (tx) => {
    const teamId =
      input.teamName === null ? null : await findTeamIdOrThrow(tx, organization.tenantId, input.teamName);
    return createUserIn(
      tx,
      organization.tenantId,
      { email: input.email, name: input.name, role: input.role, teamId, locale: null, passwordHash },
      () => ({
        tenantId: organization.tenantId,
        userId: null,
        tokenId: null,
        requestId: CLI_AUDIT.requestId,
        ip: CLI_AUDIT.ip,
      }),
    );
  });
  return {
    userId: user.id,
    email: user.email,
    role: input.role,
    organizationSlug: organization.slug,
    generatedPassword: isPasswordGenerated ? password : null,
  };
}
