import type { ChannelSettings, ExternalChannel, UpdateChannelSettingsRequest } from '@huikuan/core/contracts';
import { SMS_TEMPLATE_PURPOSES } from '@huikuan/core/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Switch,
  Tag,
  Typography,
  type FormInstance,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { useT } from '../../app/locale';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { Page } from '../../ui/Page';
import { useChannelSettings, useSendTestMessage, useUpdateChannelSettings } from './api';
import { channelLabel, deliveryErrorText } from './labels';

/** A write-only secret in a form: undefined keeps it, a string sets it, null clears it. */
type SecretValue = string | null | undefined;

function SecretInput({
  isSet,
  value,
  onChange,
  testId,
}: {
  isSet: boolean;
  value?: SecretValue;
  onChange?: (value: SecretValue) => void;
  testId: string;
}) {
  const t = useT();
  if (value === null) {
    return (
      <Flex gap={8} align="center">
        <Tag color="red">{t('messaging.settings.willClear')}</Tag>
        <Button size="small" type="link" onClick={() => onChange?.(undefined)}>
          {t('common.cancel')}
        </Button>
      </Flex>
    );
  }
  return (
    <Flex gap={8} align="center">
      <Input.Password
        autoComplete="new-password"
        value={value ?? ''}
        onChange={(event) => onChange?.(event.target.value === '' ? undefined : event.target.value)}
        placeholder={isSet ? t('messaging.settings.secretSet') : t('messaging.settings.secretNotSet')}
        data-testid={testId}
      />
      {isSet ? (
        <Button size="small" type="link" onClick={() => onChange?.(null)}>
          {t('messaging.settings.clearSecret')}
        </Button>
      ) : null}
    </Flex>
  );
}

/** 发送渠道设置: one card per channel, each saved on its own; a test message proves the channel end to end. */
export function ChannelSettingsPage() {
  const t = useT();
  const settings = useChannelSettings();
  return (
    <Page title={t('messaging.settings.title')}>
      <Alert type="info" showIcon title={t('messaging.settings.help')} />
      {settings.isError ? (
        <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />
      ) : null}
      {settings.data ? <ChannelCards settings={settings.data} /> : null}
    </Page>
  );
}

function ChannelCards({ settings }: { settings: ChannelSettings }) {
  return (
    <Flex vertical gap={16} style={{ maxWidth: 760 }}>
      <EmailCard settings={settings} />
      <RobotCard settings={settings} channel="wecom" />
      <RobotCard settings={settings} channel="dingtalk" />
      <RobotCard settings={settings} channel="feishu" />
      <SmsCard settings={settings} />
      <InternalCard settings={settings} />
    </Flex>
  );
}

/** Saves one section; validation issues land under their fields, anything else above the form. */
function useSectionSave(form: FormInstance, fieldNames: readonly string[], secretFields: readonly string[]) {
  const t = useT();
  const update = useUpdateChannelSettings();
  const { message } = App.useApp();
  const [failure, setFailure] = useState<unknown>(null);
  const save = (body: UpdateChannelSettingsRequest) => {
    setFailure(null);
    update.mutate(body, {
      onSuccess: () => {
        void message.success(t('messaging.settings.saved'));
        // Secrets are never shown again: empty their inputs; the card now says "set".
        form.setFieldsValue(Object.fromEntries(secretFields.map((name) => [name, undefined])));
      },
      onError: (error) => {
        if (!applyApiErrorToForm(form, error, fieldNames)) setFailure(error);
      },
    });
  };
  return { save, isSaving: update.isPending, failure };
}

type ChannelCardProps = {
  channel: ExternalChannel;
  settings: ChannelSettings;
  isConfigured: boolean;
  children: ReactNode;
  failure: unknown;
};

function ChannelCard({ channel, settings, isConfigured, children, failure }: ChannelCardProps) {
  const t = useT();
  const update = useUpdateChannelSettings();
  const isEnabled = settings.enabledChannels.includes(channel);
  const toggle = (checked: boolean) =>
    update.mutate({
      enabledChannels: checked
        ? [...settings.enabledChannels, channel]
        : settings.enabledChannels.filter((value) => value !== channel),
    });
  return (
    <Card
      data-testid={`channel-card-${channel}`}
      title={
        <Flex gap={8} align="center">
          {channelLabel(t, channel)}
          <Tag color={isConfigured ? 'green' : 'default'}>
            {t(isConfigured ? 'messaging.settings.configured' : 'messaging.settings.notConfigured')}
          </Tag>
        </Flex>
      }
      extra={
        <Flex gap={8} align="center">
          <Typography.Text>{t('messaging.settings.enabled')}</Typography.Text>
          <Switch
            checked={isEnabled}
            loading={update.isPending}
            onChange={toggle}
            data-testid={`channel-enabled-${channel}`}
          />
        </Flex>
      }
    >
      {failure === null ? null : <ErrorAlert error={failure} />}
      {children}
      <TestMessage channel={channel} />
    </Card>
  );
}

function TestMessage({ channel }: { channel: ExternalChannel }) {
  const t = useT();
  const send = useSendTestMessage();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [recipient, setRecipient] = useState('');
  const needsRecipient = channel === 'email' || channel === 'sms';
  const run = () =>
    send.mutate(
      { channel, ...(recipient.trim() === '' ? {} : { recipient: recipient.trim() }) },
      {
        onSuccess: (sent) =>
          sent.status === 'sent'
            ? void message.success(t('messaging.settings.testSent'))
            : void message.error(
                t('messaging.settings.testFailed', { error: deliveryErrorText(t, sent.lastError) }),
              ),
        onError: (error) => void message.error(errorText(error)),
      },
    );
  return (
    <Flex gap={8} align="center" wrap style={{ marginTop: 8 }}>
      {needsRecipient ? (
        <Input
          style={{ maxWidth: 280 }}
          value={recipient}
          onChange={(event) => setRecipient(event.target.value)}
          placeholder={t(
            channel === 'email' ? 'messaging.settings.testEmailHelp' : 'messaging.settings.testSmsHelp',
          )}
          aria-label={t('messaging.settings.testRecipient')}
          data-testid={`channel-test-recipient-${channel}`}
        />
      ) : null}
      <Button onClick={run} loading={send.isPending} data-testid={`channel-test-${channel}`}>
        {t('messaging.settings.test')}
      </Button>
    </Flex>
  );
}

type EmailValues = {
  host: string | null;
  port: number | null;
  secure: boolean;
  user: string | null;
  from: string | null;
  password: SecretValue;
};

function EmailCard({ settings }: { settings: ChannelSettings }) {
  const t = useT();
  const [form] = Form.useForm<EmailValues>();
  const { save, isSaving, failure } = useSectionSave(form, ['email'], ['password']);
  const submit = (values: EmailValues) =>
    save({
      email: {
        host: values.host || null,
        port: values.port ?? null,
        secure: values.secure,
        user: values.user || null,
        from: values.from || null,
        ...(values.password === undefined ? {} : { password: values.password }),
      },
    });
  return (
    <ChannelCard
      channel="email"
      settings={settings}
      isConfigured={settings.email.isConfigured}
      failure={failure}
    >
      <Form<EmailValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ ...settings.email, password: undefined }}
      >
        <Flex gap={16} wrap>
          <Form.Item name="host" label={t('messaging.settings.smtpHost')} style={{ flex: 1, minWidth: 240 }}>
            <Input data-testid="smtp-host" />
          </Form.Item>
          <Form.Item name="port" label={t('messaging.settings.smtpPort')}>
            <InputNumber min={1} max={65535} data-testid="smtp-port" />
          </Form.Item>
        </Flex>
        <Form.Item name="secure" valuePropName="checked">
          <Checkbox>{t('messaging.settings.smtpSecure')}</Checkbox>
        </Form.Item>
        <Form.Item name="user" label={t('messaging.settings.smtpUser')}>
          <Input autoComplete="off" data-testid="smtp-user" />
        </Form.Item>
        <Form.Item name="password" label={t('messaging.settings.smtpPassword')}>
          <SecretInput isSet={settings.email.hasPassword} testId="smtp-password" />
        </Form.Item>
        <Form.Item
          name="from"
          label={t('messaging.settings.smtpFrom')}
          extra={t('messaging.settings.smtpFromHelp')}
          validateFirst
        >
          <Input data-testid="smtp-from" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={isSaving} data-testid="save-email">
          {t('common.save')}
        </Button>
      </Form>
    </ChannelCard>
  );
}

type RobotValues = { webhookUrl: SecretValue; secret: SecretValue };

function RobotCard({
  settings,
  channel,
}: {
  settings: ChannelSettings;
  channel: 'wecom' | 'dingtalk' | 'feishu';
}) {
  const t = useT();
  const [form] = Form.useForm<RobotValues>();
  const { save, isSaving, failure } = useSectionSave(form, [channel], ['webhookUrl', 'secret']);
  const robot = settings[channel];
  const hasSigning = channel !== 'wecom';
  const submit = (values: RobotValues) => {
    const section = {
      ...(values.webhookUrl === undefined ? {} : { webhookUrl: values.webhookUrl }),
      ...(hasSigning && values.secret !== undefined ? { secret: values.secret } : {}),
    };
    save({ [channel]: section });
  };
  return (
    <ChannelCard channel={channel} settings={settings} isConfigured={robot.isConfigured} failure={failure}>
      <Typography.Paragraph type="secondary">{t(`messaging.settings.${channel}Help`)}</Typography.Paragraph>
      <Form<RobotValues> form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="webhookUrl"
          label={t('messaging.settings.webhookUrl')}
          extra={robot.webhookUrlHint ?? undefined}
        >
          <SecretInput isSet={robot.webhookUrlHint !== null} testId={`${channel}-webhook`} />
        </Form.Item>
        {hasSigning ? (
          <Form.Item name="secret" label={t('messaging.settings.signSecret')}>
            <SecretInput isSet={robot.hasSecret} testId={`${channel}-secret`} />
          </Form.Item>
        ) : null}
        <Button type="primary" htmlType="submit" loading={isSaving} data-testid={`save-${channel}`}>
          {t('common.save')}
        </Button>
      </Form>
    </ChannelCard>
  );
}

type SmsValues = {
  provider: 'aliyun' | null;
  accessKeyId: string | null;
  accessKeySecret: SecretValue;
  signName: string | null;
  endpoint: string | null;
  templateCodes: Partial<Record<(typeof SMS_TEMPLATE_PURPOSES)[number], string>>;
};

function SmsCard({ settings }: { settings: ChannelSettings }) {
  const t = useT();
  const [form] = Form.useForm<SmsValues>();
  const { save, isSaving, failure } = useSectionSave(form, ['sms'], ['accessKeySecret']);
  const submit = (values: SmsValues) => {
    const templateCodes = Object.fromEntries(
      Object.entries(values.templateCodes ?? {}).filter(
        ([, code]) => typeof code === 'string' && code.trim() !== '',
      ),
    );
    save({
      sms: {
        provider: values.provider ?? null,
        accessKeyId: values.accessKeyId || null,
        signName: values.signName || null,
        endpoint: values.endpoint || null,
        templateCodes,
        ...(values.accessKeySecret === undefined ? {} : { accessKeySecret: values.accessKeySecret }),
      },
    });
  };
  return (
    <ChannelCard channel="sms" settings={settings} isConfigured={settings.sms.isConfigured} failure={failure}>
      <Form<SmsValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          ...settings.sms,
          accessKeySecret: undefined,
          provider: settings.sms.provider ?? 'aliyun',
        }}
      >
        <Form.Item name="provider" label={t('messaging.settings.smsProvider')}>
          <Select options={[{ value: 'aliyun', label: t('messaging.settings.smsProvider.aliyun') }]} />
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item
            name="accessKeyId"
            label={t('messaging.settings.accessKeyId')}
            style={{ flex: 1, minWidth: 240 }}
          >
            <Input autoComplete="off" data-testid="sms-access-key-id" />
          </Form.Item>
          <Form.Item
            name="accessKeySecret"
            label={t('messaging.settings.accessKeySecret')}
            style={{ flex: 1, minWidth: 240 }}
          >
            <SecretInput isSet={settings.sms.hasAccessKeySecret} testId="sms-access-key-secret" />
          </Form.Item>
        </Flex>
        <Form.Item name="signName" label={t('messaging.settings.signName')}>
          <Input data-testid="sms-sign-name" />
        </Form.Item>
        <Typography.Text strong>{t('messaging.settings.templateCodes')}</Typography.Text>
        <Typography.Paragraph type="secondary">{t('messaging.settings.templateHelp')}</Typography.Paragraph>
        <Flex gap={16} wrap>
          {SMS_TEMPLATE_PURPOSES.map((purpose) => (
            <Form.Item
              key={purpose}
              name={['templateCodes', purpose]}
              label={t(`messaging.settings.template.${purpose}`)}
              style={{ minWidth: 200 }}
            >
              <Input placeholder="SMS_123456789" data-testid={`sms-template-${purpose}`} />
            </Form.Item>
          ))}
        </Flex>
        <Form.Item
          name="endpoint"
          label={t('messaging.settings.endpoint')}
          extra={t('messaging.settings.endpointHelp')}
        >
          <Input />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={isSaving} data-testid="save-sms">
          {t('common.save')}
        </Button>
      </Form>
    </ChannelCard>
  );
}

function InternalCard({ settings }: { settings: ChannelSettings }) {
  const t = useT();
  const update = useUpdateChannelSettings();
  return (
    <Card title={t('messaging.settings.internal')}>
      <Typography.Paragraph type="secondary">{t('messaging.settings.internalImHelp')}</Typography.Paragraph>
      <Flex gap={8} align="center">
        <Typography.Text>{t('messaging.settings.internalIm')}</Typography.Text>
        <Select<string>
          style={{ minWidth: 200 }}
          value={settings.internalImChannel ?? ''}
          loading={update.isPending}
          data-testid="internal-im-channel"
          onChange={(value) =>
            update.mutate({
              internalImChannel: value === '' ? null : (value as 'wecom' | 'dingtalk' | 'feishu'),
            })
          }
          options={[
            { value: '', label: t('messaging.settings.internalNone') },
            ...(['wecom', 'dingtalk', 'feishu'] as const).map((value) => ({
              value,
              label: channelLabel(t, value),
            })),
          ]}
        />
      </Flex>
    </Card>
  );
}
