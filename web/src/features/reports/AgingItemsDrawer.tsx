import { agingColumnLabel, type agingItemSchema } from '@huikuan/core/contracts';
import { Drawer, Flex, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import type { z } from 'zod';
import { Link } from 'react-router';
import { useLocale } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LoadMore } from '../../ui/LoadMore';
import { MoneyText } from '../../ui/MoneyText';
import { agingItemsParams, useAgingItems, type AgingItemsQuery } from './api';
import { ReportExportButton } from './ReportExportButton';

type AgingItem = z.infer<typeof agingItemSchema>;

function useItemColumns(): TableColumnsType<AgingItem> {
  const { t } = useLocale();
  return useMemo(
    () => [
      {
        key: 'number',
        title: t('aging.items.number'),
        render: (_, item) => (
          <Link to={`/invoices/${item.invoiceId}`} data-testid={`aging-item-${item.number}`}>
            {item.number}
          </Link>
        ),
      },
      {
        key: 'customer',
        title: t('aging.items.customer'),
        render: (_, item) => <Link to={`/customers/${item.customerId}`}>{item.customerCode}</Link>,
      },
      {
        key: 'invoiceDate',
        title: t('aging.items.invoiceDate'),
        render: (_, item) => <DateText value={item.invoiceDate} withTime={false} />,
      },
      {
        key: 'dueDate',
        title: t('aging.items.dueDate'),
        render: (_, item) => <DateText value={item.dueDate} withTime={false} />,
      },
      { key: 'days', title: t('aging.items.daysPastDue'), align: 'right', dataIndex: 'daysPastDue' },
      {
        key: 'total',
        title: t('aging.items.total'),
        align: 'right',
        render: (_, item) => <MoneyText amount={item.total} currency={item.currency} />,
      },
      {
        key: 'open',
        title: t('aging.items.open'),
        align: 'right',
        render: (_, item) => <MoneyText amount={item.open} currency={item.currency} />,
      },
    ],
    [t],
  );
}

type AgingItemsDrawerProps = { query: AgingItemsQuery | null; onClose: () => void };

/** The invoices behind one cell, bar or row of an aging report, oldest first, a page at a time. */
export function AgingItemsDrawer({ query, onClose }: AgingItemsDrawerProps) {
  const { locale, t } = useLocale();
  const pages = useAgingItems(query);
  const items = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const columns = useItemColumns();
  const bucket =
    query?.target.bucket == null
      ? t('aging.items.allBuckets')
      : agingColumnLabel(query.target.bucket, locale);
  return (
    <Drawer
      open={query !== null}
      onClose={onClose}
      size="large"
      title={t('aging.items.title')}
      destroyOnHidden
      data-testid="aging-items-drawer"
      extra={
        query === null ? null : (
          <ReportExportButton
            path="/api/reports/aging-items/export"
            params={agingItemsParams(query)}
            testId="aging-items-export"
            size="small"
          />
        )
      }
    >
      {query === null ? null : (
        <Flex vertical gap={12}>
          <Typography.Text type="secondary" data-testid="aging-items-subtitle">
            {t('aging.items.subtitle', { group: query.target.label, bucket, asOf: query.asOf })}
          </Typography.Text>
          {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
          <div data-testid="aging-items-table">
            <Table<AgingItem>
              rowKey="invoiceId"
              size="small"
              columns={columns}
              dataSource={items}
              loading={pages.isPending}
              pagination={false}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: t('aging.items.empty') }}
            />
          </div>
          <LoadMore
            hasNextPage={pages.hasNextPage}
            isFetchingNextPage={pages.isFetchingNextPage}
            onLoadMore={() => void pages.fetchNextPage()}
            testId="aging-items-load-more"
          />
        </Flex>
      )}
    </Drawer>
  );
}
