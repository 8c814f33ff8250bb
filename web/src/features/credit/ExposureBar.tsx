import type { CustomerCredit } from '@huikuan/core/contracts';
import { Flex, Tooltip, Typography } from 'antd';
import { useLocale, useT } from '../../app/locale';
import { moneyText } from './labels';

const SEGMENTS = [
  { key: 'openReceivables', color: '#1677ff', holdColor: '#cf1322' },
  { key: 'unbilledPlanNodes', color: '#69b1ff', holdColor: '#ff7875' },
  { key: 'uninvoicedContracts', color: '#bae0ff', holdColor: '#ffccc7' },
] as const;

/**
 * Exposure against the limit: the three components side by side, a line at the warning share and one at the limit.
 * Widths are layout only, so plain numbers are fine here; every amount shown is the server's exact text.
 */
export function ExposureBar({ credit }: { credit: CustomerCredit }) {
  const t = useT();
  const { locale } = useLocale();
  const limit = credit.limit === null ? null : Number(credit.limit);
  const total = Number(credit.exposure.total);
  // The bar spans the larger of the limit and the exposure, so an overrun shows past the limit line.
  const scale = Math.max(limit ?? 0, total, 1e-9);
  const percent = (value: number) => `${Math.min(100, (value / scale) * 100)}%`;
  const warningAt = credit.warningThreshold === null ? null : Number(credit.warningThreshold);
  return (
    <Flex vertical gap={4} data-testid="credit-exposure-bar">
      <div
        style={{
          position: 'relative',
          height: 18,
          background: '#f0f0f0',
          borderRadius: 4,
          overflow: 'hidden',
          display: 'flex',
        }}
      >
        {SEGMENTS.map((segment) => {
          const amount = credit.exposure[segment.key];
          return (
            <Tooltip
              key={segment.key}
              title={`${t(`credit.exposure.${segment.key}`)}: ${moneyText(amount, credit.currency, locale)}`}
            >
              <div
                style={{
                  width: percent(Number(amount)),
                  background: credit.isOnHold ? segment.holdColor : segment.color,
                }}
              />
            </Tooltip>
          );
        })}
        {warningAt === null ? null : (
          <div
            data-testid="credit-warning-line"
            style={{
              position: 'absolute',
              left: percent(warningAt),
              top: 0,
              bottom: 0,
              width: 2,
              background: '#faad14',
            }}
          />
        )}
        {limit === null ? null : (
          <div
            style={{
              position: 'absolute',
              left: `calc(${percent(limit)} - 2px)`,
              top: 0,
              bottom: 0,
              width: 2,
              background: '#262626',
            }}
          />
        )}
      </div>
      <Flex justify="space-between" wrap gap={8}>
        <Typography.Text type="secondary">
          {credit.warningThreshold === null
            ? t('credit.noLimitHelp')
            : t('credit.warningLine', {
                amount: moneyText(credit.warningThreshold, credit.currency, locale),
              })}
        </Typography.Text>
        {credit.limit === null ? null : (
          <Typography.Text type="secondary">
            {t('credit.limit')} {moneyText(credit.limit, credit.currency, locale)}
          </Typography.Text>
        )}
      </Flex>
    </Flex>
  );
}
