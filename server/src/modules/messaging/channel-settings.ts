import type {
  ChannelSettings,
  ExternalChannel,
  ImChannel,
  UpdateChannelSettingsRequest,
} from '@huikuan/core/contracts';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { MessageChannelSettingsTable } from '../../db/schema/messaging';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { secretBoxFor, type SecretBox } from './secret-box';

/**
 * The organization's channel settings (渠道设置). Secrets are sealed before they reach the database and are never
 * answered back: the view says whether each is set and, for webhook URLs, a hint (host and last characters).
 */

type SettingsRow = Selectable<MessageChannelSettingsTable>;
type SettingsValues = Omit<Insertable<MessageChannelSettingsTable>, 'tenant_id' | 'updated_at'>;

/** The sealed columns, by the name the audit log and hints use. */
const SECRET_COLUMNS = {
  'email.password': 'smtp_password_enc',
  'wecom.webhookUrl': 'wecom_webhook_url_enc',
  'dingtalk.webhookUrl': 'dingtalk_webhook_url_enc',
  'dingtalk.secret': 'dingtalk_secret_enc',
  'feishu.webhookUrl': 'feishu_webhook_url_enc',
  'feishu.secret': 'feishu_secret_enc',
  'sms.accessKeySecret': 'sms_access_key_secret_enc',
} as const;
type SecretField = keyof typeof SECRET_COLUMNS;

export async function loadSettingsRow(tx: Tx, tenantId: string): Promise<SettingsRow | undefined> {
  return tx
    .selectFrom('message_channel_settings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

const isSet = (value: string | null | undefined): value is string => value !== null && value !== undefined;

function robotView(row: SettingsRow | undefined, channel: ImChannel) {
  const url = row?.[`${channel}_webhook_url_enc`] ?? null;
  const secret = channel === 'wecom' ? null : (row?.[`${channel}_secret_enc`] ?? null);
  return {
    webhookUrlHint: isSet(url) ? (row?.secret_hints[`${channel}.webhookUrl`] ?? '…') : null,
    hasSecret: isSet(secret),
    isConfigured: isSet(url),
  };
}

export function channelSettingsView(row: SettingsRow | undefined): ChannelSettings {
  const templateCodes = row?.sms_template_codes ?? {};
  return {
    enabledChannels: (row?.enabled_channels ?? []) as ExternalChannel[],
    internalImChannel: (row?.internal_im_channel ?? null) as ImChannel | null,
    email: {
      host: row?.smtp_host ?? null,
      port: row?.smtp_port ?? null,
      secure: row?.smtp_secure ?? false,
      user: row?.smtp_user ?? null,
      from: row?.smtp_from ?? null,
      hasPassword: isSet(row?.smtp_password_enc),
      isConfigured: Boolean(row?.smtp_host && row.smtp_port && row.smtp_from),
    },
    wecom: robotView(row, 'wecom'),
    dingtalk: robotView(row, 'dingtalk'),
    feishu: robotView(row, 'feishu'),
    sms: {
      provider: row?.sms_provider === 'aliyun' ? 'aliyun' : null,
      accessKeyId: row?.sms_access_key_id ?? null,
      hasAccessKeySecret: isSet(row?.sms_access_key_secret_enc),
      signName: row?.sms_sign_name ?? null,
      templateCodes,
      endpoint: row?.sms_endpoint ?? null,
      isConfigured: Boolean(
        row?.sms_provider &&
        row.sms_access_key_id &&
        row.sms_access_key_secret_enc &&
        row.sms_sign_name &&
        Object.keys(templateCodes).length > 0,
      ),
    },
    updatedAt: row?.updated_at.toISOString() ?? null,
  };
}

function requireSettingsReader(actor: Actor): void {
  if (actor.role !== 'admin' && actor.role !== 'finance') throw new AppError('forbidden');
}

export async function getChannelSettings(deps: AppDeps, actor: Actor): Promise<ChannelSettings> {
  requireSettingsReader(actor);
  return channelSettingsView(
    await deps.db.tenant(actor.tenantId, (tx) => loadSettingsRow(tx, actor.tenantId)),
  );
}

const blankToNull = (value: string | null | undefined) =>
  value === undefined || value === '' ? null : value;

/** "qyapi.weixin.qq.com …3f9a": enough to recognise which robot it is, not enough to use it. */
function webhookHint(url: string): string {
  let host = '';
  try {
    host = new URL(url).host;
  } catch {
    host = '';
  }
  return `${host} …${url.slice(-4)}`;
}

/** The plain (non-secret) columns a request sets, section by section; absent sections keep what is stored. */
function plainValues(body: UpdateChannelSettingsRequest): Partial<SettingsValues> {
  const values: Partial<SettingsValues> = {};
  if (body.enabledChannels) values.enabled_channels = [...new Set(body.enabledChannels)];
  if (body.internalImChannel !== undefined) values.internal_im_channel = body.internalImChannel;
  if (body.email) {
    values.smtp_host = blankToNull(body.email.host);
    values.smtp_port = body.email.port;
    values.smtp_secure = body.email.secure;
    values.smtp_user = blankToNull(body.email.user);
    values.smtp_from = blankToNull(body.email.from);
  }
  if (body.sms) {
    values.sms_provider = body.sms.provider;
    values.sms_access_key_id = blankToNull(body.sms.accessKeyId);
    values.sms_sign_name = blankToNull(body.sms.signName);
    values.sms_template_codes = JSON.stringify(body.sms.templateCodes);
    if (body.sms.endpoint !== undefined) values.sms_endpoint = blankToNull(body.sms.endpoint);
  }
  return values;
}

/** Secrets the request sets (a string) or clears (null or ''); undefined leaves them alone. */
function secretInputs(body: UpdateChannelSettingsRequest): [SecretField, string | null][] {
  const inputs: [SecretField, string | null | undefined][] = [
    ['email.password', body.email?.password],
    ['wecom.webhookUrl', body.wecom?.webhookUrl],
    ['dingtalk.webhookUrl', body.dingtalk?.webhookUrl],
    ['dingtalk.secret', body.dingtalk?.secret],
    ['feishu.webhookUrl', body.feishu?.webhookUrl],
    ['feishu.secret', body.feishu?.secret],
    ['sms.accessKeySecret', body.sms?.accessKeySecret],
  ];
  return inputs
    .filter((entry): entry is [SecretField, string | null] => entry[1] !== undefined)
    .map(([field, value]) => [field, blankToNull(value)]);
}

function sealedValues(
  box: SecretBox,
  tenantId: string,
  inputs: [SecretField, string | null][],
  hints: Record<string, string>,
): Partial<SettingsValues> {
  const values: Partial<SettingsValues> = {};
  for (const [field, value] of inputs) {
    values[SECRET_COLUMNS[field]] = value === null ? null : box.seal(value, `${tenantId}:${field}`);
    if (value !== null && field.endsWith('webhookUrl')) hints[field] = webhookHint(value);
    else delete hints[field];
  }
  values.secret_hints = JSON.stringify(hints);
  return values;
}

/** Only admins change channels: they decide what leaves the system in the organization's name. Audited. */
export async function updateChannelSettings(
  deps: AppDeps,
  actor: Actor,
  body: UpdateChannelSettingsRequest,
): Promise<ChannelSettings> {
  if (actor.role !== 'admin') throw new AppError('forbidden');
  const box = secretBoxFor(deps.config);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await loadSettingsRow(tx, actor.tenantId);
    const secrets = secretInputs(body);
    const values: Partial<SettingsValues> = {
      ...plainValues(body),
      ...sealedValues(box, actor.tenantId, secrets, { ...(before?.secret_hints ?? {}) }),
      updated_by_user_id: actor.userId,
    };
    await tx
      .insertInto('message_channel_settings')
      .values({ tenant_id: actor.tenantId, ...values })
      .onConflict((conflict) =>
        conflict.column('tenant_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }),
      )
      .execute();
    const after = channelSettingsView(await loadSettingsRow(tx, actor.tenantId));
    await recordAudit(tx, actor, {
      action: 'messaging_settings.update',
      entityType: 'message_channel_settings',
      entityId: actor.tenantId,
      before: channelSettingsView(before),
      // Which credentials were set or cleared, never their values.
      after: {
        ...after,
        credentialsChanged: secrets.map(([field, value]) => `${field}:${value ? 'set' : 'cleared'}`),
      },
    });
    return after;
  });
}
