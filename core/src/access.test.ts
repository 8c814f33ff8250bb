import { describe, expect, it } from 'vitest';
import {
  can,
  isInScope,
  PERMISSIONS,
  permissionsOf,
  recordScopeOf,
  ROLES,
  TOKEN_SCOPES,
  type Permission,
  type RecordScope,
  type Role,
} from './access';

const WRITE_PERMISSIONS: Permission[] = [
  'org.manage',
  'users.manage',
  'teams.manage',
  'tokens.manage',
  'records.write',
];

describe('permissions', () => {
  it('gives every role only known permissions, without duplicates', () => {
    for (const role of ROLES) {
      const granted = permissionsOf(role);
      for (const permission of granted) expect(PERMISSIONS).toContain(permission);
      expect(new Set(granted).size).toBe(granted.length);
    }
  });

  it('gives an admin everything', () => {
    for (const permission of PERMISSIONS) expect(can('admin', permission)).toBe(true);
  });

  it('keeps the executive read-only', () => {
    for (const permission of WRITE_PERMISSIONS) expect(can('executive', permission)).toBe(false);
    expect(can('executive', 'records.read')).toBe(true);
    expect(can('executive', 'audit.read')).toBe(true);
    expect(can('executive', 'users.read')).toBe(true);
  });

  it('lets only an admin manage the organization, users, teams and API tokens', () => {
    const managing: Permission[] = ['org.manage', 'users.manage', 'teams.manage', 'tokens.manage'];
    for (const role of ROLES) {
      for (const permission of managing) expect(can(role, permission)).toBe(role === 'admin');
    }
  });

  it('lets every role read records, and every role but the executive write them', () => {
    for (const role of ROLES) {
      expect(can(role, 'records.read')).toBe(true);
      expect(can(role, 'records.write')).toBe(role !== 'executive');
    }
  });

  it('keeps the audit log to admin, finance and the executive', () => {
    const readers = ROLES.filter((role) => can(role, 'audit.read'));
    expect(readers.sort()).toEqual(['admin', 'executive', 'finance']);
  });

  it('does not show a salesperson the user list', () => {
    expect(can('salesperson', 'users.read')).toBe(false);
    expect(can('sales_manager', 'users.read')).toBe(true);
  });

  it('offers read and write token scopes', () => {
    expect(TOKEN_SCOPES).toEqual(['read', 'write']);
  });
});

describe('recordScopeOf', () => {
  const subject = (role: Role) => ({ userId: 'user-1', role, teamIds: ['team-a', 'team-b'] });

  it.each(['admin', 'finance', 'legal', 'executive'] as const)('lets %s see all records', (role) => {
    expect(recordScopeOf(subject(role))).toEqual({ kind: 'all' });
  });

  it("limits a sales manager to their teams' records", () => {
    expect(recordScopeOf(subject('sales_manager'))).toEqual({
      kind: 'team',
      teamIds: ['team-a', 'team-b'],
      userId: 'user-1',
    });
  });

  it('limits a salesperson to their own records, whatever teams they are in', () => {
    expect(recordScopeOf(subject('salesperson'))).toEqual({ kind: 'own', userId: 'user-1' });
  });

  it('covers every role', () => {
    for (const role of ROLES) expect(['all', 'team', 'own']).toContain(recordScopeOf(subject(role)).kind);
  });
});

describe('isInScope', () => {
  const all: RecordScope = { kind: 'all' };
  const team: RecordScope = { kind: 'team', teamIds: ['team-a', 'team-b'], userId: 'manager-1' };
  const own: RecordScope = { kind: 'own', userId: 'user-1' };

  it('puts every record in the all scope, including unowned ones', () => {
    expect(isInScope(all, 'user-9', 'team-z')).toBe(true);
    expect(isInScope(all, null, null)).toBe(true);
  });

  it("puts only records of the scope's teams in a team scope", () => {
    expect(isInScope(team, 'user-9', 'team-a')).toBe(true);
    expect(isInScope(team, null, 'team-b')).toBe(true);
    expect(isInScope(team, 'user-9', 'team-c')).toBe(false);
    expect(isInScope(team, 'user-9', null)).toBe(false);
    expect(isInScope({ kind: 'team', teamIds: [], userId: 'manager-1' }, 'user-9', 'team-a')).toBe(false);
  });

  it("also puts the manager's own records in a team scope, even outside every team", () => {
    expect(isInScope(team, 'manager-1', null)).toBe(true);
    expect(isInScope(team, 'manager-1', 'team-c')).toBe(true);
  });

  it("puts only the user's own records in an own scope", () => {
    expect(isInScope(own, 'user-1', 'team-c')).toBe(true);
    expect(isInScope(own, 'user-1', null)).toBe(true);
    expect(isInScope(own, 'user-2', 'team-a')).toBe(false);
    expect(isInScope(own, null, 'team-a')).toBe(false);
  });

  it('matches nothing with an own scope that has no user', () => {
    expect(isInScope({ kind: 'own', userId: '' }, '', null)).toBe(false);
    expect(isInScope({ kind: 'own', userId: '' }, null, null)).toBe(false);
  });
});
