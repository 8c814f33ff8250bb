import { ROLES, type Role } from '@huikuan/core';
import { useCallback, useMemo } from 'react';
import { useT } from '../app/locale';
import type { Option } from './options';

export function useRoleLabel(): (role: Role) => string {
  const t = useT();
  return useCallback((role: Role) => t(`role.${role}`), [t]);
}

export function useRoleOptions(): Option<Role>[] {
  const roleLabel = useRoleLabel();
  return useMemo(() => ROLES.map((role) => ({ value: role, label: roleLabel(role) })), [roleLabel]);
}
