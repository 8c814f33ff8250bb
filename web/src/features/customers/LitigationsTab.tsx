import { PlusOutlined } from '@ant-design/icons';
import { LITIGATION_PARTY_ROLES, type Litigation } from '@huikuan/core/contracts';
import {
  Alert,
  Button,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Table,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { useErrorText } from '../../ui/errors';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { dateFieldProps } from '../../ui/form-date';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { requiredRule } from '../auth/rules';
import { useLitigations, useSubListWrite } from './api';

type LitigationValues = {
  caseNumber?: string;
  court?: string;
  filedOn?: string | null;
  partyRole?: (typeof LITIGATION_PARTY_ROLES)[number] | null;
  status?: string;
  summary: string;
};
const FIELD_NAMES: readonly string[] = ['caseNumber', 'court', 'filedOn', 'partyRole', 'status', 'summary'];

/** 公共诉讼记录: lawsuits the customer is party to, a warning sign before extending credit. */
export function LitigationsTab({ customerId, canWrite }: { customerId: string; canWrite: boolean }) {
  const t = useT();
  const list = useLitigations(customerId);
  const [isAdding, setAdding] = useState(false);
  const columns: TableColumnsType<Litigation> = [
    { key: 'case', title: t('litigations.caseNumber'), render: (_, l) => l.caseNumber ?? '—' },
    { key: 'court', title: t('litigations.court'), render: (_, l) => l.court ?? '—' },
    { key: 'filed', title: t('litigations.filedOn'), render: (_, l) => <DateText value={l.filedOn} /> },
    {
      key: 'role',
      title: t('litigations.partyRole'),
      render: (_, l) => (l.partyRole === null ? '—' : t(`litigations.role.${l.partyRole}`)),
    },
    { key: 'status', title: t('litigations.status'), render: (_, l) => l.status ?? '—' },
    { key: 'summary', title: t('litigations.summary'), dataIndex: 'summary' },
  ];
  return (
    <Flex vertical gap={12}>
      {canWrite ? (
        <Flex justify="flex-end">
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="litigation-add">
            {t('litigations.add')}
          </Button>
        </Flex>
      ) : null}
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<Litigation>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={false}
      />
      {isAdding ? <LitigationModal customerId={customerId} onClose={() => setAdding(false)} /> : null}
    </Flex>
  );
}

function LitigationModal({ customerId, onClose }: { customerId: string; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<LitigationValues>();
  const write = useSubListWrite(customerId, 'litigations');
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);
  const submit = (body: LitigationValues) => {
    setFailure(null);
    write.mutate(
      { method: 'POST', body },
      {
        onSuccess: onClose,
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, FIELD_NAMES)) setFailure(error);
        },
      },
    );
  };
  return (
    <Modal
      open
      title={t('litigations.add')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={write.isPending}
          okTestId="litigation-save"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<LitigationValues> form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="caseNumber" label={t('litigations.caseNumber')}>
          <Input />
        </Form.Item>
        <Form.Item name="court" label={t('litigations.court')}>
          <Input />
        </Form.Item>
        <Form.Item name="filedOn" label={t('litigations.filedOn')} {...dateFieldProps}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="partyRole" label={t('litigations.partyRole')}>
          <Select
            allowClear
            options={LITIGATION_PARTY_ROLES.map((role) => ({
              value: role,
              label: t(`litigations.role.${role}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="status" label={t('litigations.status')}>
          <Input />
        </Form.Item>
        <Form.Item name="summary" label={t('litigations.summary')} rules={[requiredRule(t), { max: 5000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
