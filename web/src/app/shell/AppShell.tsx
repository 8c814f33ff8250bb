import { Flex, Layout, Menu, Typography, type MenuProps } from 'antd';
import { Suspense, useMemo, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { FullPageSpin } from '../../ui/FullPageSpin';
import type { Translate } from '../i18n';
import { LocaleSwitch } from '../LocaleSwitch';
import { useT } from '../locale';
import {
  HOME_ENTRY,
  MODULE_ENTRIES,
  SETTINGS_ENTRIES,
  SETTINGS_ICON,
  entryPathFor,
  type NavEntry,
} from '../navigation';
import { useCan, useSession } from '../session';
import { UserMenu } from './UserMenu';
import { NotificationBell } from '../../features/messaging/NotificationBell';

type MenuItem = Required<MenuProps>['items'][number];

function toMenuItem(entry: NavEntry, t: Translate): MenuItem {
  const label = (
    <Link to={entry.path}>
      {t(entry.labelKey)}
      {entry.badge}
    </Link>
  );
  return { key: entry.path, icon: entry.icon, label };
}

function useMenuItems(): MenuItem[] {
  const t = useT();
  const can = useCan();
  return useMemo(() => {
    const isVisible = (entry: NavEntry) => entry.permission === null || can(entry.permission);
    const modules = [HOME_ENTRY, ...MODULE_ENTRIES].filter(isVisible).map((entry) => toMenuItem(entry, t));
    const settings = SETTINGS_ENTRIES.filter(isVisible).map((entry) => toMenuItem(entry, t));
    return [
      ...modules,
      { key: 'settings', icon: SETTINGS_ICON, label: t('nav.settings'), children: settings },
    ];
  }, [t, can]);
}

export function AppShell() {
  const t = useT();
  const { organization } = useSession();
  const location = useLocation();
  const [isCollapsed, setCollapsed] = useState(false);
  const items = useMenuItems();
  const selectedKey = entryPathFor(location.pathname);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        theme="light"
        collapsible
        collapsed={isCollapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        width={256}
      >
        <Typography.Title level={4} style={{ margin: '16px 24px', whiteSpace: 'nowrap', overflow: 'hidden' }}>
          {t('app.name')}
        </Typography.Title>
        <Menu
          mode="inline"
          selectedKeys={[selectedKey]}
          // Settings start expanded: the group is short and hiding it made its pages hard to find.
          defaultOpenKeys={['settings']}
          items={items}
          data-testid="side-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ borderBottom: '1px solid #f0f0f0' }}>
          <Flex justify="space-between" align="center" style={{ height: '100%' }} gap={16}>
            <Typography.Text strong ellipsis data-testid="org-name">
              {organization.name}
            </Typography.Text>
            <Flex align="center" gap={12}>
              <NotificationBell />
              <LocaleSwitch />
              <UserMenu />
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
