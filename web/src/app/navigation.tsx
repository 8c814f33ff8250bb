import {
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  CheckSquareOutlined,
  ContactsOutlined,
  DollarOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  HomeOutlined,
  MailOutlined,
  OrderedListOutlined,
  ScheduleOutlined,
  SafetyOutlined,
  SendOutlined,
  SettingOutlined,
  StopOutlined,
  ThunderboltOutlined,
  TrophyOutlined,
  UploadOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@huikuan/core';
import type { ReactNode } from 'react';
import { PendingApprovalsBadge } from '../features/approvals/PendingApprovalsBadge';
import { MessageProblemsBadge } from '../features/messaging/MessageProblemsBadge';
import type { MessageKey } from './i18n';

/** One entry of the side menu; the router and the menu both read this list so they cannot drift apart. */
export type NavEntry = {
  path: string;
  labelKey: MessageKey;
  icon: ReactNode;
  /** Hidden (and its route refused) for users without it; null means every signed-in user. */
  permission: Permission | null;
  /** Shown after the label, e.g. a count of items waiting. */
  badge?: ReactNode;
};

export const HOME_ENTRY: NavEntry = {
  path: '/',
  labelKey: 'nav.home',
  icon: <HomeOutlined />,
  permission: null,
};

/** Business modules; those not built yet show a "coming soon" page (see the router). */
export const MODULE_ENTRIES: readonly NavEntry[] = [
  { path: '/customers', labelKey: 'nav.customers', icon: <ContactsOutlined />, permission: 'records.read' },
  { path: '/contracts', labelKey: 'nav.contracts', icon: <FileTextOutlined />, permission: 'records.read' },
  { path: '/invoices', labelKey: 'nav.invoices', icon: <FileDoneOutlined />, permission: 'records.read' },
  { path: '/receipts', labelKey: 'nav.receipts', icon: <DollarOutlined />, permission: 'records.read' },
  {
    path: '/approvals',
    labelKey: 'nav.approvals',
    icon: <CheckSquareOutlined />,
    permission: 'records.read',
    badge: <PendingApprovalsBadge />,
  },
  // 数据导入: anyone who writes records may dry-run; committing is checked by the server (finance, admin).
  { path: '/imports', labelKey: 'nav.imports', icon: <UploadOutlined />, permission: 'records.write' },
  { path: '/aging', labelKey: 'nav.aging', icon: <ScheduleOutlined />, permission: 'records.read' },
  {
    path: '/credit-holds',
    labelKey: 'nav.creditHolds',
    icon: <SafetyOutlined />,
    permission: 'records.read',
  },
  { path: '/write-offs', labelKey: 'nav.writeOffs', icon: <StopOutlined />, permission: 'records.read' },
  { path: '/collections', labelKey: 'nav.collections', icon: <BellOutlined />, permission: 'records.read' },
  // 催收: the ladders and their runs, beside the collections worklist.
  {
    path: '/dunning-policies',
    labelKey: 'nav.dunningPolicies',
    icon: <OrderedListOutlined />,
    permission: 'records.read',
  },
  {
    path: '/dunning-runs',
    labelKey: 'nav.dunningRuns',
    icon: <ThunderboltOutlined />,
    permission: 'records.write',
  },
  // 发送记录: every reminder, notice and letter sent, with its delivery result.
  {
    path: '/messages',
    labelKey: 'nav.messages',
    icon: <MailOutlined />,
    permission: 'records.read',
    badge: <MessageProblemsBadge />,
  },
  { path: '/targets', labelKey: 'nav.targets', icon: <TrophyOutlined />, permission: 'records.read' },
  { path: '/reports', labelKey: 'nav.reports', icon: <BarChartOutlined />, permission: 'records.read' },
];

export const SETTINGS_ICON = <SettingOutlined />;

export const SETTINGS_ENTRIES: readonly NavEntry[] = [
  {
    path: '/settings/organization',
    labelKey: 'nav.organization',
    icon: <SettingOutlined />,
    permission: null,
  },
  { path: '/settings/users', labelKey: 'nav.users', icon: <UserOutlined />, permission: 'users.read' },
  { path: '/settings/teams', labelKey: 'nav.teams', icon: <ApartmentOutlined />, permission: 'teams.manage' },
  {
    path: '/settings/api-tokens',
    labelKey: 'nav.apiTokens',
    icon: <ApiOutlined />,
    permission: 'tokens.manage',
  },
  { path: '/settings/audit', labelKey: 'nav.audit', icon: <AuditOutlined />, permission: 'audit.read' },
  {
    path: '/settings/playbook',
    labelKey: 'nav.playbook',
    icon: <BellOutlined />,
    permission: 'records.read',
  },
  {
    path: '/settings/messaging',
    labelKey: 'nav.messagingSettings',
    icon: <SendOutlined />,
    permission: 'org.manage',
  },
  {
    path: '/settings/letters',
    labelKey: 'nav.letters',
    icon: <FileTextOutlined />,
    permission: 'records.read',
  },
];

/** The menu entry a URL belongs to: the longest matching path, with home matching only itself. */
export function entryPathFor(pathname: string): string {
  const candidates = [HOME_ENTRY, ...MODULE_ENTRIES, ...SETTINGS_ENTRIES].filter((entry) =>
    entry.path === '/' ? pathname === '/' : pathname === entry.path || pathname.startsWith(`${entry.path}/`),
  );
  return candidates.reduce((best, entry) => (entry.path.length > best.length ? entry.path : best), '');
}
