import type { PaymentBehaviourCurrency, PaymentBehaviourView } from '@huikuan/core/contracts';
import { Card, Col, DatePicker, Flex, Row, Segmented, Skeleton, Statistic, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Translate } from '../../app/i18n';
import { useT } from '../../app/locale';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { MoneyText } from '../../ui/MoneyText';
import { usePaymentBehaviour } from './api';
import { PaymentTrendChart } from './PaymentTrendChart';
import { RatingCard } from './RatingCard';
import { percentText } from './reason-text';

/** 信用历史: how the customer actually paid, its rating and why, as of a date (default today). */
export function PaymentHistoryTab({ customerId }: { customerId: string }) {
  const t = useT();
  const [asOf, setAsOf] = useState<string | null>(null);
  const [currency, setCurrency] = useState<string | null>(null);
  const behaviour = usePaymentBehaviour(customerId, asOf);
  if (behaviour.isError) {
    return <ErrorAlert error={behaviour.error} onRetry={() => void behaviour.refetch()} />;
  }
  if (behaviour.isPending) return <Skeleton active />;
  const data = behaviour.data;
  const section = data.currencies.find((entry) => entry.currency === currency) ?? data.currencies[0];
  return (
    <Flex vertical gap={16} data-testid="payment-history">
      <Flex gap={16} align="center" wrap>
        <span>{t('behaviour.asOf')}</span>
        <DatePicker
          allowClear
          value={dayjs(data.asOf)}
          onChange={(value) => setAsOf(value ? value.format('YYYY-MM-DD') : null)}
          data-testid="payment-history-as-of"
        />
        {data.currencies.length > 1 ? (
          <Segmented
            options={data.currencies.map((entry) => entry.currency)}
            value={section?.currency}
            onChange={(value) => setCurrency(value)}
            data-testid="payment-history-currency"
          />
        ) : null}
        <Typography.Text type="secondary">
          {t('behaviour.window', { from: data.fromDate, to: data.asOf })}
        </Typography.Text>
      </Flex>
      <RatingCard rating={data.rating} />
      {section === undefined ? null : <CurrencySection section={section} data={data} />}
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('behaviour.definitions')}
      </Typography.Paragraph>
    </Flex>
  );
}

function daysText(t: Translate, days: number | null): string {
  return days === null ? t('behaviour.metrics.none') : t('behaviour.days', { days: days.toFixed(1) });
}

function CurrencySection({
  section,
  data,
}: {
  section: PaymentBehaviourCurrency;
  data: PaymentBehaviourView;
}) {
  const t = useT();
  const { metrics } = section;
  const largest = section.largestOverdue;
  return (
    <>
      <Card size="small" data-testid={`payment-metrics-${section.currency}`}>
        <Row gutter={[24, 16]}>
          <Col xs={12} md={8} xl={4}>
            <Statistic
              title={t('behaviour.metrics.avgDaysToPay')}
              valueRender={() => (
                <span data-testid="metric-days-to-pay">{daysText(t, metrics.avgDaysToPay)}</span>
              )}
            />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Statistic
              title={t('behaviour.metrics.avgDaysLate')}
              valueRender={() => (
                <span data-testid="metric-days-late">{daysText(t, metrics.avgDaysLate)}</span>
              )}
            />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Statistic
              title={t('behaviour.metrics.shareLate')}
              valueRender={() => (
                <span data-testid="metric-share-late">
                  {metrics.shareLate === null ? t('behaviour.metrics.none') : percentText(metrics.shareLate)}
                </span>
              )}
            />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Statistic
              title={t('behaviour.metrics.paid')}
              valueRender={() => <MoneyText amount={metrics.paid} currency={section.currency} />}
            />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Statistic title={t('behaviour.metrics.paidInvoices')} value={metrics.paidInvoiceCount} />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Statistic
              title={t('behaviour.metrics.brokenPromises')}
              valueRender={() =>
                data.brokenPromises === null ? (
                  <Tooltip title={t('behaviour.metrics.notTrackedHint')}>
                    <Typography.Text type="secondary" data-testid="metric-broken-promises">
                      {t('behaviour.metrics.notTracked')}
                    </Typography.Text>
                  </Tooltip>
                ) : (
                  <span data-testid="metric-broken-promises">{data.brokenPromises}</span>
                )
              }
            />
          </Col>
        </Row>
      </Card>
      <Card size="small">
        <Row gutter={[24, 16]}>
          <Col xs={12} md={6}>
            <Statistic
              title={t('behaviour.open')}
              valueRender={() => <MoneyText amount={section.open} currency={section.currency} />}
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('behaviour.overdue')}
              valueRender={() => <MoneyText amount={section.overdue} currency={section.currency} />}
            />
          </Col>
          <Col xs={24} md={12}>
            <Typography.Text type="secondary">{t('behaviour.largestOverdue')}</Typography.Text>
            <div data-testid="largest-overdue">
              {largest === null ? (
                <Typography.Text>{t('behaviour.largestOverdue.none')}</Typography.Text>
              ) : (
                <Flex gap={8} wrap align="baseline">
                  <Link to={`/invoices/${encodeURIComponent(largest.invoiceId)}`}>{largest.number}</Link>
                  <MoneyText amount={largest.open} currency={section.currency} />
                  <Typography.Text type="danger">
                    {t('behaviour.largestOverdue.detail', {
                      date: largest.dueDate,
                      days: largest.daysOverdue,
                    })}
                  </Typography.Text>
                </Flex>
              )}
            </div>
          </Col>
        </Row>
      </Card>
      <Card size="small" title={t('behaviour.trend.title')}>
        <PaymentTrendChart section={section} />
      </Card>
    </>
  );
}
