import { describe, expect, it } from 'vitest';
import { translate } from '../../app/i18n';
import { deliveryErrorText } from './delivery-error';

describe('deliveryErrorText', () => {
  const zh = (key: Parameters<typeof translate>[1]) => translate('zh-CN', key);
  const en = (key: Parameters<typeof translate>[1]) => translate('en', key);

  it('names the server’s own reasons in the reader’s language and keeps the detail', () => {
    const error = 'recipient_missing: the customer has no contact with an email address';
    expect(deliveryErrorText(zh, error)).toBe(
      '缺少收件人: the customer has no contact with an email address',
    );
    expect(deliveryErrorText(en, 'channel_disabled: the sms channel is switched off in the settings')).toBe(
      'Channel switched off: the sms channel is switched off in the settings',
    );
  });

  it('shows a channel’s own refusal exactly as the vendor said it', () => {
    expect(deliveryErrorText(zh, '310000: sign not match')).toBe('310000: sign not match');
    expect(deliveryErrorText(zh, null)).toBe('');
  });
});
