import type { User } from '@huikuan/core/contracts';
import type { AppDeps } from '../../platform/deps';
import { title, type ListExport } from '../../platform/export';
import { listUsers, type UserListQuery } from './list-users';

export type UserExportFilters = Omit<UserListQuery, 'cursor' | 'limit'>;

export function userExport(deps: AppDeps): ListExport<UserExportFilters, User> {
  return {
    list: 'users',
    entity: 'user',
    fileName: title('用户', 'users'),
    page: (actor, filters, cursor, limit) => listUsers(deps, actor, { ...filters, cursor, limit }),
    columns: [
      { header: title('姓名', 'Name'), value: (row) => row.name },
      { header: title('邮箱', 'Email'), value: (row) => row.email },
      { header: title('角色', 'Role'), value: (row) => row.role },
      { header: title('团队ID', 'Team ID'), value: (row) => row.teamId },
      { header: title('启用', 'Active'), value: (row) => row.isActive },
      { header: title('创建时间', 'Created at'), value: (row) => row.createdAt },
      { header: title('最近登录', 'Last sign-in'), value: (row) => row.lastLoginAt },
    ],
  };
}
