import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { canOverrideCreditRating } from '@huikuan/core';
import type { CreditRatingView } from '@huikuan/core/contracts';
import { App, Button, Card, Descriptions, Flex, List, Popconfirm, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { useSession } from '../../app/session';
import { DateText } from '../../ui/DateText';
import { useErrorText } from '../../ui/errors';
import { useClearCreditRating } from './api';
import { OverrideRatingModal } from './OverrideRatingModal';
import { RatingBadge } from './RatingBadge';
import { reasonText } from './reason-text';

/** The effective rating, the computed one beside any override, why, and (for finance) the override controls. */
export function RatingCard({ rating }: { rating: CreditRatingView }) {
  const t = useT();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { user } = useSession();
  const [isOverriding, setOverriding] = useState(false);
  const clear = useClearCreditRating(rating.customerId);
  const mayOverride = canOverrideCreditRating(user.role);
  const override = rating.override;

  const actions = mayOverride ? (
    <Flex gap={8}>
      <Button onClick={() => setOverriding(true)} data-testid="rating-override">
        {t('behaviour.rating.overrideAction')}
      </Button>
      {override === null ? null : (
        <Popconfirm
          title={t('behaviour.rating.clearConfirm')}
          onConfirm={() =>
            clear.mutate(undefined, {
              onSuccess: () => void message.success(t('behaviour.rating.cleared')),
              onError: (error) => void message.error(errorText(error)),
            })
          }
        >
          <Button loading={clear.isPending} data-testid="rating-clear">
            {t('behaviour.rating.clearAction')}
          </Button>
        </Popconfirm>
      )}
    </Flex>
  ) : (
    <Typography.Text type="secondary">{t('behaviour.rating.whoMay')}</Typography.Text>
  );

  return (
    <Card size="small" title={t('behaviour.rating.title')} extra={actions}>
      <Flex gap={24} align="flex-start" wrap>
        <Flex vertical align="center" gap={4}>
          <RatingBadge rating={rating.effective} isLarge testId="rating-effective" />
          <Typography.Text type="secondary">{t('behaviour.rating.effective')}</Typography.Text>
        </Flex>
        <Descriptions size="small" column={1} style={{ flex: 1, minWidth: 280 }}>
          <Descriptions.Item label={t('behaviour.rating.computed')}>
            <RatingBadge rating={rating.computed} testId="rating-computed" />
          </Descriptions.Item>
          {override === null ? null : (
            <Descriptions.Item label={t('behaviour.rating.override')}>
              <Flex vertical gap={2} data-testid="rating-override-info">
                <span>
                  <RatingBadge rating={override.rating} /> {override.reason}
                </span>
                <Typography.Text type="secondary">
                  {t('behaviour.rating.overriddenBy', {
                    name: override.setByName ?? t('behaviour.rating.someone'),
                  })}{' '}
                  <DateText value={override.setAt} />
                </Typography.Text>
              </Flex>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Flex>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('behaviour.rating.reasonsTitle')}
      </Typography.Title>
      <List
        size="small"
        dataSource={rating.reasons}
        data-testid="rating-reasons"
        renderItem={(reason) => (
          <List.Item>
            <Flex gap={8} align="center">
              {reason.isMet ? (
                <CheckCircleTwoTone twoToneColor="#52c41a" />
              ) : (
                <CloseCircleTwoTone twoToneColor="#ff4d4f" />
              )}
              <span>{reasonText(t, reason)}</span>
            </Flex>
          </List.Item>
        )}
      />
      {isOverriding ? (
        <OverrideRatingModal
          customerId={rating.customerId}
          initial={override?.rating ?? rating.computed}
          onClose={() => setOverriding(false)}
        />
      ) : null}
    </Card>
  );
}
