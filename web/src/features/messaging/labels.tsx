import type { MessageChannel } from '@huikuan/core';
import type { MessageStatus } from '@huikuan/core/contracts';
import { Tag } from 'antd';
import type { Translate } from '../../app/i18n';
import { useT } from '../../app/locale';

export { deliveryErrorText } from './delivery-error';

const STATUS_COLORS: Record<MessageStatus, string> = {
  queued: 'blue',
  sending: 'processing',
  sent: 'green',
  failed: 'orange',
  dead: 'red',
  unknown: 'magenta',
  dismissed: 'default',
};

export function MessageStatusTag({ status }: { status: MessageStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid={`message-status-${status}`}>
      {t(`messaging.status.${status}`)}
    </Tag>
  );
}

export function channelLabel(t: Translate, channel: MessageChannel): string {
  return t(`messaging.channel.${channel}`);
}
