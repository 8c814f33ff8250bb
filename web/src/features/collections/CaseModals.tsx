import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { DISPUTE_REASON_CODES, type CaseDetail, type DisputeDetail } from '@huikuan/core/contracts';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Typography,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { amountRules, normalizeDecimalText } from '../../ui/decimal-input';
import { useErrorText } from '../../ui/errors';
import { dateFieldProps, useToday } from '../../ui/form-date';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { useUserOptions } from '../users/api';
import {
  useAddNote,
  useDisputeAction,
  useLogCall,
  usePlanVisit,
  useRaiseCaseDispute,
  useUpdateCase,
  useVisitResult,
} from './api';
import { attitudeOptions, typeOptions } from './labels';

/** The forms of the case page: call (with a promise), visit, note, settings, disputes. */

type FormModalProps = {
  title: string;
  testId: string;
  isLoading: boolean;
  failure: unknown;
  onCancel: () => void;
  onOk: () => void;
  children: ReactNode;
};

function FormModal({ title, testId, isLoading, failure, onCancel, onOk, children }: FormModalProps) {
  const errorText = useErrorText();
  return (
    <Modal
      open
      width={640}
      title={title}
      onCancel={onCancel}
      footer={
        <ModalFooter onCancel={onCancel} onOk={onOk} isLoading={isLoading} okTestId={`${testId}-submit`} />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      {children}
    </Modal>
  );
}

type Instalment = { dueOn: string; amount: string };

/** The instalments of a promise (承诺付款): one or several dates and amounts, plus grace days. */
function PromiseFields({ currency }: { currency: string }) {
  const t = useT();
  return (
    <>
      <Form.List name={['promise', 'instalments']}>
        {(fields, { add, remove }) => (
          <Flex vertical gap={4}>
            <Typography.Text strong>{t('collections.promise.instalments')}</Typography.Text>
            {fields.map((field, index) => (
              <Flex key={field.key} gap={8} align="baseline">
                <Form.Item
                  name={[field.name, 'dueOn']}
                  rules={[{ required: true, message: t('validation.required') }]}
                  {...dateFieldProps}
                >
                  <DatePicker
                    placeholder={t('collections.promise.dueOn')}
                    data-testid={`promise-due-${index}`}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'amount']} rules={amountRules(t)}>
                  <Input
                    inputMode="decimal"
                    addonAfter={currency}
                    placeholder={t('collections.promise.amount')}
                    data-testid={`promise-amount-${index}`}
                  />
                </Form.Item>
                {fields.length > 1 ? <MinusCircleOutlined onClick={() => remove(field.name)} /> : null}
              </Flex>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} data-testid="promise-add">
              {t('collections.promise.addInstalment')}
            </Button>
          </Flex>
        )}
      </Form.List>
      <Form.Item name={['promise', 'graceDays']} label={t('collections.promise.graceDays')}>
        <InputNumber min={0} max={60} />
      </Form.Item>
    </>
  );
}

type CallValues = {
  outcome: string;
  contactName?: string;
  note?: string;
  invoiceIds?: string[];
  nextStep?: string;
  nextStepOn?: string;
  withPromise?: boolean;
  promise?: { instalments: Instalment[]; graceDays?: number };
};

export function LogCallModal({
  detail,
  taskId,
  onClose,
}: {
  detail: CaseDetail;
  taskId?: string | undefined;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<CallValues>();
  const logCall = useLogCall(detail.case.customerId);
  const [failure, setFailure] = useState<unknown>(null);
  const withPromise = Form.useWatch('withPromise', form) ?? false;
  const submit = (values: CallValues) => {
    const invoiceIds = values.invoiceIds ?? [];
    logCall.mutate(
      {
        outcome: values.outcome as never,
        ...(values.contactName ? { contactName: values.contactName } : {}),
        ...(values.note ? { note: values.note } : {}),
        ...(invoiceIds.length > 0 ? { invoiceIds } : {}),
        ...(taskId ? { taskId } : {}),
        ...(values.nextStep && values.nextStepOn
          ? { followUp: { nextStep: values.nextStep, nextStepOn: values.nextStepOn } }
          : {}),
        ...(values.withPromise && values.promise
          ? {
              promise: {
                ...(invoiceIds.length > 0 ? { invoiceIds } : {}),
                graceDays: values.promise.graceDays ?? 3,
                instalments: values.promise.instalments.map((instalment) => ({
                  dueOn: instalment.dueOn,
                  amount: normalizeDecimalText(instalment.amount),
                })),
              },
            }
          : {}),
      },
      {
        onSuccess: () => {
          void message.success(t('collections.call.logged'));
          onClose();
        },
        onError: (error) => {
          if (
            !applyApiErrorToForm(form, error, ['outcome', 'contactName', 'note', 'invoiceIds', 'promise'])
          ) {
            setFailure(error);
          }
        },
      },
    );
  };
  return (
    <FormModal
      title={t('collections.call.title')}
      testId="call"
      isLoading={logCall.isPending}
      failure={failure}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ outcome: 'promised', promise: { instalments: [{}], graceDays: 3 } }}
      >
        <Form.Item name="outcome" label={t('collections.call.outcome')} rules={[{ required: true }]}>
          <Select
            data-testid="call-outcome"
            options={(
              [
                'promised',
                'will_check',
                'disputed',
                'refused',
                'no_answer',
                'wrong_contact',
                'left_message',
              ] as const
            ).map((value) => ({ value, label: t(`collections.call.outcome.${value}`) }))}
          />
        </Form.Item>
        <Form.Item name="contactName" label={t('collections.call.contact')}>
          <Input data-testid="call-contact" />
        </Form.Item>
        <Form.Item name="invoiceIds" label={t('collections.call.invoices')}>
          <Select
            mode="multiple"
            options={detail.invoices.map((invoice) => ({ value: invoice.invoiceId, label: invoice.number }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('collections.call.note')}>
          <Input.TextArea rows={2} data-testid="call-note" />
        </Form.Item>
        <Flex gap={8}>
          <Form.Item name="nextStep" label={t('collections.call.nextStep')} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
          <Form.Item name="nextStepOn" label={t('collections.call.nextStepOn')} {...dateFieldProps}>
            <DatePicker />
          </Form.Item>
        </Flex>
        <Form.Item name="withPromise" valuePropName="checked">
          <Checkbox data-testid="call-with-promise">{t('collections.call.withPromise')}</Checkbox>
        </Form.Item>
        {withPromise ? <PromiseFields currency={detail.case.currency} /> : null}
      </Form>
    </FormModal>
  );
}

export function PlanVisitModal({
  detail,
  visitId,
  onClose,
}: {
  detail: CaseDetail;
  visitId?: string | undefined;
  onClose: () => void;
}) {
  const t = useT();
  const today = useToday();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ plannedOn: string; purpose?: string; expectedAmount?: string }>();
  const plan = usePlanVisit(detail.case.customerId);
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <FormModal
      title={t('collections.visit.title')}
      testId="visit"
      isLoading={plan.isPending}
      failure={failure}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Typography.Paragraph type="secondary">{t('collections.visit.help')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ plannedOn: today }}
        onFinish={(values) =>
          plan.mutate(
            {
              plannedOn: values.plannedOn,
              ...(values.purpose ? { purpose: values.purpose } : {}),
              ...(values.expectedAmount
                ? {
                    expectedAmount: normalizeDecimalText(values.expectedAmount),
                    currency: detail.case.currency,
                  }
                : {}),
              ...(visitId ? { taskId: visitId } : {}),
            },
            {
              onSuccess: () => {
                void message.success(t('collections.visit.planned'));
                onClose();
              },
              onError: (error) => {
                if (!applyApiErrorToForm(form, error, ['plannedOn', 'purpose', 'expectedAmount']))
                  setFailure(error);
              },
            },
          )
        }
      >
        <Form.Item
          name="plannedOn"
          label={t('collections.visit.plannedOn')}
          rules={[{ required: true, message: t('validation.required') }]}
          {...dateFieldProps}
        >
          <DatePicker data-testid="visit-date" />
        </Form.Item>
        <Form.Item
          name="expectedAmount"
          label={t('collections.visit.expectedAmount')}
          rules={amountRules(t, { required: false })}
        >
          <Input inputMode="decimal" addonAfter={detail.case.currency} data-testid="visit-amount" />
        </Form.Item>
        <Form.Item name="purpose" label={t('collections.visit.purpose')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

export function VisitResultModal({ visitId, onClose }: { visitId: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ result: string; note?: string }>();
  const record = useVisitResult();
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <FormModal
      title={t('collections.visit.resultTitle')}
      testId="visit-result"
      isLoading={record.isPending}
      failure={failure}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ result: 'collected' }}
        onFinish={(values) =>
          record.mutate(
            { id: visitId, result: values.result, ...(values.note ? { note: values.note } : {}) },
            {
              onSuccess: () => {
                void message.success(t('common.saved'));
                onClose();
              },
              onError: setFailure,
            },
          )
        }
      >
        <Form.Item name="result" label={t('collections.visit.result')}>
          <Select
            options={(
              ['collected', 'promised', 'disputed', 'refused', 'not_met', 'rescheduled'] as const
            ).map((value) => ({
              value,
              label: t(`collections.visit.result.${value}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('collections.call.note')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

export function NoteModal({ customerId, onClose }: { customerId: string; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ body: string; kind: 'note' | 'letter' }>();
  const add = useAddNote(customerId);
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <FormModal
      title={t('collections.note.title')}
      testId="note"
      isLoading={add.isPending}
      failure={failure}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'note' }}
        onFinish={(values) => add.mutate(values, { onSuccess: onClose, onError: setFailure })}
      >
        <Form.Item name="kind">
          <Select
            options={(['note', 'letter'] as const).map((value) => ({
              value,
              label: t(`collections.note.kind.${value}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('collections.note.body')}
          rules={[{ required: true, message: t('validation.required') }, { max: 4000 }]}
        >
          <Input.TextArea rows={4} data-testid="note-body" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

type SettingsValues = {
  delinquencyType: string | null;
  attitude: string | null;
  collectorUserId: string | null;
  snoozedUntil: string | null;
};

export function CaseSettingsModal({ detail, onClose }: { detail: CaseDetail; onClose: () => void }) {
  const t = useT();
  const can = useCan();
  const users = useUserOptions({ enabled: can('users.read') });
  const [form] = Form.useForm<SettingsValues>();
  const update = useUpdateCase(detail.case.customerId);
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <FormModal
      title={t('collections.case.settingsTitle')}
      testId="case-settings"
      isLoading={update.isPending}
      failure={failure}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          delinquencyType: detail.case.delinquencyType,
          attitude: detail.case.attitude,
          collectorUserId: detail.case.assignedCollectorUserId,
          snoozedUntil: detail.case.snoozedUntil,
        }}
        onFinish={(values) =>
          update.mutate(
            {
              delinquencyType: (values.delinquencyType ?? null) as never,
              attitude: (values.attitude ?? null) as never,
              snoozedUntil: values.snoozedUntil ?? null,
              ...(can('users.read') ? { collectorUserId: values.collectorUserId ?? null } : {}),
            },
            {
              onSuccess: onClose,
              onError: (error) => {
                if (
                  !applyApiErrorToForm(form, error, [
                    'delinquencyType',
                    'attitude',
                    'collectorUserId',
                    'snoozedUntil',
                  ])
                ) {
                  setFailure(error);
                }
              },
            },
          )
        }
      >
        <Form.Item name="delinquencyType" label={t('collections.case.type')}>
          <Select allowClear options={typeOptions(t)} data-testid="case-type" />
        </Form.Item>
        <Form.Item name="attitude" label={t('collections.case.attitude')}>
          <Select allowClear options={attitudeOptions(t)} data-testid="case-attitude" />
        </Form.Item>
        {can('users.read') ? (
          <Form.Item
            name="collectorUserId"
            label={t('collections.case.collector')}
            help={t('collections.case.collectorOwner')}
          >
            <Select
              allowClear
              options={(users.data ?? []).map((user) => ({ value: user.id, label: user.name }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item name="snoozedUntil" label={t('collections.case.snoozed')} {...dateFieldProps}>
          <DatePicker allowClear />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

export function RaiseDisputeModal({ detail, onClose }: { detail: CaseDetail; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{
    invoiceId?: string;
    amount: string;
    reasonCode: string;
    description?: string;
  }>();
  const raise = useRaiseCaseDispute();
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <FormModal
      title={t('disputes.raiseTitle')}
      testId="dispute"
      isLoading={raise.isPending}
      failure={failure}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ reasonCode: 'quality', invoiceId: detail.invoices[0]?.invoiceId }}
        onFinish={(values) =>
          raise.mutate(
            {
              customerId: detail.case.customerId,
              invoiceId: values.invoiceId ?? null,
              amount: normalizeDecimalText(values.amount),
              reasonCode: values.reasonCode as never,
              ...(values.description ? { description: values.description } : {}),
            },
            {
              onSuccess: onClose,
              onError: (error) => {
                if (!applyApiErrorToForm(form, error, ['invoiceId', 'amount', 'reasonCode', 'description'])) {
                  setFailure(error);
                }
              },
            },
          )
        }
      >
        <Form.Item name="invoiceId" label={t('disputes.invoice')}>
          <Select
            allowClear
            placeholder={t('disputes.invoiceNone')}
            options={detail.invoices.map((invoice) => ({ value: invoice.invoiceId, label: invoice.number }))}
            data-testid="dispute-invoice"
          />
        </Form.Item>
        <Form.Item name="amount" label={t('disputes.amount')} rules={amountRules(t)}>
          <Input inputMode="decimal" data-testid="dispute-amount" />
        </Form.Item>
        <Form.Item name="reasonCode" label={t('disputes.reasonCode')}>
          <Select
            options={DISPUTE_REASON_CODES.map((code) => ({
              value: code,
              label: t(`disputes.reason.${code}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="description" label={t('disputes.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

export function ResolveValidModal({ dispute, onClose }: { dispute: DisputeDetail; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ creditAmount: string; note?: string }>();
  const action = useDisputeAction();
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <FormModal
      title={t('collections.dispute.resolveValid')}
      testId="dispute-valid"
      isLoading={action.isPending}
      failure={failure}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      {dispute.invoiceId ? (
        <Typography.Paragraph type="secondary">{t('collections.dispute.creditHelp')}</Typography.Paragraph>
      ) : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ creditAmount: dispute.amount }}
        onFinish={(values) =>
          action.mutate(
            {
              kind: 'resolution',
              id: dispute.id,
              body: {
                outcome: 'valid',
                ...(dispute.invoiceId ? { creditAmount: normalizeDecimalText(values.creditAmount) } : {}),
                ...(values.note ? { note: values.note } : {}),
              },
            },
            {
              onSuccess: onClose,
              onError: (error) => {
                if (!applyApiErrorToForm(form, error, ['creditAmount', 'note'])) setFailure(error);
              },
            },
          )
        }
      >
        {dispute.invoiceId ? (
          <Form.Item name="creditAmount" label={t('collections.dispute.creditAmount')} rules={amountRules(t)}>
            <Input inputMode="decimal" addonAfter={dispute.currency} data-testid="dispute-credit-amount" />
          </Form.Item>
        ) : null}
        <Form.Item name="note" label={t('disputes.note')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
