import type { CreditHoldEvent, CreditOverride, CustomerCredit } from '@huikuan/core/contracts';
import { Alert, Button, Card, Descriptions, Flex, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { useCan, useSession } from '../../app/session';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { MoneyText } from '../../ui/MoneyText';
import { useCustomerCredit } from './api';
import { CreditLimitModal, CreditOverrideModal } from './CreditModals';
import { DisputesCard } from './DisputesCard';
import { ExposureBar } from './ExposureBar';
import { causeText, creditStatusOf, CreditStatusTag, percentText } from './labels';

function HoldBanner({ credit }: { credit: CustomerCredit }) {
  const t = useT();
  if (!credit.isOnHold && !credit.isWarning) return null;
  if (!credit.isOnHold) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="credit-warning-banner"
        title={t('credit.warningBanner', { share: percentText(credit.shareOfLimit ?? 0) })}
      />
    );
  }
  return (
    <Alert
      type={credit.isOverridden ? 'warning' : 'error'}
      showIcon
      data-testid="credit-hold-banner"
      title={t(credit.isOverridden ? 'credit.overriddenBanner' : 'credit.holdBanner')}
      description={
        <Flex vertical gap={4}>
          <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="credit-hold-causes">
            {credit.causes.map((cause) => (
              <li key={cause}>{causeText(t, cause, credit)}</li>
            ))}
          </ul>
          {credit.holdSince ? (
            <Typography.Text type="secondary">
              {t('credit.holdSinceLabel')} <DateText value={credit.holdSince} />
            </Typography.Text>
          ) : null}
        </Flex>
      }
    />
  );
}

function ExposureCard({
  credit,
  canEditLimit,
  onEditLimit,
}: {
  credit: CustomerCredit;
  canEditLimit: boolean;
  onEditLimit: () => void;
}) {
  const t = useT();
  const money = (amount: string) => <MoneyText amount={amount} currency={credit.currency} />;
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          {t('credit.exposure')}
          <CreditStatusTag status={creditStatusOf(credit)} />
        </Flex>
      }
      extra={<Typography.Text type="secondary">{t('credit.asOf', { date: credit.asOf })}</Typography.Text>}
    >
      <Flex vertical gap={16}>
        <Flex gap={48} wrap>
          <Statistic
            title={t('credit.limit')}
            valueRender={() => (
              <Flex gap={8} align="center" data-testid="credit-limit">
                {credit.limit === null ? t('credit.noLimit') : money(credit.limit)}
                {canEditLimit ? (
                  <Button size="small" onClick={onEditLimit} data-testid="credit-limit-edit">
                    {t('credit.editLimit')}
                  </Button>
                ) : null}
              </Flex>
            )}
          />
          <Statistic
            title={t('credit.exposure.total')}
            valueRender={() => (
              <span data-testid="credit-exposure-total">{money(credit.exposure.total)}</span>
            )}
          />
          <Statistic
            title={t('credit.shareOfLimit')}
            valueRender={() => (
              <span>{credit.shareOfLimit === null ? '—' : percentText(credit.shareOfLimit)}</span>
            )}
          />
          {credit.effectiveLimit !== null && credit.effectiveLimit !== credit.limit ? (
            <Statistic
              title={t('credit.effectiveLimit')}
              valueRender={() => money(credit.effectiveLimit ?? '0')}
            />
          ) : null}
        </Flex>
        <ExposureBar credit={credit} />
        <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
          <Descriptions.Item label={t('credit.exposure.openReceivables')}>
            {money(credit.exposure.openReceivables)}
          </Descriptions.Item>
          <Descriptions.Item label={t('credit.exposure.unbilledPlanNodes')}>
            {money(credit.exposure.unbilledPlanNodes)}
          </Descriptions.Item>
          <Descriptions.Item label={t('credit.exposure.uninvoicedContracts')}>
            {money(credit.exposure.uninvoicedContracts)}
          </Descriptions.Item>
          <Descriptions.Item label={t('credit.oldestOverdue')}>
            {credit.oldestOverdueDays ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('credit.openDisputes')}>
            <MoneyText amount={credit.openDisputes} currency={credit.settings.disputeHoldCurrency} />
          </Descriptions.Item>
        </Descriptions>
        <Typography.Text type="secondary">{t('credit.exposure.help')}</Typography.Text>
        {credit.otherCurrencies.length > 0 ? (
          <Typography.Text type="warning">
            {t('credit.otherCurrencies', { currencies: credit.otherCurrencies.join(', ') })}
          </Typography.Text>
        ) : null}
        <Typography.Text type="secondary">
          {t('credit.settingsNote', {
            warning: percentText(credit.settings.warningBp / 10_000),
            days: credit.settings.overdueHoldDays,
            threshold: `${credit.settings.disputeHoldThreshold} ${credit.settings.disputeHoldCurrency}`,
          })}
        </Typography.Text>
      </Flex>
    </Card>
  );
}

function OverridesAndEvents({ credit }: { credit: CustomerCredit }) {
  const t = useT();
  return (
    <Flex gap={16} wrap>
      <Card size="small" title={t('credit.overrides')} style={{ flex: '1 1 420px' }}>
        <Table<CreditOverride>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={credit.overrides}
          data-testid="credit-overrides"
          columns={[
            {
              title: t('credit.overrideAmountColumn'),
              render: (_v, o) => <MoneyText amount={o.amount} currency={o.currency} />,
            },
            {
              title: t('credit.overrideValidUntil'),
              dataIndex: 'validUntil',
              render: (v: string) => <DateText value={v} />,
            },
            {
              title: t('common.status'),
              render: (_v, o) => (
                <Tag color={o.isActive ? 'green' : 'default'}>
                  {t(o.isActive ? 'credit.overrideActive' : 'credit.overrideExpired')}
                </Tag>
              ),
            },
            { title: t('common.reason'), dataIndex: 'reason', ellipsis: true },
          ]}
        />
      </Card>
      <Card size="small" title={t('credit.events')} style={{ flex: '1 1 420px' }}>
        <Table<CreditHoldEvent>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={credit.events}
          locale={{ emptyText: t('credit.noEvents') }}
          data-testid="credit-events"
          columns={[
            {
              title: t('credit.eventTime'),
              dataIndex: 'occurredAt',
              render: (v: string) => <DateText value={v} />,
            },
            {
              title: t('credit.eventKind'),
              render: (_v, e) => (
                <Tag color={e.event === 'released' ? 'green' : 'red'}>{t(`credit.event.${e.event}`)}</Tag>
              ),
            },
            {
              title: t('credit.causes'),
              render: (_v, e) =>
                (e.event === 'released' ? e.previousCauses : e.causes)
                  .map((cause) => t(`credit.causeShort.${cause}`))
                  .join('；'),
            },
            {
              title: t('credit.eventSource'),
              dataIndex: 'source',
              render: (source: CreditHoldEvent['source']) => t(`credit.source.${source}`),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}

/** 信用控制: limit, exposure against it, hold state with its causes, overrides, the hold history and disputes. */
export function CreditTab({ customerId }: { customerId: string }) {
  const t = useT();
  const canWrite = useCan()('records.write');
  const { user } = useSession();
  const canEditLimit = user.role === 'admin' || user.role === 'finance';
  const credit = useCustomerCredit(customerId);
  const [modal, setModal] = useState<'limit' | 'override' | null>(null);
  if (credit.isError) return <ErrorAlert error={credit.error} onRetry={() => void credit.refetch()} />;
  if (!credit.data) return <Card loading size="small" />;
  const data = credit.data;
  return (
    <Flex vertical gap={16} data-testid="credit-tab">
      <HoldBanner credit={data} />
      {canWrite ? (
        <Flex justify="flex-end">
          <Button onClick={() => setModal('override')} data-testid="credit-override-request">
            {t('credit.requestOverride')}
          </Button>
        </Flex>
      ) : null}
      <ExposureCard credit={data} canEditLimit={canEditLimit} onEditLimit={() => setModal('limit')} />
      <OverridesAndEvents credit={data} />
      <DisputesCard customerId={customerId} canWrite={canWrite} />
      {modal === 'limit' ? (
        <CreditLimitModal customerId={customerId} credit={data} onClose={() => setModal(null)} />
      ) : null}
      {modal === 'override' ? (
        <CreditOverrideModal customerId={customerId} credit={data} onClose={() => setModal(null)} />
      ) : null}
    </Flex>
  );
}
