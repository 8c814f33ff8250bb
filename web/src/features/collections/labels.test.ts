import type { CalendarDate } from '@huikuan/core';
import { describe, expect, it } from 'vitest';
import { translate, type MessageKey, type TranslateParams } from '../../app/i18n';
import { nextStepText, reasonText } from './labels';

const zh = (key: MessageKey, params?: TranslateParams) => translate('zh-CN', key, params);
const en = (key: MessageKey, params?: TranslateParams) => translate('en', key, params);

describe('worklist labels', () => {
  it('writes a score reason with its points, translating codes in its parameters', () => {
    expect(
      reasonText(zh, { code: 'amount', points: 16, params: { amount: '12345.67', currency: 'CNY' } }),
    ).toBe('逾期待收 12345.67 CNY（+16）');
    expect(reasonText(zh, { code: 'delinquency_type', points: 10, params: { type: 'intentional' } })).toBe(
      '拖欠类型：故意拖欠（+10）',
    );
    expect(reasonText(en, { code: 'open_promise', points: -20, params: { until: '2026-11-28' } })).toBe(
      'Promised; grace until 2026-11-28（-20）',
    );
    expect(reasonText(zh, { code: 'not_overdue', points: 0, params: {} })).toBe('未逾期');
  });

  it('says the next step: an open task with its date, or the suggested rung', () => {
    expect(
      nextStepText(zh, {
        source: 'activity',
        kind: 'call',
        dueOn: '2026-11-23' as CalendarDate,
        activityId: null,
        title: null,
      }),
    ).toBe('电话任务 · 2026-11-23');
    expect(
      nextStepText(en, {
        source: 'suggestion',
        kind: 'dunning_letter',
        dueOn: null,
        activityId: null,
        title: null,
      }),
    ).toBe('Dunning letter');
  });
});
