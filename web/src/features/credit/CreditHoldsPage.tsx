import type { CreditHoldRow } from '@huikuan/core/contracts';
import { Card, Flex, Segmented, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../app/locale';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LoadMore } from '../../ui/LoadMore';
import { MoneyText } from '../../ui/MoneyText';
import { Page } from '../../ui/Page';
import { useCreditHolds, type CreditHoldsStatus } from './api';
import { creditStatusOf, CreditStatusTag, percentText } from './labels';

/** 信用冻结: customers on credit hold or near their limit, in the caller's scope (evaluated live by the server). */
export function CreditHoldsPage() {
  const t = useT();
  const [status, setStatus] = useState<CreditHoldsStatus>('hold');
  const holds = useCreditHolds(status);
  const rows = holds.data?.pages.flatMap((page) => page.items) ?? [];
  const summary = holds.data?.pages[0]?.summary;
  return (
    <Page title={t('credit.holds.title')}>
      <Card>
        <Flex vertical gap={16}>
          <Flex justify="space-between" wrap gap={8}>
            <Segmented<CreditHoldsStatus>
              value={status}
              onChange={setStatus}
              options={(['hold', 'warning', 'any'] as const).map((value) => ({
                value,
                label: t(`credit.holds.status.${value}`),
              }))}
            />
            {summary ? (
              <Typography.Text type="secondary" data-testid="credit-holds-summary">
                {t('credit.holds.summary', { ...summary })}
              </Typography.Text>
            ) : null}
          </Flex>
          {holds.isError ? <ErrorAlert error={holds.error} onRetry={() => void holds.refetch()} /> : null}
          <Table<CreditHoldRow>
            rowKey="customerId"
            size="small"
            loading={holds.isPending}
            dataSource={rows}
            pagination={false}
            locale={{ emptyText: t('credit.holds.empty') }}
            data-testid="credit-holds-table"
            columns={[
              {
                title: t('credit.customer'),
                render: (_v, row) => (
                  <Link to={`/customers/${row.customerId}?tab=credit`}>{`${row.code} · ${row.name}`}</Link>
                ),
              },
              {
                title: t('common.status'),
                render: (_v, row) => <CreditStatusTag status={creditStatusOf(row)} />,
              },
              {
                title: t('credit.causes'),
                render: (_v, row) =>
                  row.causes.map((cause) => <Tag key={cause}>{t(`credit.causeShort.${cause}`)}</Tag>),
              },
              {
                title: t('credit.exposure.total'),
                align: 'right',
                render: (_v, row) => <MoneyText amount={row.exposure} currency={row.currency} />,
              },
              {
                title: t('credit.limit'),
                align: 'right',
                render: (_v, row) =>
                  row.limit === null ? (
                    t('credit.noLimit')
                  ) : (
                    <MoneyText amount={row.limit} currency={row.currency} />
                  ),
              },
              {
                title: t('credit.shareOfLimit'),
                align: 'right',
                render: (_v, row) => (row.shareOfLimit === null ? '—' : percentText(row.shareOfLimit)),
              },
              { title: t('credit.oldestOverdue'), align: 'right', dataIndex: 'oldestOverdueDays' },
            ]}
          />
          <LoadMore
            hasNextPage={holds.hasNextPage}
            isFetchingNextPage={holds.isFetchingNextPage}
            onLoadMore={() => void holds.fetchNextPage()}
          />
        </Flex>
      </Card>
    </Page>
  );
}
