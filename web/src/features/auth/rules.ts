import type { FormRule } from 'antd';
import type { Translate } from '../../app/i18n';
import { SLUG_PATTERN } from './slug';

/** Client-side checks mirror the shared contracts (core/contracts/platform.ts) so most mistakes never leave the page. */
export function requiredRule(t: Translate): FormRule {
  return { required: true, whitespace: true, message: t('validation.required') };
}

export function emailRules(t: Translate): FormRule[] {
  return [requiredRule(t), { type: 'email', message: t('validation.email') }];
}

export function newPasswordRules(t: Translate): FormRule[] {
  return [
    { required: true, message: t('validation.required') },
    { min: 10, message: t('validation.passwordMin') },
    { max: 200 },
  ];
}

export function slugRules(t: Translate): FormRule[] {
  return [
    requiredRule(t),
    { min: 3, max: 40, message: t('validation.slug') },
    { pattern: SLUG_PATTERN, message: t('validation.slug') },
  ];
}
