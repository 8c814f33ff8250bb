/**
 * Stable error codes shared by server and web. Each code has one HTTP status and a message in every
 * supported locale; `{name}` placeholders are filled from the error's params.
 */

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

type ErrorDefinition = { status: number; messages: Record<Locale, string> };

export const ERROR_CATALOG = {
  validation_failed: {
    status: 400,
    messages: { 'zh-CN': '请求数据有误，请检查标出的字段', en: 'The request has invalid fields' },
  },
  bad_request: { status: 400, messages: { 'zh-CN': '请求无效：{detail}', en: 'Bad request: {detail}' } },
  unauthenticated: { status: 401, messages: { 'zh-CN': '请先登录', en: 'Please sign in' } },
  invalid_credentials: {
    status: 401,
    messages: { 'zh-CN': '组织、邮箱或密码不正确', en: 'Organization, email or password is incorrect' },
  },
  account_locked: {
    status: 423,
    messages: {
      'zh-CN': '登录失败次数过多，账户已锁定，请在 {minutes} 分钟后重试',
      en: 'Too many failed sign-ins; the account is locked for {minutes} minutes',
    },
  },
  account_disabled: { status: 403, messages: { 'zh-CN': '该账户已停用', en: 'This account is disabled' } },
  forbidden: {
    status: 403,
    messages: { 'zh-CN': '没有执行此操作的权限', en: 'You are not allowed to do this' },
  },
  csrf_failed: {
    status: 403,
    messages: {
      'zh-CN': '安全校验失败，请刷新页面后重试',
      en: 'Security check failed; reload the page and retry',
    },
  },
  not_found: { status: 404, messages: { 'zh-CN': '未找到{entity}', en: '{entity} not found' } },
  route_not_found: { status: 404, messages: { 'zh-CN': '接口不存在', en: 'No such endpoint' } },
  conflict: { status: 409, messages: { 'zh-CN': '{detail}', en: '{detail}' } },
  slug_taken: {
    status: 409,
    messages: { 'zh-CN': '组织标识 {slug} 已被使用', en: 'The organization slug {slug} is taken' },
  },
  email_taken: {
    status: 409,
    messages: {
      'zh-CN': '邮箱 {email} 已在本组织中使用',
      en: 'The email {email} is already used in this organization',
    },
  },
  last_admin: {
    status: 409,
    messages: {
      'zh-CN': '组织至少需要一名启用的管理员',
      en: 'The organization needs at least one active admin',
    },
  },
  invitation_invalid: {
    status: 410,
    messages: { 'zh-CN': '邀请链接无效或已过期', en: 'The invitation is invalid or has expired' },
  },
  idempotency_conflict: {
    status: 409,
    messages: {
      'zh-CN': '幂等键已用于另一个不同的请求',
      en: 'This idempotency key was already used with different parameters',
    },
  },
  rate_limited: {
    status: 429,
    messages: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  },
  customer_on_credit_hold: {
    status: 409,
    messages: {
      'zh-CN': '客户 {customer} 信用管控未通过（{causes}），已停止供货；需经批准的信用放行后才能继续',
      en: 'Customer {customer} fails credit control ({causes}); supply is stopped until an approved credit override',
    },
  },
  internal: { status: 500, messages: { 'zh-CN': '服务器内部错误', en: 'Internal server error' } },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export type ErrorParams = Record<string, string | number>;

/** The JSON body of every error response. */
export type ErrorBody = {
  error: {
    code: ErrorCode;
    message: string;
    params?: ErrorParams;
    /** For validation errors: where in the request each problem is. */
    issues?: { path: string; message: string }[];
    requestId?: string;
  };
};

export function errorStatus(code: ErrorCode): number {
  return ERROR_CATALOG[code].status;
}

export function errorMessage(code: ErrorCode, locale: Locale, params: ErrorParams = {}): string {
  const template: string = ERROR_CATALOG[code].messages[locale];
  // Own properties only, so a placeholder such as {constructor} is never filled from Object.prototype.
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.hasOwn(params, key) ? String(params[key]) : whole,
  );
}

/**
 * The most preferred supported locale in an Accept-Language header, honouring q-values: 'fr-FR,en;q=0.8'
 * is English, 'en;q=0.5,zh;q=0.9' is Chinese and 'en;q=0' rules English out. Any Chinese variant is zh-CN.
 */
export function pickLocale(acceptLanguage: string | undefined, fallback: Locale = 'zh-CN'): Locale {
  if (!acceptLanguage) return fallback;
  const ranges = acceptLanguage
    .split(',')
    .map((entry, index) => parseLanguageRange(entry, index))
    .filter((range) => range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranges) {
    const primary = tag.split('-')[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  return fallback;
}

/** One 'tag;q=0.8' entry; a missing q is 1, a malformed one makes the entry unusable (0). */
function parseLanguageRange(entry: string, index: number): { tag: string; quality: number; index: number } {
  const [tagPart = '', ...params] = entry.split(';');
  const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
  const quality = qParam === undefined ? 1 : parseQuality(qParam.slice(2));
  return { tag: tagPart.trim().toLowerCase(), quality, index };
}

function parseQuality(text: string): number {
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(text)) return 0;
  return Number(text);
}
