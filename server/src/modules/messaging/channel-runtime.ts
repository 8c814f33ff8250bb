import type { ExternalChannel, ImChannel } from '@huikuan/core/contracts';
import type { Tx } from '../../platform/db';
import type { SmtpSettings } from '../../platform/email';
import { loadSettingsRow } from './channel-settings';
import type { AliyunSmsSettings } from './channels/sms';
import type { SecretBox } from './secret-box';

/**
 * What the delivery worker needs to send on each channel, with the secrets opened. Lives only in memory for one
 * delivery run. A channel that is switched off, incomplete, or whose secret cannot be opened (the server's key
 * changed) is unusable, with the reason the message log will show.
 */
export type Usable<T> = { ok: true; value: T } | { ok: false; reason: string };

export type ChannelRuntime = {
  enabled: ReadonlySet<ExternalChannel>;
  internalImChannel: ImChannel | null;
  email: Usable<SmtpSettings & { from: string }>;
  wecom: Usable<{ webhookUrl: string }>;
  dingtalk: Usable<{ webhookUrl: string; secret: string | null }>;
  feishu: Usable<{ webhookUrl: string; secret: string | null }>;
  sms: Usable<{ provider: 'aliyun'; aliyun: AliyunSmsSettings; templateCodes: Record<string, string> }>;
};

const notConfigured = (what: string): { ok: false; reason: string } => ({
  ok: false,
  reason: `channel_not_configured: ${what}`,
});

class UnopenableSecret extends Error {}

export async function loadChannelRuntime(tx: Tx, tenantId: string, box: SecretBox): Promise<ChannelRuntime> {
  const row = await loadSettingsRow(tx, tenantId);
  const open = (sealed: string | null | undefined, field: string): string | null => {
    if (sealed === null || sealed === undefined) return null;
    try {
      return box.open(sealed, `${tenantId}:${field}`);
    } catch {
      throw new UnopenableSecret(field);
    }
  };
  const guard = <T>(build: () => Usable<T>): Usable<T> => {
    try {
      return build();
    } catch (error) {
      if (!(error instanceof UnopenableSecret)) throw error;
      return notConfigured(
        `the stored ${error.message} cannot be opened with this server's key; enter it again`,
      );
    }
  };
  return {
    enabled: new Set((row?.enabled_channels ?? []) as ExternalChannel[]),
    internalImChannel: (row?.internal_im_channel ?? null) as ImChannel | null,
    email: guard(() =>
      row?.smtp_host && row.smtp_port && row.smtp_from
        ? {
            ok: true,
            value: {
              host: row.smtp_host,
              port: row.smtp_port,
              secure: row.smtp_secure,
              user: row.smtp_user,
              password: open(row.smtp_password_enc, 'email.password'),
              from: row.smtp_from,
            },
          }
        : notConfigured('SMTP host, port and sender address are required'),
    ),
    wecom: guard(() => {
      const webhookUrl = open(row?.wecom_webhook_url_enc, 'wecom.webhookUrl');
      return webhookUrl ? { ok: true, value: { webhookUrl } } : notConfigured('no WeCom robot webhook URL');
    }),
    dingtalk: guard(() => {
      const webhookUrl = open(row?.dingtalk_webhook_url_enc, 'dingtalk.webhookUrl');
      const secret = open(row?.dingtalk_secret_enc, 'dingtalk.secret');
      return webhookUrl
        ? { ok: true, value: { webhookUrl, secret } }
        : notConfigured('no DingTalk webhook URL');
    }),
    feishu: guard(() => {
      const webhookUrl = open(row?.feishu_webhook_url_enc, 'feishu.webhookUrl');
      const secret = open(row?.feishu_secret_enc, 'feishu.secret');
      return webhookUrl
        ? { ok: true, value: { webhookUrl, secret } }
        : notConfigured('no Feishu webhook URL');
    }),
    sms: guard(() => {
      const accessKeySecret = open(row?.sms_access_key_secret_enc, 'sms.accessKeySecret');
      if (
        row?.sms_provider !== 'aliyun' ||
        !row.sms_access_key_id ||
        !accessKeySecret ||
        !row.sms_sign_name
      ) {
        return notConfigured('SMS provider, access key and sign name are required');
      }
      return {
        ok: true,
        value: {
          provider: 'aliyun',
          aliyun: {
            accessKeyId: row.sms_access_key_id,
            accessKeySecret,
            signName: row.sms_sign_name,
            endpoint: row.sms_endpoint,
          },
          templateCodes: row.sms_template_codes,
        },
      };
    }),
  };
}
