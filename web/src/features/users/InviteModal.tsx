import type { Role } from '@huikuan/core';
import { Alert, Button, Flex, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { CopyField } from '../../ui/CopyField';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { useRoleOptions } from '../../ui/roles';
import { emailRules } from '../auth/rules';
import { useCreateInvitation } from './api';
import type { TeamLookup } from './team-names';

type InviteValues = { email: string; role: Role; teamId?: string };

const FIELD_NAMES: readonly string[] = ['email', 'role', 'teamId'];

type CreatedInvitation = { email: string; link: string };

type InviteModalProps = { teams: TeamLookup['teams']; onClose: () => void };

/** Invite form, then the link to pass on: the token is only ever shown here, once. */
export function InviteModal({ teams, onClose }: InviteModalProps) {
  const t = useT();
  const [form] = Form.useForm<InviteValues>();
  const create = useCreateInvitation();
  const roleOptions = useRoleOptions();
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);

  const submit = (values: InviteValues) => {
    setFailure(null);
    create.mutate(
      { email: values.email, role: values.role, teamId: values.teamId ?? null },
      {
        onSuccess: (reply) =>
          setCreated({ email: reply.invitation.email, link: `${window.location.origin}${reply.acceptPath}` }),
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, FIELD_NAMES, { email_taken: 'email' })) setFailure(error);
        },
      },
    );
  };

  if (created !== null) {
    return (
      <Modal
        open
        title={t('invitations.linkTitle')}
        // Shown once: a stray click outside must not throw it away.
        mask={{ closable: false }}
        onCancel={onClose}
        footer={
          <Flex justify="flex-end">
            <Button type="primary" onClick={onClose} data-testid="invite-done">
              {t('common.close')}
            </Button>
          </Flex>
        }
      >
        <Flex vertical gap={12}>
          <Typography.Text>{t('invitations.linkHelp', { email: created.email })}</Typography.Text>
          <CopyField value={created.link} testId="invite-link" ariaLabel={t('invitations.linkTitle')} />
        </Flex>
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={t('invitations.inviteTitle')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          okText={t('invitations.send')}
          isLoading={create.isPending}
          okTestId="invite-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<InviteValues>
        form={form}
        layout="vertical"
        initialValues={{ role: 'salesperson' }}
        onFinish={submit}
      >
        <Form.Item name="email" label={t('invitations.email')} rules={emailRules(t)}>
          <Input type="email" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('invitations.role')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select options={roleOptions} />
        </Form.Item>
        <Form.Item name="teamId" label={t('invitations.team')}>
          <Select
            allowClear
            placeholder={t('users.noTeam')}
            options={teams.map((team) => ({ value: team.id, label: team.name }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
