import type { Translate } from '../../app/i18n';

const KNOWN_REASONS = [
  'recipient_missing',
  'recipient_invalid',
  'channel_not_configured',
  'channel_disabled',
  'interrupted',
  'send_failed',
] as const;

/**
 * The server writes its own reasons as "code: detail" (detail in English, naming the address or field); the code is
 * shown in the reader's language, the detail as written. A channel's own refusal (e.g. "310000: sign not match")
 * is shown exactly as the vendor said it.
 */
export function deliveryErrorText(t: Translate, error: string | null): string {
  if (error === null) return '';
  const reason = KNOWN_REASONS.find((code) => error.startsWith(`${code}:`));
  if (!reason) return error;
  return `${t(`messaging.error.${reason}`)}: ${error.slice(reason.length + 1).trim()}`;
}
