import { EditOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { AttachmentsCard } from '../../ui/AttachmentsCard';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { FullPageSpin } from '../../ui/FullPageSpin';
import { Page } from '../../ui/Page';
import { RecordAuditTrail } from '../audit/RecordAuditTrail';
import { ContractsList } from '../contracts/ContractsList';
import { CreditTab } from '../credit/CreditTab';
import { CollectionsTab } from '../collections/TimelineTab';
import { LettersTab } from '../letters/LettersTab';
import { InvoicesList } from '../invoices/InvoicesList';
import { ReceiptsList } from '../receipts/ReceiptsList';
import { PaymentHistoryTab } from '../payment-behaviour/PaymentHistoryTab';
import { useCustomer } from './api';
import { BankAccountsTab } from './BankAccountsTab';
import { ContactsTab } from './ContactsTab';
import { CreditFileTab } from './CreditFileTab';
import { CustomerBalance } from './CustomerBalance';
import { CustomerFormDrawer } from './CustomerFormDrawer';
import { LedgerTab } from './LedgerTab';
import { LitigationsTab } from './LitigationsTab';

export function CustomerDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const canWrite = useCan()('records.write');
  const [searchParams, setSearchParams] = useSearchParams();
  const [isEditing, setEditing] = useState(false);
  const customer = useCustomer(id);
  if (customer.isPending) return <FullPageSpin />;
  if (customer.isError) return <ErrorAlert error={customer.error} onRetry={() => void customer.refetch()} />;
  const record = customer.data;
  // The open tab lives in the URL, so a reload or a shared link lands on the same tab.
  const activeTab = searchParams.get('tab') ?? 'overview';

  const tabs = [
    { key: 'overview', label: t('customers.tab.overview'), children: <CreditFileTab customer={record} /> },
    {
      key: 'contacts',
      label: t('customers.tab.contacts'),
      children: <ContactsTab customerId={id} canWrite={canWrite} />,
    },
    {
      key: 'bank',
      label: t('customers.tab.bank'),
      children: <BankAccountsTab customerId={id} canWrite={canWrite} />,
    },
    {
      key: 'litigation',
      label: t('customers.tab.litigation'),
      children: <LitigationsTab customerId={id} canWrite={canWrite} />,
    },
    {
      key: 'attachments',
      label: t('customers.tab.attachments'),
      children: (
        <AttachmentsCard
          basePath={`/api/customers/${encodeURIComponent(id)}/attachments`}
          defaultKind="business_licence"
          canUpload={canWrite}
          testIdPrefix="customer-attachments"
        />
      ),
    },
    { key: 'credit', label: t('credit.tab'), children: <CreditTab customerId={id} /> },
    {
      key: 'collections',
      label: t('collections.timeline.title'),
      children: <CollectionsTab customerId={id} />,
    },
    { key: 'ledger', label: t('customers.tab.ledger'), children: <LedgerTab customerId={id} /> },
    { key: 'letters', label: t('letters.tab'), children: <LettersTab customerId={id} canWrite={canWrite} /> },
    { key: 'payment-history', label: t('behaviour.tab'), children: <PaymentHistoryTab customerId={id} /> },
    { key: 'contracts', label: t('customers.tab.contracts'), children: <ContractsList customerId={id} /> },
    { key: 'invoices', label: t('customers.tab.invoices'), children: <InvoicesList customerId={id} /> },
    { key: 'receipts', label: t('customers.tab.receipts'), children: <ReceiptsList customerId={id} /> },
    {
      key: 'audit',
      label: t('customers.tab.audit'),
      children: <RecordAuditTrail entityType="customer" entityId={id} />,
    },
  ];

  return (
    <Page
      title={`${record.code} · ${record.name}`}
      extra={
        <Flex gap={8} align="center">
          {record.isActive ? null : <Tag>{t('customers.inactive')}</Tag>}
          {canWrite ? (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="customer-edit">
              {t('common.edit')}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <CustomerBalance customerId={id} />
      <Card>
        <Tabs
          activeKey={activeTab}
          onChange={(key) => setSearchParams({ tab: key }, { replace: true })}
          items={tabs}
          destroyOnHidden
        />
      </Card>
      {isEditing ? <CustomerFormDrawer customer={record} onClose={() => setEditing(false)} /> : null}
    </Page>
  );
}
