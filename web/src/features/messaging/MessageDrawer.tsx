import { Alert, Descriptions, Drawer, List, Spin, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useMessage } from './api';
import { channelLabel, deliveryErrorText, MessageStatusTag } from './labels';

const OUTCOME_COLORS = { sent: 'green', failed: 'orange', unknown: 'magenta' } as const;

/** One message as it was sent: recipients, body, attachments and every delivery attempt with the channel's answer. */
export function MessageDrawer({ messageId, onClose }: { messageId: string | null; onClose: () => void }) {
  const t = useT();
  const detail = useMessage(messageId);
  const data = detail.data;
  return (
    <Drawer
      open={messageId !== null}
      onClose={onClose}
      width={640}
      title={t('messaging.detail.title')}
      data-testid="message-drawer"
    >
      {detail.isPending && messageId !== null ? <Spin /> : null}
      {detail.isError ? <ErrorAlert error={detail.error} /> : null}
      {data ? (
        <>
          {data.status === 'unknown' ? (
            <Alert
              type="warning"
              showIcon
              title={t('messaging.log.unknownHelp')}
              style={{ marginBottom: 16 }}
            />
          ) : null}
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('common.status')}>
              <MessageStatusTag status={data.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('messaging.log.channel')}>
              {channelLabel(t, data.channel)}
            </Descriptions.Item>
            <Descriptions.Item label={t('messaging.log.source')}>
              {t(`messaging.source.${data.sourceKind}`)}
            </Descriptions.Item>
            {data.customerId ? (
              <Descriptions.Item label={t('messaging.log.customer')}>
                <Link to={`/customers/${data.customerId}`}>{data.customerName}</Link>
              </Descriptions.Item>
            ) : null}
            {data.invoiceId ? (
              <Descriptions.Item label={t('messaging.detail.invoice')}>
                <Link to={`/invoices/${data.invoiceId}`}>{data.invoiceNumber}</Link>
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('messaging.log.recipient')}>
              {data.recipientName ? `${data.recipientName} ` : ''}
              {data.recipient ?? '—'}
            </Descriptions.Item>
            {data.cc.length > 0 ? (
              <Descriptions.Item label={t('messaging.detail.cc')}>{data.cc.join(', ')}</Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('messaging.log.subject')}>{data.subject}</Descriptions.Item>
            <Descriptions.Item label={t('messaging.detail.body')}>
              <Typography.Paragraph
                style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}
                data-testid="message-body"
              >
                {data.bodyText}
              </Typography.Paragraph>
            </Descriptions.Item>
            {data.attachments.length > 0 ? (
              <Descriptions.Item label={t('messaging.detail.attachments')}>
                {data.attachments.map((attachment) => (
                  <div
                    key={attachment.id}
                  >{`${attachment.filename} (${Math.ceil(attachment.sizeBytes / 1024)} KB)`}</div>
                ))}
              </Descriptions.Item>
            ) : null}
            {data.providerMessageId ? (
              <Descriptions.Item label={t('messaging.detail.providerId')}>
                {data.providerMessageId}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('messaging.detail.attemptLog')}
          </Typography.Title>
          <List
            size="small"
            dataSource={data.attemptLog}
            data-testid="message-attempts"
            renderItem={(attempt) => (
              <List.Item>
                <Typography.Text>
                  <DateText value={attempt.startedAt} />{' '}
                  <Tag color={OUTCOME_COLORS[attempt.outcome]}>
                    {t(`messaging.detail.outcome.${attempt.outcome}`)}
                  </Tag>
                  {attempt.error ? deliveryErrorText(t, attempt.error) : (attempt.providerMessageId ?? '')}
                </Typography.Text>
              </List.Item>
            )}
          />
        </>
      ) : null}
    </Drawer>
  );
}
