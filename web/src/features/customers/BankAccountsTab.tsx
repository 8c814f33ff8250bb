import { PlusOutlined } from '@ant-design/icons';
import type { BankAccount } from '@huikuan/core/contracts';
import { Alert, App, Button, Flex, Form, Input, Modal, Popconfirm, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { useErrorText } from '../../ui/errors';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { requiredRule } from '../auth/rules';
import { useBankAccounts, useSubListWrite } from './api';

type BankAccountValues = { bankName: string; accountName: string; accountNumber: string };
const FIELD_NAMES: readonly string[] = ['bankName', 'accountName', 'accountNumber'];

/** 往来银行: the accounts the customer pays from, which also help match unidentified receipts. */
export function BankAccountsTab({ customerId, canWrite }: { customerId: string; canWrite: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const accounts = useBankAccounts(customerId);
  const write = useSubListWrite(customerId, 'bank-accounts');
  const [isAdding, setAdding] = useState(false);
  const columns: TableColumnsType<BankAccount> = [
    { key: 'bank', title: t('bankAccounts.bankName'), dataIndex: 'bankName' },
    { key: 'name', title: t('bankAccounts.accountName'), dataIndex: 'accountName' },
    { key: 'number', title: t('bankAccounts.accountNumber'), dataIndex: 'accountNumber' },
    { key: 'at', title: t('common.createdAt'), render: (_, a) => <DateText value={a.createdAt} /> },
  ];
  if (canWrite)
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      render: (_, a) => (
        <Popconfirm
          title={t('common.confirmDelete')}
          onConfirm={() =>
            write.mutate(
              { method: 'DELETE', itemId: a.id },
              { onError: (e) => void message.error(errorText(e)) },
            )
          }
        >
          <Button size="small" danger>
            {t('common.delete')}
          </Button>
        </Popconfirm>
      ),
    });
  return (
    <Flex vertical gap={12}>
      {canWrite ? (
        <Flex justify="flex-end">
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="bank-account-add">
            {t('bankAccounts.add')}
          </Button>
        </Flex>
      ) : null}
      {accounts.isError ? (
        <ErrorAlert error={accounts.error} onRetry={() => void accounts.refetch()} />
      ) : null}
      <Table<BankAccount>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={accounts.data ?? []}
        loading={accounts.isPending}
        pagination={false}
      />
      {isAdding ? <BankAccountModal customerId={customerId} onClose={() => setAdding(false)} /> : null}
    </Flex>
  );
}

function BankAccountModal({ customerId, onClose }: { customerId: string; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<BankAccountValues>();
  const write = useSubListWrite(customerId, 'bank-accounts');
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);
  const submit = (body: BankAccountValues) => {
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
      title={t('bankAccounts.add')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={write.isPending}
          okTestId="bank-account-save"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<BankAccountValues> form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="bankName" label={t('bankAccounts.bankName')} rules={[requiredRule(t), { max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="accountName"
          label={t('bankAccounts.accountName')}
          rules={[requiredRule(t), { max: 200 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="accountNumber" label={t('bankAccounts.accountNumber')} rules={[requiredRule(t)]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
