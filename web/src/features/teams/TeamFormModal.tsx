import type { Team } from '@huikuan/core/contracts';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { requiredRule } from '../auth/rules';
import { useUserOptions } from '../users/api';
import { useCreateTeam, useUpdateTeam, type TeamRequest } from './api';

type TeamValues = { name: string; parentId?: string; managerUserId?: string };

const FIELD_NAMES: readonly string[] = ['name', 'parentId', 'managerUserId'];

/** Teams that may not become `team`'s parent: itself and its descendants, which would make a cycle. */
function descendantsAndSelf(team: Team | null, teams: readonly Team[]): Set<string> {
  const excluded = new Set<string>();
  if (team === null) return excluded;
  const queue = [team.id];
  while (queue.length > 0) {
    const id = queue.pop() ?? '';
    excluded.add(id);
    queue.push(...teams.filter((candidate) => candidate.parentId === id).map((child) => child.id));
  }
  return excluded;
}

type TeamFormModalProps = { team: Team | null; teams: readonly Team[]; onClose: () => void };

export function TeamFormModal({ team, teams, onClose }: TeamFormModalProps) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<TeamValues>();
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const users = useUserOptions();
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);
  const excluded = descendantsAndSelf(team, teams);

  const submit = (values: TeamValues) => {
    setFailure(null);
    const request: TeamRequest = {
      name: values.name,
      parentId: values.parentId ?? null,
      managerUserId: values.managerUserId ?? null,
    };
    const callbacks = {
      onSuccess: () => {
        void message.success(t(team === null ? 'teams.created' : 'teams.updated'));
        onClose();
      },
      onError: (error: Error) => {
        if (!applyApiErrorToForm(form, error, FIELD_NAMES)) setFailure(error);
      },
    };
    if (team === null) create.mutate(request, callbacks);
    else update.mutate({ id: team.id, ...request }, callbacks);
  };

  return (
    <Modal
      open
      title={t(team === null ? 'teams.createTitle' : 'teams.editTitle')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={create.isPending || update.isPending}
          okTestId="team-save"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<TeamValues>
        form={form}
        layout="vertical"
        initialValues={{
          name: team?.name ?? '',
          parentId: team?.parentId ?? undefined,
          managerUserId: team?.managerUserId ?? undefined,
        }}
        onFinish={submit}
      >
        <Form.Item name="name" label={t('teams.name')} rules={[requiredRule(t), { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="parentId" label={t('teams.parent')}>
          <Select
            allowClear
            placeholder={t('common.none')}
            options={teams
              .filter((candidate) => !excluded.has(candidate.id))
              .map((candidate) => ({ value: candidate.id, label: candidate.name }))}
          />
        </Form.Item>
        <Form.Item name="managerUserId" label={t('teams.manager')}>
          <Select
            allowClear
            placeholder={t('common.none')}
            loading={users.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            options={(users.data ?? []).map((user) => ({
              value: user.id,
              label: `${user.name} <${user.email}>`,
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
