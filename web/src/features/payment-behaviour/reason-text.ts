import type { CreditRatingReasonView } from '@huikuan/core/contracts';
import type { Translate } from '../../app/i18n';

/** Shares are fractions on the wire (0.2857); people read percentages with one decimal. */
export function percentText(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** One rating reason as a sentence: what was measured, against which grade's limit, and whether it held. */
export function reasonText(t: Translate, reason: CreditRatingReasonView): string {
  if (reason.rule === 'paid_invoices') {
    return t('behaviour.reason.paid_invoices', { value: reason.value, limit: reason.limit });
  }
  const isShare = reason.rule === 'share_late';
  const params = {
    currency: reason.currency === null ? '' : `${reason.currency} `,
    grade: reason.grade ?? '',
    value: isShare ? percentText(reason.value) : reason.value,
    limit: isShare ? percentText(reason.limit) : reason.limit,
  };
  const key = `behaviour.reason.${reason.rule}.${reason.isMet ? 'met' : 'failed'}` as const;
  return t(key, params);
}
