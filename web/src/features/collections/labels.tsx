import {
  CUSTOMER_ATTITUDES,
  DELINQUENCY_TYPES,
  type CustomerAttitude,
  type DelinquencyType,
} from '@huikuan/core';
import type { CollectionCase } from '@huikuan/core/contracts';
import { Tag, Tooltip, Typography } from 'antd';
import type { Translate } from '../../app/i18n';
import { useT } from '../../app/locale';

/** Labels and small tags of 催收: delinquency types, attitudes, approach, score reasons and the next step. */

export function typeLabel(t: Translate, type: DelinquencyType | null): string {
  return type === null ? t('collections.type.none') : t(`collections.type.${type}`);
}

export function attitudeLabel(t: Translate, attitude: CustomerAttitude | null): string {
  return attitude === null ? t('collections.attitude.none') : t(`collections.attitude.${attitude}`);
}

export function typeOptions(t: Translate) {
  return DELINQUENCY_TYPES.map((type) => ({ value: type, label: typeLabel(t, type) }));
}

export function attitudeOptions(t: Translate) {
  return CUSTOMER_ATTITUDES.map((attitude) => ({ value: attitude, label: attitudeLabel(t, attitude) }));
}

export function ApproachTag({ row }: { row: Pick<CollectionCase, 'approach' | 'approachReasons'> }) {
  const t = useT();
  const reasons = row.approachReasons.map((reason) => t(`collections.approachReason.${reason}`)).join('、');
  return (
    <Tooltip title={[t(`collections.approach.help.${row.approach}`), reasons].filter(Boolean).join('：')}>
      <Tag color={row.approach === 'hard' ? 'red' : 'green'} data-testid="case-approach">
        {t(`collections.approach.${row.approach}`)}
      </Tag>
    </Tooltip>
  );
}

/** One reason as text, its parameters translated where they are codes. */
export function reasonText(t: Translate, reason: CollectionCase['reasons'][number]): string {
  const params: Record<string, string> = { ...reason.params };
  if (reason.code === 'delinquency_type' && params.type)
    params.type = typeLabel(t, params.type as DelinquencyType);
  if (reason.code === 'attitude' && params.attitude) {
    params.attitude = attitudeLabel(t, params.attitude as CustomerAttitude);
  }
  const text = t(`collections.reason.${reason.code}`, params);
  return reason.points === 0 ? text : `${text}（${reason.points > 0 ? '+' : ''}${reason.points}）`;
}

export function ReasonsText({ reasons }: { reasons: CollectionCase['reasons'] }) {
  const t = useT();
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="case-reasons">
      {reasons.map((reason) => reasonText(t, reason)).join('；')}
    </Typography.Text>
  );
}

const TASK_KINDS = new Set(['call', 'visit_confirmation', 'litigation_review', 'follow_up']);

export function nextStepText(t: Translate, step: CollectionCase['nextStep']): string {
  if (step.source === 'activity') {
    const kind = TASK_KINDS.has(step.kind)
      ? t(`collections.task.type.${step.kind as 'call'}`)
      : step.kind === 'visit'
        ? t('collections.timeline.kind.visit')
        : step.kind;
    return `${kind}${step.dueOn ? ` · ${step.dueOn}` : ''}${step.title ? ` · ${step.title}` : ''}`;
  }
  return t(`collections.step.${step.kind as 'call'}`);
}

export function scoreColor(score: number): string {
  if (score >= 70) return 'red';
  if (score >= 40) return 'orange';
  if (score > 0) return 'gold';
  return 'default';
}
