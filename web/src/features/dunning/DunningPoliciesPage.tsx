import {
  CREDIT_RATINGS,
  DUNNING_STEP_KINDS,
  MESSAGE_CHANNELS,
  isChannelStep,
  type DunningStepKind,
} from '@huikuan/core';
import type {
  DunningAssignment,
  DunningPolicy,
  DunningPolicyWrite,
  DunningStep,
} from '@huikuan/core/contracts';
import {
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import type { Translate } from '../../app/i18n';
import { useT } from '../../app/locale';
import { useSession } from '../../app/session';
import { useErrorText } from '../../ui/errors';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Page } from '../../ui/Page';
import { CustomerSelect } from '../customers/CustomerSelect';
import {
  useAssignPolicy,
  useDeletePolicy,
  useDunningPolicies,
  useMakeDefaultPolicy,
  useRemoveAssignment,
  useSavePolicy,
} from './api';

const MANAGERS = new Set(['admin', 'finance', 'sales_manager']);

export function offsetText(t: Translate, offsetDays: number): string {
  if (offsetDays < 0) return t('dunning.policies.beforeDue', { days: -offsetDays });
  if (offsetDays === 0) return t('dunning.policies.onDue');
  return t('dunning.policies.afterDue', { days: offsetDays });
}

function useStepColumns(): TableColumnsType<DunningStep> {
  const t = useT();
  return [
    {
      key: 'offset',
      title: t('dunning.policies.offsetDays'),
      render: (_, step) => offsetText(t, step.offsetDays),
    },
    { key: 'kind', title: t('dunning.policies.kind'), render: (_, step) => t(`dunning.kind.${step.kind}`) },
    {
      key: 'channel',
      title: t('dunning.policies.channel'),
      render: (_, step) => (step.channel === null ? '—' : t(`dunning.channel.${step.channel}`)),
    },
    {
      key: 'approval',
      title: t('dunning.policies.requiresApproval'),
      render: (_, step) => (step.requiresApproval ? t('common.yes') : ''),
    },
  ];
}

function assignmentLabel(t: Translate, assignment: DunningAssignment): string {
  const target = assignment.target;
  if (target.kind === 'customer')
    return `${t('dunning.policies.target.customer')}：${target.customerCode} ${target.customerName}`;
  if (target.kind === 'rating') return `${t('dunning.policies.target.rating')}：${target.rating}`;
  return `${t('dunning.policies.target.segment')}：${target.segment}`;
}

function PolicyCard({
  policy,
  canEdit,
  onEdit,
  onAssign,
}: {
  policy: DunningPolicy;
  canEdit: boolean;
  onEdit: () => void;
  onAssign: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const makeDefault = useMakeDefaultPolicy();
  const remove = useDeletePolicy();
  const unassign = useRemoveAssignment();
  const columns = useStepColumns();
  const fail = (error: unknown) => void message.error(errorText(error));
  return (
    <Card
      data-testid={`dunning-policy-${policy.name}`}
      title={
        <Space>
          {policy.name}
          {policy.isDefault ? <Tag color="blue">{t('dunning.policies.default')}</Tag> : null}
        </Space>
      }
      extra={
        canEdit ? (
          <Space>
            <Button size="small" onClick={onEdit}>
              {t('common.edit')}
            </Button>
            <Button size="small" onClick={onAssign}>
              {t('dunning.policies.assign')}
            </Button>
            {policy.isDefault ? null : (
              <Button size="small" onClick={() => makeDefault.mutate(policy.id, { onError: fail })}>
                {t('dunning.policies.makeDefault')}
              </Button>
            )}
            {policy.isDefault ? null : (
              <Popconfirm
                title={t('dunning.policies.deleteConfirm')}
                onConfirm={() => remove.mutate(policy.id, { onError: fail })}
              >
                <Button size="small" danger>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        ) : null
      }
    >
      <Flex vertical gap={8}>
        {policy.description ? <Typography.Text type="secondary">{policy.description}</Typography.Text> : null}
        <Table<DunningStep>
          rowKey="id"
          size="small"
          pagination={false}
          columns={columns}
          dataSource={policy.steps}
        />
        <Space wrap>
          <Typography.Text strong>{t('dunning.policies.assignments')}</Typography.Text>
          {policy.isDefault ? <Tag>{t('dunning.policies.default')}</Tag> : null}
          {policy.assignments.map((assignment) => (
            <Tag
              key={assignment.id}
              closable={canEdit}
              onClose={(event) => {
                event.preventDefault();
                unassign.mutate(assignment.id, { onError: fail });
              }}
            >
              {assignmentLabel(t, assignment)}
            </Tag>
          ))}
        </Space>
      </Flex>
    </Card>
  );
}

type StepFormValue = {
  id?: string;
  kind: DunningStepKind;
  offsetDays: number;
  channel: string | null;
  requiresApproval: boolean;
};
type PolicyFormValue = { name: string; description: string | null; steps: StepFormValue[] };

function PolicyEditor({ policy, onClose }: { policy: DunningPolicy | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<PolicyFormValue>();
  const save = useSavePolicy();
  const initial: PolicyFormValue = policy
    ? { name: policy.name, description: policy.description, steps: policy.steps.map((step) => ({ ...step })) }
    : {
        name: '',
        description: null,
        steps: [{ kind: 'customer_reminder', offsetDays: -3, channel: 'email', requiresApproval: false }],
      };
  const submit = (values: PolicyFormValue) => {
    const body = {
      name: values.name,
      description: values.description || null,
      steps: values.steps.map((step) => ({
        ...(step.id ? { id: step.id } : {}),
        kind: step.kind,
        offsetDays: step.offsetDays,
        channel: isChannelStep(step.kind) ? (step.channel ?? 'email') : null,
        requiresApproval: step.requiresApproval,
      })),
    } as DunningPolicyWrite;
    save.mutate(
      { id: policy?.id ?? null, body },
      {
        onSuccess: () => {
          void message.success(t('dunning.policies.saved'));
          onClose();
        },
        onError: (error) => void message.error(errorText(error)),
      },
    );
  };
  return (
    <Modal
      open
      width={880}
      title={t(policy ? 'dunning.policies.editTitle' : 'dunning.policies.newTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Form.Item name="name" label={t('dunning.policies.name')} rules={[{ required: true }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('dunning.policies.description')}>
          <Input maxLength={500} />
        </Form.Item>
        <Typography.Text strong>{t('dunning.policies.steps')}</Typography.Text>
        <Form.List name="steps">
          {(fields, { add, remove }) => (
            <Flex vertical gap={4}>
              {fields.map((field) => (
                <StepRow key={field.key} name={field.name} onRemove={() => remove(field.name)} />
              ))}
              <Button
                onClick={() =>
                  add({ kind: 'call_task', offsetDays: 7, channel: null, requiresApproval: false })
                }
                data-testid="dunning-add-step"
              >
                {t('dunning.policies.addStep')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function StepRow({ name, onRemove }: { name: number; onRemove: () => void }) {
  const t = useT();
  const form = Form.useFormInstance<PolicyFormValue>();
  const kind = Form.useWatch(['steps', name, 'kind'], form) as DunningStepKind | undefined;
  return (
    <Space align="start" wrap>
      <Form.Item name={[name, 'id']} hidden>
        <Input />
      </Form.Item>
      <Form.Item
        name={[name, 'offsetDays']}
        label={t('dunning.policies.offsetDays')}
        rules={[{ required: true }]}
      >
        <InputNumber min={-365} max={3650} precision={0} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name={[name, 'kind']} label={t('dunning.policies.kind')} rules={[{ required: true }]}>
        <Select
          style={{ width: 200 }}
          options={DUNNING_STEP_KINDS.map((value) => ({ value, label: t(`dunning.kind.${value}`) }))}
        />
      </Form.Item>
      {kind !== undefined && isChannelStep(kind) ? (
        <Form.Item
          name={[name, 'channel']}
          label={t('dunning.policies.channel')}
          rules={[{ required: true }]}
        >
          <Select
            style={{ width: 130 }}
            options={MESSAGE_CHANNELS.map((value) => ({ value, label: t(`dunning.channel.${value}`) }))}
          />
        </Form.Item>
      ) : null}
      <Form.Item
        name={[name, 'requiresApproval']}
        label={t('dunning.policies.requiresApproval')}
        valuePropName="checked"
      >
        <Switch />
      </Form.Item>
      <Button type="link" danger onClick={onRemove} style={{ marginTop: 30 }}>
        {t('common.delete')}
      </Button>
    </Space>
  );
}

type AssignFormValue = {
  kind: 'customer' | 'rating' | 'segment';
  customerId?: string;
  rating?: string;
  segment?: string;
};

function AssignModal({ policy, onClose }: { policy: DunningPolicy; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<AssignFormValue>();
  const kind = Form.useWatch('kind', form);
  const assign = useAssignPolicy();
  const submit = (values: AssignFormValue) => {
    const target =
      values.kind === 'customer'
        ? { kind: 'customer' as const, customerId: values.customerId ?? '' }
        : values.kind === 'rating'
          ? { kind: 'rating' as const, rating: (values.rating ?? 'A') as (typeof CREDIT_RATINGS)[number] }
          : { kind: 'segment' as const, segment: values.segment ?? '' };
    assign.mutate(
      { policyId: policy.id, target },
      { onSuccess: onClose, onError: (error) => void message.error(errorText(error)) },
    );
  };
  return (
    <Modal
      open
      title={`${t('dunning.policies.assign')} · ${policy.name}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={assign.isPending}
    >
      <Form form={form} layout="vertical" initialValues={{ kind: 'rating' }} onFinish={submit}>
        <Form.Item name="kind" label={t('dunning.policies.assignments')}>
          <Select
            options={(['customer', 'rating', 'segment'] as const).map((value) => ({
              value,
              label: t(`dunning.policies.target.${value}`),
            }))}
          />
        </Form.Item>
        {kind === 'customer' ? (
          <Form.Item
            name="customerId"
            label={t('dunning.policies.target.customer')}
            rules={[{ required: true }]}
          >
            <CustomerSelect />
          </Form.Item>
        ) : null}
        {kind === 'rating' ? (
          <Form.Item name="rating" label={t('dunning.policies.target.rating')} rules={[{ required: true }]}>
            <Select options={CREDIT_RATINGS.map((value) => ({ value, label: value }))} />
          </Form.Item>
        ) : null}
        {kind === 'segment' ? (
          <Form.Item name="segment" label={t('dunning.policies.target.segment')} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

/** 催收策略: the ladders, their steps and whom each applies to; managers edit them. */
export function DunningPoliciesPage() {
  const t = useT();
  const { user } = useSession();
  const canEdit = MANAGERS.has(user.role);
  const policies = useDunningPolicies();
  const [editing, setEditing] = useState<DunningPolicy | 'new' | null>(null);
  const [assigning, setAssigning] = useState<DunningPolicy | null>(null);
  return (
    <Page
      title={t('dunning.policies.title')}
      extra={
        canEdit ? (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="dunning-new-policy">
            {t('dunning.policies.new')}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t('dunning.policies.intro')}</Typography.Paragraph>
      {policies.isError ? (
        <ErrorAlert error={policies.error} onRetry={() => void policies.refetch()} />
      ) : null}
      {(policies.data?.items ?? []).map((policy) => (
        <PolicyCard
          key={policy.id}
          policy={policy}
          canEdit={canEdit}
          onEdit={() => setEditing(policy)}
          onAssign={() => setAssigning(policy)}
        />
      ))}
      {editing === null ? null : (
        <PolicyEditor policy={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
      {assigning === null ? null : <AssignModal policy={assigning} onClose={() => setAssigning(null)} />}
    </Page>
  );
}
