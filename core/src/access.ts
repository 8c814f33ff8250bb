/**
 * Roles, permissions and record scopes. The matrix lives in core so the web app hides what the server
 * would refuse, and both read one truth.
 */

export const ROLES = ['admin', 'sales_manager', 'salesperson', 'finance', 'legal', 'executive'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'org.manage',
  'users.read',
  'users.manage',
  'teams.manage',
  'tokens.manage',
  'audit.read',
  'records.read',
  'records.write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  sales_manager: ['users.read', 'records.read', 'records.write'],
  salesperson: ['records.read', 'records.write'],
  finance: ['users.read', 'audit.read', 'records.read', 'records.write'],
  legal: ['users.read', 'records.read', 'records.write'],
  executive: ['users.read', 'audit.read', 'records.read'],
};

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * Which customer records a user sees: a salesperson their own, a manager their team's (and sub-teams'),
 * finance, legal, executives and admins all of them.
 */
export type RecordScope =
  | { kind: 'all' }
  | { kind: 'team'; teamIds: readonly string[]; userId: string }
  | { kind: 'own'; userId: string };

export type ScopeSubject = { userId: string; role: Role; teamIds: readonly string[] };

export function recordScopeOf(subject: ScopeSubject): RecordScope {
  switch (subject.role) {
    case 'admin':
    case 'finance':
    case 'legal':
    case 'executive':
      return { kind: 'all' };
    case 'sales_manager':
      return { kind: 'team', teamIds: subject.teamIds, userId: subject.userId };
    case 'salesperson':
      return { kind: 'own', userId: subject.userId };
  }
}

/** Whether a record owned by `ownerUserId` in `ownerTeamId` is inside a scope. */
export function isInScope(
  scope: RecordScope,
  ownerUserId: string | null,
  ownerTeamId: string | null,
): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'team':
      // A manager also sees what they own themselves, even when it sits in no team.
      return (
        (ownerUserId !== null && ownerUserId === scope.userId) ||
        (ownerTeamId !== null && scope.teamIds.includes(ownerTeamId))
      );
    case 'own':
      // The server builds an 'own' scope with userId '' for an actor without a user; it must match nothing.
      return scope.userId !== '' && ownerUserId === scope.userId;
  }
}

/** API token scopes: what an integration may do, on top of its creator's role. */
export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
