import {
  DEFAULT_COMMISSION_RULES,
  type CalendarDate,
  type CommissionRules,
  type CommissionRuleVersion,
  type RecordScope,
} from '@huikuan/core';
import { sql, type RawBuilder } from 'kysely';
import { todayIn, type Clock } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';

/** What every incentives use case needs about the organization, read once per transaction. */
export type IncentiveContext = {
  tenantId: string;
  slug: string;
  name: string;
  baseCurrency: string;
  timezone: string;
  today: CalendarDate;
  accountabilityMode: boolean;
  keyCustomerTag: string;
  /** Every version of the commission rules, oldest first; core's rulesInForce picks one for a month. */
  ruleVersions: (CommissionRuleVersion & { id: string })[];
};

export async function loadIncentiveContext(
  tx: Tx,
  tenantId: string,
  clock: Clock,
): Promise<IncentiveContext> {
  const org = await tx
    .selectFrom('organizations')
    .leftJoin('incentive_settings as s', 's.tenant_id', 'organizations.tenant_id')
    .select([
      'organizations.slug',
      'organizations.name',
      'organizations.base_currency',
      'organizations.timezone',
      's.accountability_mode',
      's.key_customer_tag',
    ])
    .where('organizations.tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!org) throw notFound('organization');
  const versions = await tx
    .selectFrom('commission_rule_sets')
    .select(['id', 'effective_from', 'rules'])
    .where('tenant_id', '=', tenantId)
    .orderBy('effective_from')
    .orderBy('created_at')
    .execute();
  return {
    tenantId,
    slug: org.slug,
    name: org.name,
    baseCurrency: org.base_currency.trim(),
    timezone: org.timezone,
    today: todayIn(clock, org.timezone),
    accountabilityMode: org.accountability_mode ?? false,
    keyCustomerTag: org.key_customer_tag ?? '重点',
    ruleVersions: versions.map((row) => ({
      id: row.id,
      effectiveFrom: row.effective_from,
      rules: rulesOf(row.rules),
    })),
  };
}

/** Stored rules are written through the contract's schema; a missing rule reads as the default's. */
export function rulesOf(stored: unknown): CommissionRules {
  const value = (typeof stored === 'string' ? JSON.parse(stored) : stored) as Partial<CommissionRules>;
  return { ...DEFAULT_COMMISSION_RULES, ...value };
}

/** The id of the version in force for a month (null: the built-in defaults). */
export function ruleSetIdInForce(context: IncentiveContext, month: string): string | null {
  let found: { id: string; effectiveFrom: string } | null = null;
  for (const version of context.ruleVersions) {
    if (version.effectiveFrom <= month && (found === null || version.effectiveFrom >= found.effectiveFrom)) {
      found = version;
    }
  }
  return found?.id ?? null;
}

/**
 * Which salespeople an actor may see statements and evaluations of: a salesperson themselves, a manager the
 * members of their teams (and themselves), everyone else all. `userAlias` is a users row.
 */
export function salespersonScopeCondition(scope: RecordScope, userAlias: string): RawBuilder<boolean> {
  const id = sql.ref(`${userAlias}.id`);
  const team = sql.ref(`${userAlias}.team_id`);
  switch (scope.kind) {
    case 'all':
      return sql<boolean>`true`;
    case 'own':
      return sql<boolean>`${id} = ${scope.userId === '' ? null : scope.userId}::uuid`;
    case 'team':
      return scope.teamIds.length === 0
        ? sql<boolean>`${id} = ${scope.userId}::uuid`
        : sql<boolean>`(${id} = ${scope.userId}::uuid OR ${team} IN (${sql.join([...scope.teamIds])}))`;
  }
}

/** A user of the organization in the actor's scope, or 404 exactly like a user that does not exist. */
export async function visibleSalespersonOrThrow(
  tx: Tx,
  actor: Actor,
  userId: string,
): Promise<{ id: string; name: string; teamId: string | null }> {
  const user = await tx
    .selectFrom('users as u')
    .select(['u.id', 'u.name', 'u.team_id'])
    .where('u.tenant_id', '=', actor.tenantId)
    .where('u.id', '=', userId)
    .where(salespersonScopeCondition(recordScope(actor), 'u'))
    .executeTakeFirst();
  if (!user) throw notFound('user');
  return { id: user.id, name: user.name, teamId: user.team_id };
}

/** Finance (or an admin) approves and locks statements and sets the commission rules. */
export function requireFinanceRole(actor: Actor): void {
  if (actor.role !== 'finance' && actor.role !== 'admin') throw new AppError('forbidden');
}

/** Targets are set by sales managers (for their teams), finance and admins (for anyone). */
export function requireTargetSetter(actor: Actor): void {
  if (!['sales_manager', 'finance', 'admin'].includes(actor.role)) throw new AppError('forbidden');
}
