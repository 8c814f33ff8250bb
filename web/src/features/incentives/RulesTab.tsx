import type { CommissionRulesBody } from '@huikuan/core/contracts';
import {
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Space,
  Table,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { useT } from '../../app/locale';
import { useSession } from '../../app/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { useCreateRuleSet, useIncentiveSettings, useRuleSets, useUpdateIncentiveSettings } from './api';
import { currentMonth, isMonth } from './period';

type RulesForm = {
  effectiveFrom: string;
  note?: string;
  baseRateBp: number;
  timeliness: { maxDaysLate: number | null; multiplierBp: number }[];
  oldDebtAfterDays: number | null;
  oldDebtRateBp: number;
  earlyMinDays: number | null;
  earlyRateBp: number;
  prepaymentBp: number | null;
  notSalesMode: 'exclude' | 'reduce';
  notSalesMultiplierBp: number;
  penaltyAfterDays: number | null;
  penaltyRateBp: number;
};

function formOf(rules: CommissionRulesBody): RulesForm {
  return {
    effectiveFrom: currentMonth(),
    baseRateBp: rules.baseRateBp,
    timeliness: rules.timeliness.map((band) => ({ ...band })),
    oldDebtAfterDays: rules.oldDebt?.afterAgeDays ?? null,
    oldDebtRateBp: rules.oldDebt?.rateBp ?? 0,
    earlyMinDays: rules.fullEarlyPayment?.minDaysEarly ?? null,
    earlyRateBp: rules.fullEarlyPayment?.bonusRateBp ?? 0,
    prepaymentBp: rules.prepayment?.bonusRateBp ?? null,
    notSalesMode: rules.notSalesCaused.mode,
    notSalesMultiplierBp: rules.notSalesCaused.mode === 'reduce' ? rules.notSalesCaused.multiplierBp : 5000,
    penaltyAfterDays: rules.overduePenalty?.afterDaysOverdue ?? null,
    penaltyRateBp: rules.overduePenalty?.rateBp ?? 0,
  };
}

function rulesOf(form: RulesForm): CommissionRulesBody {
  return {
    baseRateBp: form.baseRateBp,
    timeliness: form.timeliness.map((band) => ({
      maxDaysLate: band.maxDaysLate ?? null,
      multiplierBp: band.multiplierBp,
    })),
    oldDebt:
      form.oldDebtAfterDays === null
        ? null
        : { afterAgeDays: form.oldDebtAfterDays, rateBp: form.oldDebtRateBp },
    fullEarlyPayment:
      form.earlyMinDays === null ? null : { minDaysEarly: form.earlyMinDays, bonusRateBp: form.earlyRateBp },
    prepayment: form.prepaymentBp === null ? null : { bonusRateBp: form.prepaymentBp },
    notSalesCaused:
      form.notSalesMode === 'exclude'
        ? { mode: 'exclude' }
        : { mode: 'reduce', multiplierBp: form.notSalesMultiplierBp },
    overduePenalty:
      form.penaltyAfterDays === null
        ? null
        : { afterDaysOverdue: form.penaltyAfterDays, rateBp: form.penaltyRateBp },
  };
}

function SettingsCard({ canEdit }: { canEdit: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const settings = useIncentiveSettings();
  const update = useUpdateIncentiveSettings();
  const [form] = Form.useForm<{ accountabilityMode: boolean; keyCustomerTag: string }>();
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  return (
    <Card size="small">
      <Form
        form={form}
        layout="inline"
        disabled={!canEdit}
        onFinish={(values) =>
          update.mutate(values, {
            onSuccess: () => void message.success(t('incentives.settings.saved')),
            onError: (error) => void message.error(errorText(error)),
          })
        }
      >
        <Form.Item name="accountabilityMode" valuePropName="checked">
          <Checkbox data-testid="accountability-mode">{t('incentives.settings.accountability')}</Checkbox>
        </Form.Item>
        <Form.Item name="keyCustomerTag" label={t('incentives.settings.keyTag')} rules={[{ required: true }]}>
          <Input style={{ width: 120 }} />
        </Form.Item>
        {canEdit ? (
          <Button htmlType="submit" loading={update.isPending}>
            {t('common.save')}
          </Button>
        ) : null}
      </Form>
    </Card>
  );
}

/** 提成规则: the rules in force, edited by adding a version from a month on (finance, admin). */
export function RulesTab() {
  const t = useT();
  const { user } = useSession();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const canEdit = user.role === 'finance' || user.role === 'admin';
  const ruleSets = useRuleSets();
  const create = useCreateRuleSet();
  const [form] = Form.useForm<RulesForm>();
  const current = ruleSets.data?.current;
  useEffect(() => {
    if (current) form.setFieldsValue(formOf(current.rules));
  }, [current, form]);
  const submit = (values: RulesForm) =>
    create.mutate(
      {
        effectiveFrom: values.effectiveFrom,
        rules: rulesOf(values),
        ...(values.note ? { note: values.note } : {}),
      },
      {
        onSuccess: () => void message.success(t('incentives.rules.saved')),
        onError: (error) => void message.error(errorText(error)),
      },
    );
  const bp = (name: keyof RulesForm, label: string, allowEmpty = false) => (
    <Form.Item name={name} label={label} rules={allowEmpty ? [] : [{ required: true }]}>
      <InputNumber min={0} max={100000} style={{ width: 160 }} />
    </Form.Item>
  );
  return (
    <Flex vertical gap={16}>
      <SettingsCard canEdit={canEdit} />
      {ruleSets.error ? <ErrorAlert error={ruleSets.error} /> : null}
      <Card
        size="small"
        title={
          current?.effectiveFrom
            ? t('incentives.rules.inForce', { from: current.effectiveFrom })
            : t('incentives.rules.defaults')
        }
      >
        <Typography.Paragraph type="secondary">{t('incentives.rules.rounding')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={submit} disabled={!canEdit}>
          <Space wrap align="start">
            <Form.Item
              name="effectiveFrom"
              label={t('incentives.rules.effectiveFrom')}
              rules={[
                { required: true },
                {
                  validator: (_, value: string) =>
                    isMonth(value) ? Promise.resolve() : Promise.reject(new Error('YYYY-MM')),
                },
              ]}
            >
              <Input style={{ width: 120 }} />
            </Form.Item>
            {bp('baseRateBp', t('incentives.rules.baseRate'))}
          </Space>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('incentives.rules.timeliness')}
          </Typography.Title>
          <Form.List name="timeliness">
            {(fields, { add, remove }) => (
              <Flex vertical gap={4} style={{ margin: '0 0 16px' }}>
                <Space>
                  <Typography.Text type="secondary" style={{ width: 200, display: 'inline-block' }}>
                    {t('incentives.rules.maxDaysLate')}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ width: 200, display: 'inline-block' }}>
                    {t('incentives.rules.multiplier')}
                  </Typography.Text>
                </Space>
                {fields.map((field) => (
                  <Space key={field.key}>
                    <Form.Item name={[field.name, 'maxDaysLate']} noStyle>
                      <InputNumber
                        min={0}
                        placeholder={t('incentives.rules.maxDaysLate')}
                        style={{ width: 200 }}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'multiplierBp']} noStyle rules={[{ required: true }]}>
                      <InputNumber
                        min={0}
                        placeholder={t('incentives.rules.multiplier')}
                        style={{ width: 200 }}
                      />
                    </Form.Item>
                    <Button onClick={() => remove(field.name)}>{t('common.delete')}</Button>
                  </Space>
                ))}
                <Button
                  onClick={() => add({ maxDaysLate: null, multiplierBp: 10000 })}
                  style={{ alignSelf: 'flex-start' }}
                >
                  {t('incentives.targets.addLine')}
                </Button>
              </Flex>
            )}
          </Form.List>
          <Space wrap align="start">
            {bp('oldDebtAfterDays', t('incentives.rules.oldDebt'), true)}
            {bp('oldDebtRateBp', t('incentives.rules.oldDebtRate'))}
            {bp('earlyMinDays', t('incentives.rules.earlyDays'), true)}
            {bp('earlyRateBp', t('incentives.rules.earlyRate'))}
            {bp('prepaymentBp', t('incentives.rules.prepayment'), true)}
          </Space>
          <Space wrap align="start">
            <Form.Item name="notSalesMode" label={t('incentives.rules.notSales')}>
              <Radio.Group
                options={[
                  { value: 'exclude', label: t('incentives.rules.notSales.exclude') },
                  { value: 'reduce', label: t('incentives.rules.notSales.reduce') },
                ]}
              />
            </Form.Item>
            {bp('notSalesMultiplierBp', t('incentives.rules.notSalesMultiplier'))}
            {bp('penaltyAfterDays', t('incentives.rules.penalty'), true)}
            {bp('penaltyRateBp', t('incentives.rules.penaltyRate'))}
          </Space>
          <Form.Item name="note" label={t('incentives.rules.note')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          {canEdit ? (
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t('incentives.rules.save')}
            </Button>
          ) : null}
        </Form>
      </Card>
      <Card size="small" title={t('incentives.rules.history')}>
        <Table
          rowKey={(row) => row.id ?? 'defaults'}
          size="small"
          pagination={false}
          dataSource={ruleSets.data?.versions ?? []}
          columns={[
            { key: 'from', title: t('incentives.rules.effectiveFrom'), dataIndex: 'effectiveFrom' },
            { key: 'base', title: t('incentives.rules.baseRate'), render: (_, row) => row.rules.baseRateBp },
            { key: 'note', title: t('incentives.rules.note'), dataIndex: 'note' },
            { key: 'at', title: '', render: (_, row) => row.createdAt?.slice(0, 10) },
          ]}
        />
      </Card>
    </Flex>
  );
}
