import type { Role } from '@huikuan/core';
import type { User } from '@huikuan/core/contracts';
import { Alert, App, Form, Input, Modal, Select, Switch } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { useRoleOptions } from '../../ui/roles';
import { requiredRule } from '../auth/rules';
import { useUpdateUser } from './api';
import type { TeamLookup } from './team-names';

type EditUserValues = { name: string; role: Role; teamId?: string; isActive: boolean };

const FIELD_NAMES: readonly string[] = ['name', 'role', 'teamId', 'isActive'];

type EditUserModalProps = { user: User; teams: TeamLookup['teams']; onClose: () => void };

export function EditUserModal({ user, teams, onClose }: EditUserModalProps) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditUserValues>();
  const update = useUpdateUser();
  const roleOptions = useRoleOptions();
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);

  const submit = (values: EditUserValues) => {
    setFailure(null);
    // A cleared select yields undefined; the API spells "no team" as null.
    const request = { id: user.id, ...values, teamId: values.teamId ?? null };
    update.mutate(request, {
      onSuccess: () => {
        void message.success(t('users.updated'));
        onClose();
      },
      onError: (error) => {
        if (!applyApiErrorToForm(form, error, FIELD_NAMES)) setFailure(error);
      },
    });
  };

  return (
    <Modal
      open
      title={t('users.editTitle', { name: user.name })}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={update.isPending}
          okTestId="user-save"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<EditUserValues>
        form={form}
        layout="vertical"
        initialValues={{
          name: user.name,
          role: user.role,
          teamId: user.teamId ?? undefined,
          isActive: user.isActive,
        }}
        onFinish={submit}
      >
        <Form.Item name="name" label={t('users.name')} rules={[requiredRule(t), { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('users.role')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select options={roleOptions} />
        </Form.Item>
        <Form.Item name="teamId" label={t('users.team')}>
          <Select
            allowClear
            placeholder={t('users.noTeam')}
            options={teams.map((team) => ({ value: team.id, label: team.name }))}
          />
        </Form.Item>
        <Form.Item name="isActive" label={t('users.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
