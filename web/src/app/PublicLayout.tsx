import { Flex, Layout, Typography } from 'antd';
import { Suspense } from 'react';
import { Outlet } from 'react-router';
import { FullPageSpin } from '../ui/FullPageSpin';
import { LocaleSwitch } from './LocaleSwitch';
import { useT } from './locale';

/** Frame for the signed-out pages: sign in, sign up, accept an invitation. */
export function PublicLayout() {
  const t = useT();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ borderBottom: '1px solid #f0f0f0' }}>
        <Flex justify="space-between" align="center" style={{ height: '100%' }}>
          <Flex align="baseline" gap={12}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </Flex>
          <LocaleSwitch />
        </Flex>
      </Layout.Header>
      <Layout.Content>
        <Flex justify="center" style={{ padding: '48px 16px' }}>
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        </Flex>
      </Layout.Content>
    </Layout>
  );
}
