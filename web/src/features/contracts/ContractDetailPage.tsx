import { App, Button, Card, Descriptions, Flex, Popconfirm } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { FullPageSpin } from '../../ui/FullPageSpin';
import { MoneyText } from '../../ui/MoneyText';
import { Page } from '../../ui/Page';
import { RecordAuditTrail } from '../audit/RecordAuditTrail';
import { InvoicesList } from '../invoices/InvoicesList';
import { useContract, useSetContractStatus } from './api';
import { EditPlanModal } from './EditPlanModal';
import { ContractStatusTag } from './labels';
import { PlanNodesTable } from './PlanNodesTable';
import { PlanVsActual } from './PlanVsActual';

export function ContractDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const canWrite = useCan()('records.write');
  const contract = useContract(id);
  const setStatus = useSetContractStatus(id);
  const [isEditingPlan, setEditingPlan] = useState(false);
  if (contract.isPending) return <FullPageSpin />;
  if (contract.isError) return <ErrorAlert error={contract.error} onRetry={() => void contract.refetch()} />;
  const record = contract.data;
  const isActive = record.status === 'active';
  const changeStatus = (action: 'close' | 'cancel') =>
    setStatus.mutate(action, { onError: (error) => void message.error(errorText(error)) });

  return (
    <Page
      title={`${t('contracts.contract')} ${record.number}`}
      extra={
        canWrite && isActive ? (
          <Flex gap={8}>
            <Popconfirm title={t('contracts.confirmClose')} onConfirm={() => changeStatus('close')}>
              <Button>{t('contracts.close')}</Button>
            </Popconfirm>
            <Popconfirm title={t('contracts.confirmCancel')} onConfirm={() => changeStatus('cancel')}>
              <Button danger>{t('contracts.cancel')}</Button>
            </Popconfirm>
          </Flex>
        ) : null
      }
    >
      <Card>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            {
              label: t('contracts.customer'),
              children: (
                <Link
                  to={`/customers/${record.customerId}`}
                >{`${record.customerCode} · ${record.customerName}`}</Link>
              ),
            },
            { label: t('contracts.title'), children: record.title ?? '—' },
            { label: t('common.status'), children: <ContractStatusTag status={record.status} /> },
            {
              label: t('contracts.amount'),
              children: <MoneyText amount={record.amount} currency={record.currency} />,
            },
            { label: t('contracts.signedOn'), children: <DateText value={record.signedOn} /> },
            {
              label: t('contracts.paymentTermsDays'),
              children: t('common.daysCount', { days: record.paymentTermsDays }),
            },
            { label: t('contracts.paymentTermsText'), children: record.paymentTermsText ?? '—', span: 3 },
            { label: t('contracts.notes'), children: record.notes ?? '—', span: 3 },
          ]}
        />
      </Card>
      <PlanVsActual contract={record} />
      <Card
        title={t('contracts.plan')}
        extra={
          canWrite && isActive ? (
            <Button onClick={() => setEditingPlan(true)} data-testid="plan-edit">
              {t('contracts.editPlan')}
            </Button>
          ) : null
        }
      >
        <PlanNodesTable nodes={record.planNodes} canWrite={canWrite && isActive} />
      </Card>
      <Card title={t('contracts.invoices')}>
        <InvoicesList contractId={id} />
      </Card>
      <RecordAuditTrail entityType="contract" entityId={id} />
      {isEditingPlan ? <EditPlanModal contract={record} onClose={() => setEditingPlan(false)} /> : null}
    </Page>
  );
}
