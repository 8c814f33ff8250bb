import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Tabs } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { Page } from '../../ui/Page';
import { InvoiceFormDrawer } from './InvoiceFormDrawer';
import { InvoiceRequestsTab } from './InvoiceRequestsTab';
import { InvoicesList } from './InvoicesList';

export function InvoicesPage() {
  const t = useT();
  const navigate = useNavigate();
  const canWrite = useCan()('records.write');
  const [searchParams, setSearchParams] = useSearchParams();
  const [isCreating, setCreating] = useState(false);
  const tab = searchParams.get('tab') ?? 'invoices';
  return (
    <Page
      title={t('nav.invoices')}
      extra={
        canWrite ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="invoice-create"
          >
            {t('invoices.create')}
          </Button>
        ) : null
      }
    >
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setSearchParams({ tab: key }, { replace: true })}
          destroyOnHidden
          items={[
            { key: 'invoices', label: t('invoices.tab.invoices'), children: <InvoicesList /> },
            { key: 'requests', label: t('invoices.tab.requests'), children: <InvoiceRequestsTab /> },
          ]}
        />
      </Card>
      {isCreating ? (
        <InvoiceFormDrawer
          preset={null}
          onClose={(createdId) => {
            setCreating(false);
            if (createdId !== null) void navigate(`/invoices/${createdId}`);
          }}
        />
      ) : null}
    </Page>
  );
}
