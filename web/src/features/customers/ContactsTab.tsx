import { PlusOutlined } from '@ant-design/icons';
import { CONTACT_ROLES, type Contact, type ContactRole } from '@huikuan/core/contracts';
import {
  Alert,
  App,
  Button,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Table,
  Tag,
  type TableColumnsType,
} from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { requiredRule } from '../auth/rules';
import { useContacts, useSubListWrite } from './api';

type ContactValues = {
  name: string;
  roles: ContactRole[];
  title?: string;
  phone?: string;
  email?: string;
  imHandle?: string;
  notes?: string;
};
const FIELD_NAMES: readonly string[] = ['name', 'roles', 'title', 'phone', 'email', 'imHandle', 'notes'];

type TabProps = { customerId: string; canWrite: boolean };

/** Contacts and their roles in the customer's payment process (九问: who starts, who approves, who accepts). */
export function ContactsTab({ customerId, canWrite }: TabProps) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const contacts = useContacts(customerId);
  const write = useSubListWrite(customerId, 'contacts');
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);

  const { mutate } = write;
  const remove = useCallback(
    (contact: Contact) =>
      mutate(
        { method: 'DELETE', itemId: contact.id },
        { onError: (error) => void message.error(errorText(error)) },
      ),
    [mutate, message, errorText],
  );
  const columns = useMemo<TableColumnsType<Contact>>(
    () => [
      { key: 'name', title: t('contacts.name'), dataIndex: 'name' },
      {
        key: 'roles',
        title: t('contacts.roles'),
        render: (_, c) => c.roles.map((role) => <Tag key={role}>{t(`contacts.role.${role}`)}</Tag>),
      },
      { key: 'title', title: t('contacts.title'), render: (_, c) => c.title ?? '—' },
      { key: 'phone', title: t('contacts.phone'), render: (_, c) => c.phone ?? '—' },
      { key: 'email', title: t('contacts.email'), render: (_, c) => c.email ?? '—' },
      { key: 'im', title: t('contacts.imHandle'), render: (_, c) => c.imHandle ?? '—' },
      ...(canWrite
        ? [
            {
              key: 'actions',
              title: t('common.actions'),
              render: (_: unknown, c: Contact) => (
                <Flex gap={8}>
                  <Button size="small" onClick={() => setEditing(c)}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(c)}>
                    <Button size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </Flex>
              ),
            },
          ]
        : []),
    ],
    [t, canWrite, remove],
  );

  return (
    <Flex vertical gap={12}>
      {canWrite ? (
        <Flex justify="flex-end">
          <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="contact-add">
            {t('contacts.add')}
          </Button>
        </Flex>
      ) : null}
      {contacts.isError ? (
        <ErrorAlert error={contacts.error} onRetry={() => void contacts.refetch()} />
      ) : null}
      <Table<Contact>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={contacts.data ?? []}
        loading={contacts.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
      {editing === null ? null : (
        <ContactModal
          customerId={customerId}
          contact={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </Flex>
  );
}

function ContactModal({
  customerId,
  contact,
  onClose,
}: {
  customerId: string;
  contact: Contact | null;
  onClose: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<ContactValues>();
  const write = useSubListWrite(customerId, 'contacts');
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);
  const submit = (values: ContactValues) => {
    setFailure(null);
    // An emptied email is "none" (null); the server checks the format of anything else.
    const body = { ...values, email: values.email?.trim() ? values.email.trim() : null };
    write.mutate(
      contact === null ? { method: 'POST', body } : { method: 'PATCH', itemId: contact.id, body },
      {
        onSuccess: onClose,
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, FIELD_NAMES)) setFailure(error);
        },
      },
    );
  };
  const initial: ContactValues =
    contact === null
      ? { name: '', roles: [] }
      : {
          name: contact.name,
          roles: contact.roles,
          title: contact.title ?? undefined,
          phone: contact.phone ?? undefined,
          email: contact.email ?? undefined,
          imHandle: contact.imHandle ?? undefined,
          notes: contact.notes ?? undefined,
        };
  return (
    <Modal
      open
      title={t(contact === null ? 'contacts.add' : 'contacts.edit')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={write.isPending}
          okTestId="contact-save"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<ContactValues> form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Form.Item name="name" label={t('contacts.name')} rules={[requiredRule(t), { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="roles" label={t('contacts.roles')}>
          <Select
            mode="multiple"
            options={CONTACT_ROLES.map((role) => ({ value: role, label: t(`contacts.role.${role}`) }))}
          />
        </Form.Item>
        <Form.Item name="title" label={t('contacts.title')}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={t('contacts.phone')}>
          <Input />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('contacts.email')}
          rules={[{ type: 'email', message: t('validation.email') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="imHandle" label={t('contacts.imHandle')}>
          <Input />
        </Form.Item>
        <Form.Item name="notes" label={t('contacts.notes')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
