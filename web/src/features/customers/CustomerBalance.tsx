import { Card, Flex, Statistic, Typography } from 'antd';
import { useT } from '../../app/locale';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { MoneyText } from '../../ui/MoneyText';
import { useCustomerBalance } from './api';

/** The customer's balance as of today, per currency, exactly as the server computed it. */
export function CustomerBalance({ customerId }: { customerId: string }) {
  const t = useT();
  const balance = useCustomerBalance(customerId);
  if (balance.isError) return <ErrorAlert error={balance.error} onRetry={() => void balance.refetch()} />;
  const rows = balance.data?.balances ?? [];
  return (
    <Card loading={balance.isPending} size="small">
      <Flex vertical gap={8} data-testid="customer-balance">
        {rows.length === 0 ? (
          <Typography.Text type="secondary">{t('balance.none')}</Typography.Text>
        ) : (
          rows.map((row) => (
            <Flex key={row.currency} gap={48} wrap data-testid={`customer-balance-${row.currency}`}>
              <Statistic
                title={t('balance.balance')}
                valueRender={() => (
                  <span data-testid="customer-balance-amount">
                    <MoneyText amount={row.balance} currency={row.currency} />
                  </span>
                )}
              />
              <Statistic
                title={t('balance.openInvoices')}
                valueRender={() => (
                  <span data-testid="customer-open-invoices">
                    <MoneyText amount={row.openInvoices} currency={row.currency} />
                  </span>
                )}
              />
              <Statistic
                title={t('balance.unappliedCredit')}
                valueRender={() => (
                  <span data-testid="customer-unapplied-credit">
                    <MoneyText amount={row.unappliedCredit} currency={row.currency} />
                  </span>
                )}
              />
            </Flex>
          ))
        )}
        {balance.data ? (
          <Typography.Text type="secondary">{t('balance.asOf', { date: balance.data.asOf })}</Typography.Text>
        ) : null}
      </Flex>
    </Card>
  );
}
