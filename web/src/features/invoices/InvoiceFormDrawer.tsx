import type { CreateInvoiceRequest, InvoiceDetail } from '@huikuan/core/contracts';
import { Alert, App, Button, Col, DatePicker, Divider, Drawer, Flex, Form, Input, Row, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useT } from '../../app/locale';
import { bpToPercentText, normalizeDecimalText, percentTextToBp } from '../../ui/decimal-input';
import { useErrorText } from '../../ui/errors';
import { dateFieldProps, useToday } from '../../ui/form-date';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { requiredRule } from '../auth/rules';
import { useContract, useContractsPages } from '../contracts/api';
import { CustomerSelect } from '../customers/CustomerSelect';
import { useCreateInvoice, useUpdateDraftInvoice } from './api';
import { EMPTY_LINE, InvoiceLinesEditor, type InvoiceLineValues } from './InvoiceLinesEditor';

type InvoiceValues = {
  customerId: string;
  contractId?: string | null;
  planNodeId?: string | null;
  number: string;
  invoiceDate: string;
  dueDate?: string | null;
  notes?: string;
  lines: InvoiceLineValues[];
};

/** What the form starts with when an approved 开票申请 is being fulfilled. */
export type InvoicePreset = {
  customerId: string;
  contractId: string | null;
  planNodeId: string | null;
  invoiceRequestId: string;
  amount: string;
  notes: string | null;
};

const FIELD_NAMES: readonly string[] = [
  'customerId',
  'contractId',
  'planNodeId',
  'number',
  'invoiceDate',
  'dueDate',
  'notes',
  'lines',
];

function toRequest(values: InvoiceValues, invoiceRequestId: string | null): CreateInvoiceRequest {
  return {
    customerId: values.customerId,
    contractId: values.contractId ?? null,
    planNodeId: values.planNodeId ?? null,
    invoiceRequestId,
    number: values.number,
    invoiceDate: values.invoiceDate,
    // Blank: the server derives it from the contract's or the customer's payment terms.
    dueDate: values.dueDate ?? undefined,
    notes: values.notes ?? null,
    lines: values.lines.map((line) => ({
      description: line.description,
      quantity: normalizeDecimalText(line.quantity),
      unitPrice: normalizeDecimalText(line.unitPrice),
      taxRateBp: percentTextToBp(line.taxPercent) ?? 0,
    })),
  };
}

function initialValues(
  preset: InvoicePreset | null,
  draft: InvoiceDetail | null,
  today: string,
): Partial<InvoiceValues> {
  if (draft !== null)
    return {
      customerId: draft.customerId,
      contractId: draft.contractId,
      planNodeId: draft.planNodeId,
      number: draft.number,
      invoiceDate: draft.invoiceDate,
      dueDate: draft.dueDate,
      notes: draft.notes ?? undefined,
      lines: draft.lines.map((line) => ({
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        taxPercent: bpToPercentText(line.taxRateBp),
      })),
    };
  if (preset === null) return { invoiceDate: today, lines: [{ ...EMPTY_LINE }] };
  return {
    customerId: preset.customerId,
    contractId: preset.contractId,
    planNodeId: preset.planNodeId,
    invoiceDate: today,
    notes: preset.notes ?? undefined,
    lines: [{ description: preset.notes ?? '', quantity: '1', unitPrice: preset.amount, taxPercent: '0' }],
  };
}

type InvoiceFormDrawerProps = {
  preset: InvoicePreset | null;
  /** Edits this draft instead of creating a new invoice. */
  draft?: InvoiceDetail | null;
  onClose: (createdId: string | null) => void;
};

/** A new draft invoice; it owes nothing until it is issued from its page. */
export function InvoiceFormDrawer({ preset, draft = null, onClose }: InvoiceFormDrawerProps) {
  const t = useT();
  const today = useToday();
  const { message } = App.useApp();
  const [form] = Form.useForm<InvoiceValues>();
  const create = useCreateInvoice();
  const update = useUpdateDraftInvoice();
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);

  const submit = (values: InvoiceValues) => {
    setFailure(null);
    const callbacks = {
      onSuccess: (saved: InvoiceDetail) => {
        void message.success(t('invoices.draftSaved'));
        onClose(saved.id);
      },
      onError: (error: Error) => {
        if (!applyApiErrorToForm(form, error, FIELD_NAMES, { conflict: 'number' })) setFailure(error);
      },
    };
    const request = toRequest(values, preset?.invoiceRequestId ?? null);
    if (draft === null) {
      create.mutate(request, callbacks);
      return;
    }
    const { customerId: _customerId, invoiceRequestId: _requestId, ...changes } = request;
    update.mutate({ id: draft.id, request: changes }, callbacks);
  };

  return (
    <Drawer
      open
      size={860}
      title={draft === null ? t('invoices.createTitle') : t('invoices.editTitle', { number: draft.number })}
      onClose={() => onClose(null)}
      extra={
        <Flex gap={8}>
          <Button onClick={() => onClose(null)}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending || update.isPending}
            onClick={() => form.submit()}
            data-testid="invoice-save"
          >
            {t('invoices.saveDraft')}
          </Button>
        </Flex>
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<InvoiceValues>
        form={form}
        layout="vertical"
        initialValues={initialValues(preset, draft, today)}
        onFinish={submit}
      >
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="number" label={t('invoices.number')} rules={[requiredRule(t), { max: 64 }]}>
              <Input data-testid="invoice-number" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item
              name="customerId"
              label={t('invoices.customer')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <CustomerSelect
                disabled={draft !== null}
                testId="invoice-customer"
                onChange={() => form.setFieldsValue({ contractId: null, planNodeId: null })}
              />
            </Form.Item>
          </Col>
          <ContractFields />
          <Col span={8}>
            <Form.Item
              name="invoiceDate"
              label={t('invoices.invoiceDate')}
              rules={[requiredRule(t)]}
              {...dateFieldProps}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="dueDate"
              label={t('invoices.dueDate')}
              help={t('invoices.dueDateHelp')}
              {...dateFieldProps}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={t('invoices.notes')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('invoices.lines')}</Divider>
        <InvoiceLinesEditor />
      </Form>
    </Drawer>
  );
}

/** The contract and plan node this invoice bills, chosen among the customer's. */
function ContractFields() {
  const t = useT();
  const form = Form.useFormInstance<InvoiceValues>();
  const customerId = Form.useWatch('customerId', form) ?? null;
  const contractId = Form.useWatch('contractId', form) ?? null;
  const contracts = useContractsPages({ search: '', customerId, status: 'active' });
  const contract = useContract(contractId);
  const contractOptions = useMemo(
    () =>
      (contracts.data?.pages.flatMap((page) => page.items) ?? []).map((c) => ({
        value: c.id,
        label: c.title === null ? c.number : `${c.number} · ${c.title}`,
      })),
    [contracts.data],
  );
  return (
    <>
      <Col span={12}>
        <Form.Item name="contractId" label={t('invoices.contract')}>
          <Select
            allowClear
            disabled={customerId === null}
            options={contractOptions}
            onChange={() => form.setFieldsValue({ planNodeId: null })}
            data-testid="invoice-contract"
          />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="planNodeId" label={t('invoices.planNode')}>
          <Select
            allowClear
            disabled={contractId === null}
            options={(contract.data?.planNodes ?? []).map((node) => ({
              value: node.id,
              label: `${node.seq}. ${node.name}`,
            }))}
            data-testid="invoice-plan-node"
          />
        </Form.Item>
      </Col>
    </>
  );
}
