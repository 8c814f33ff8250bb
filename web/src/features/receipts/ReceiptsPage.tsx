import { PlusOutlined } from '@ant-design/icons';
import type { Receipt } from '@huikuan/core/contracts';
import { Button, Card, Tabs } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { Page } from '../../ui/Page';
import { ClaimModal } from './ClaimModal';
import { ClaimsTab } from './ClaimsTab';
import { ReceiptFormDrawer } from './ReceiptFormDrawer';
import { ReceiptsList } from './ReceiptsList';

export function ReceiptsPage() {
  const t = useT();
  const navigate = useNavigate();
  const canWrite = useCan()('records.write');
  const [searchParams, setSearchParams] = useSearchParams();
  const [isCreating, setCreating] = useState(false);
  const [claiming, setClaiming] = useState<Receipt | null>(null);
  const tab = searchParams.get('tab') ?? 'receipts';
  return (
    <Page
      title={t('nav.receipts')}
      extra={
        canWrite ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="receipt-create"
          >
            {t('receipts.create')}
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
            { key: 'receipts', label: t('receipts.tab.receipts'), children: <ReceiptsList /> },
            {
              key: 'pool',
              label: t('receipts.tab.pool'),
              children: <ReceiptsList onClaim={canWrite ? setClaiming : () => undefined} />,
            },
            { key: 'claims', label: t('receipts.tab.claims'), children: <ClaimsTab /> },
          ]}
        />
      </Card>
      {isCreating ? (
        <ReceiptFormDrawer
          onClose={(createdId) => {
            setCreating(false);
            if (createdId !== null) void navigate(`/receipts/${createdId}`);
          }}
        />
      ) : null}
      {claiming === null ? null : <ClaimModal receipt={claiming} onClose={() => setClaiming(null)} />}
    </Page>
  );
}
