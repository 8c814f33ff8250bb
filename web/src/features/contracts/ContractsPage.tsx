import { PlusOutlined } from '@ant-design/icons';
import { Button, Card } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { Page } from '../../ui/Page';
import { ContractFormDrawer } from './ContractFormDrawer';
import { ContractsList } from './ContractsList';

export function ContractsPage() {
  const t = useT();
  const navigate = useNavigate();
  const canWrite = useCan()('records.write');
  const [isCreating, setCreating] = useState(false);
  return (
    <Page
      title={t('nav.contracts')}
      extra={
        canWrite ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="contract-create"
          >
            {t('contracts.create')}
          </Button>
        ) : null
      }
    >
      <Card>
        <ContractsList />
      </Card>
      {isCreating ? (
        <ContractFormDrawer
          onClose={(createdId) => {
            setCreating(false);
            if (createdId !== null) void navigate(`/contracts/${createdId}`);
          }}
        />
      ) : null}
    </Page>
  );
}
