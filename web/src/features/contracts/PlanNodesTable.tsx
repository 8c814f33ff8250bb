import type { PlanNode } from '@huikuan/core/contracts';
import { Alert, App, Button, DatePicker, Form, Modal, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { useErrorText } from '../../ui/errors';
import { dateFieldProps, useToday } from '../../ui/form-date';
import { bpToPercentText } from '../../ui/decimal-input';
import { ModalFooter } from '../../ui/ModalFooter';
import { MoneyText } from '../../ui/MoneyText';
import { requiredRule } from '../auth/rules';
import { useRecordNodeEvent } from './api';
import { NodeStatusTag } from './labels';

/** Delivery and acceptance nodes wait for their event; the others are dated from the start. */
const hasEvent = (node: PlanNode) => node.dueTrigger === 'on_delivery' || node.dueTrigger === 'on_acceptance';

function TriggerText({ node }: { node: PlanNode }) {
  const t = useT();
  const trigger = t(`planNode.trigger.${node.dueTrigger}`);
  if (node.dueTrigger === 'fixed_date') return <span>{trigger}</span>;
  return (
    <span>
      {t('planNode.triggerWithOffset', { trigger, days: node.offsetDays })}
      {node.triggerEventOn === null ? null : (
        <Typography.Text type="secondary">
          {' '}
          (<DateText value={node.triggerEventOn} />)
        </Typography.Text>
      )}
    </span>
  );
}

function useNodeColumns(onRecord: ((node: PlanNode) => void) | null): TableColumnsType<PlanNode> {
  const t = useT();
  return useMemo(() => {
    const columns: TableColumnsType<PlanNode> = [
      { key: 'seq', title: '#', render: (_, n) => n.seq },
      { key: 'name', title: t('planNode.name'), dataIndex: 'name' },
      {
        key: 'amount',
        title: t('planNode.amount'),
        align: 'right',
        render: (_, n) => (
          <span>
            <MoneyText amount={n.amount} currency={n.currency} />
            {n.percentageBp === null ? null : (
              <Typography.Text type="secondary"> ({bpToPercentText(n.percentageBp)}%)</Typography.Text>
            )}
          </span>
        ),
      },
      { key: 'trigger', title: t('planNode.trigger'), render: (_, n) => <TriggerText node={n} /> },
      {
        key: 'due',
        title: t('planNode.dueDate'),
        render: (_, n) => <DateText value={n.dueDate} empty={t('planNode.awaitingEvent')} />,
      },
      {
        key: 'received',
        title: t('planNode.received'),
        align: 'right',
        render: (_, n) => <MoneyText amount={n.received} currency={n.currency} />,
      },
      {
        key: 'open',
        title: t('planNode.open'),
        align: 'right',
        render: (_, n) => <MoneyText amount={n.open} currency={n.currency} />,
      },
      { key: 'status', title: t('common.status'), render: (_, n) => <NodeStatusTag status={n.status} /> },
      { key: 'method', title: t('planNode.method'), render: (_, n) => n.method ?? '—' },
      { key: 'acceptor', title: t('planNode.acceptor'), render: (_, n) => n.acceptorName ?? '—' },
      { key: 'criteria', title: t('planNode.criteria'), render: (_, n) => n.acceptanceCriteria ?? '—' },
    ];
    if (onRecord === null) return columns;
    return [
      ...columns,
      {
        key: 'actions',
        title: t('common.actions'),
        render: (_, n) =>
          hasEvent(n) ? (
            <Button size="small" onClick={() => onRecord(n)} data-testid={`plan-node-event-${n.seq}`}>
              {t(n.dueTrigger === 'on_delivery' ? 'planNode.recordDelivery' : 'planNode.recordAcceptance')}
            </Button>
          ) : null,
      },
    ];
  }, [t, onRecord]);
}

export function PlanNodesTable({ nodes, canWrite }: { nodes: PlanNode[]; canWrite: boolean }) {
  const [recording, setRecording] = useState<PlanNode | null>(null);
  const columns = useNodeColumns(canWrite ? setRecording : null);
  return (
    <>
      <div data-testid="plan-nodes-table">
        <Table<PlanNode>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={nodes}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </div>
      {recording === null ? null : <NodeEventModal node={recording} onClose={() => setRecording(null)} />}
    </>
  );
}

function NodeEventModal({ node, onClose }: { node: PlanNode; onClose: () => void }) {
  const t = useT();
  const today = useToday();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ eventOn: string }>();
  const record = useRecordNodeEvent();
  const [failure, setFailure] = useState<unknown>(null);
  const submit = ({ eventOn }: { eventOn: string }) =>
    record.mutate(
      { nodeId: node.id, eventOn },
      {
        onSuccess: () => {
          void message.success(t('common.saved'));
          onClose();
        },
        onError: setFailure,
      },
    );
  const isDelivery = node.dueTrigger === 'on_delivery';
  return (
    <Modal
      open
      title={t(isDelivery ? 'planNode.recordDelivery' : 'planNode.recordAcceptance')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={record.isPending}
          okTestId="plan-node-event-save"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Typography.Paragraph>
        {t('planNode.eventHelp', { name: node.name, days: node.offsetDays })}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ eventOn: node.triggerEventOn ?? today }}
        onFinish={submit}
      >
        <Form.Item
          name="eventOn"
          label={t(isDelivery ? 'planNode.deliveredOn' : 'planNode.acceptedOn')}
          rules={[requiredRule(t)]}
          {...dateFieldProps}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
