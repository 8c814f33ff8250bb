import { DUNNING_STEP_KINDS, LETTER_KINDS, MESSAGE_CHANNELS } from '@huikuan/core';
import {
  DISPUTE_EVENTS,
  DISPUTE_STATUSES,
  DUNNING_ACTION_OUTCOMES,
  MESSAGE_STATUSES,
  type TimelineEntry,
} from '@huikuan/core/contracts';
import { Button, Card, Empty, Tag, Timeline, Typography } from 'antd';
import { Link } from 'react-router';
import type { Translate } from '../../app/i18n';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { MoneyText } from '../../ui/MoneyText';
import { deliveryErrorText } from '../messaging/labels';
import { useTimeline } from './api';

const SOURCE_COLORS: Record<TimelineEntry['source'], string> = {
  activity: 'blue',
  promise: 'purple',
  dispute: 'orange',
  message: 'cyan',
  dunning_action: 'geekblue',
  letter: 'gold',
};

const ACTIVITY_KINDS = new Set(['call', 'visit', 'letter', 'note']);

function kindText(t: Translate, entry: TimelineEntry): string {
  if (entry.source === 'activity') {
    if (ACTIVITY_KINDS.has(entry.kind)) return t(`collections.timeline.kind.${entry.kind as 'call'}`);
    return t(`collections.task.type.${entry.kind.replace('task:', '') as 'call'}`);
  }
  if (entry.source === 'promise') return t(`collections.promise.status.${entry.kind as 'open'}`);
  // The other modules' codes in words, with the code itself for a value this page does not know yet.
  if (entry.source === 'dunning_action' && isOneOf(DUNNING_STEP_KINDS, entry.kind))
    return t(`dunning.kind.${entry.kind}`);
  if (entry.source === 'message' && isOneOf(MESSAGE_CHANNELS, entry.kind))
    return t(`messaging.channel.${entry.kind}`);
  if (entry.source === 'letter' && isOneOf(LETTER_KINDS, entry.kind)) return t(`letters.kind.${entry.kind}`);
  if (entry.source === 'dispute' && isOneOf(DISPUTE_EVENTS, entry.kind))
    return t(`collections.timeline.disputeEvent.${entry.kind}`);
  return entry.kind;
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

const CALL_OUTCOMES = new Set([
  'promised',
  'will_check',
  'disputed',
  'refused',
  'no_answer',
  'wrong_contact',
  'left_message',
]);
const VISIT_RESULTS = new Set(['collected', 'promised', 'disputed', 'refused', 'not_met', 'rescheduled']);

/** A status in words: call outcome, visit result, task open/done, ladder outcome, delivery, dispute, letter. */
function statusText(t: Translate, entry: TimelineEntry): string | null {
  const status = entry.status;
  if (status === null) return null;
  if (entry.source === 'dunning_action' && isOneOf(DUNNING_ACTION_OUTCOMES, status))
    return t(`dunning.outcome.${status}`);
  if (entry.source === 'message' && isOneOf(MESSAGE_STATUSES, status)) return t(`messaging.status.${status}`);
  if (entry.source === 'dispute' && isOneOf(DISPUTE_STATUSES, status)) return t(`disputes.status.${status}`);
  if (entry.source === 'letter' && status === 'emailed') return t('letters.emailed');
  if (entry.source !== 'activity') return status;
  if (entry.kind === 'call' && CALL_OUTCOMES.has(status))
    return t(`collections.call.outcome.${status as 'promised'}`);
  if (entry.kind === 'visit' && VISIT_RESULTS.has(status))
    return t(`collections.visit.result.${status as 'collected'}`);
  if (status === 'done' || status === 'open') return t(`collections.timeline.status.${status}`);
  return status;
}

/** 催收记录: the customer's collection history, newest first (also the tab on the customer page). */
export function CollectionTimeline({
  customerId,
  withCaseLink = false,
}: {
  customerId: string;
  withCaseLink?: boolean;
}) {
  const t = useT();
  const timeline = useTimeline(customerId);
  if (timeline.isError) return <ErrorAlert error={timeline.error} onRetry={() => void timeline.refetch()} />;
  const items = timeline.data?.items ?? [];
  return (
    <Card
      size="small"
      title={t('collections.timeline.title')}
      loading={timeline.isPending}
      extra={
        withCaseLink ? (
          <Link to={`/collections/${customerId}`}>
            <Button size="small">{t('collections.timeline.openCase')}</Button>
          </Link>
        ) : null
      }
    >
      {items.length === 0 ? (
        <Empty description={t('collections.timeline.empty')} />
      ) : (
        <Timeline
          data-testid="collection-timeline"
          items={items.map((entry) => ({
            key: entry.key,
            color: SOURCE_COLORS[entry.source],
            children: (
              <div data-testid={`timeline-${entry.source}`}>
                <Tag color={SOURCE_COLORS[entry.source]}>
                  {t(`collections.timeline.source.${entry.source}`)}
                </Tag>
                <Typography.Text strong>{kindText(t, entry)}</Typography.Text>{' '}
                <Typography.Text>{entry.title}</Typography.Text>
                {entry.amount && entry.currency ? (
                  <>
                    {' · '}
                    <MoneyText amount={entry.amount} currency={entry.currency} />
                  </>
                ) : null}
                {entry.status && entry.source !== 'promise' ? (
                  <Tag style={{ marginLeft: 8 }}>{statusText(t, entry)}</Tag>
                ) : null}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    <DateText value={entry.at} />
                    {entry.actorName ? ` · ${entry.actorName}` : ''}
                    {entry.detail
                      ? ` · ${entry.source === 'message' ? deliveryErrorText(t, entry.detail) : entry.detail}`
                      : ''}
                  </Typography.Text>
                </div>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

/** The 催收记录 tab of the customer page. */
export function CollectionsTab({ customerId }: { customerId: string }) {
  return <CollectionTimeline customerId={customerId} withCaseLink />;
}
