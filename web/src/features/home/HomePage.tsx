import { Card, Col, Flex, List, Row, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useLocale } from '../../app/locale';
import { useCan, useSession } from '../../app/session';
import { Chart, type ChartOption } from '../../ui/Chart';
import { useRoleLabel } from '../../ui/roles';
import { recentMonthLabels } from './empty-months';

const MONTHS_SHOWN = 6;

/** The collections chart before any data exists: real month axes, no bars, and a plain "no data" note. */
function useEmptyCollectionsOption(): ChartOption {
  const { locale, t } = useLocale();
  const { organization } = useSession();
  return useMemo(
    () => ({
      title: {
        text: t('home.chartEmpty'),
        left: 'center',
        top: 'middle',
        textStyle: { color: '#8c8c8c', fontSize: 14, fontWeight: 'normal' },
      },
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      xAxis: {
        type: 'category',
        data: recentMonthLabels(new Date(), organization.timezone, locale, MONTHS_SHOWN),
      },
      yAxis: { type: 'value', name: organization.baseCurrency, min: 0, max: 1, axisLabel: { show: false } },
      series: [{ type: 'bar', name: t('home.chartTitle'), data: [] }],
    }),
    [locale, t, organization.timezone, organization.baseCurrency],
  );
}

function GettingStarted() {
  const { t } = useLocale();
  const can = useCan();
  const steps = [
    { key: 'org', to: '/settings/organization', text: t('home.nextSteps.org'), isShown: true },
    { key: 'users', to: '/settings/users', text: t('home.nextSteps.users'), isShown: can('users.manage') },
    { key: 'teams', to: '/settings/teams', text: t('home.nextSteps.teams'), isShown: can('teams.manage') },
  ].filter((step) => step.isShown);
  return (
    <Card title={t('home.nextStepsTitle')}>
      <List
        dataSource={steps}
        renderItem={(step) => (
          <List.Item>
            <Link to={step.to}>{step.text}</Link>
          </List.Item>
        )}
      />
    </Card>
  );
}

export function HomePage() {
  const { t } = useLocale();
  const { user, organization } = useSession();
  const roleLabel = useRoleLabel();
  const option = useEmptyCollectionsOption();
  return (
    <Flex vertical gap={16}>
      <Card data-testid="welcome-card">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('home.welcome', { name: user.name })}
        </Typography.Title>
        <Typography.Paragraph>
          {t('home.orgLine', {
            organization: organization.name,
            currency: organization.baseCurrency,
            timezone: organization.timezone,
          })}
        </Typography.Paragraph>
        <Typography.Text type="secondary">
          {t('home.roleLine', { role: roleLabel(user.role) })}
        </Typography.Text>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card title={t('home.chartTitle')}>
            <Chart option={option} ariaLabel={t('home.chartEmpty')} height={280} testId="home-chart" />
            <Typography.Text type="secondary">{t('home.chartHint')}</Typography.Text>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <GettingStarted />
        </Col>
      </Row>
    </Flex>
  );
}
