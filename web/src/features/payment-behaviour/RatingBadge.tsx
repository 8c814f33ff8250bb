import type { CreditRating } from '@huikuan/core';
import { Tag } from 'antd';
import { useT } from '../../app/locale';

const COLORS: Record<CreditRating, string> = { A: 'green', B: 'blue', C: 'orange', D: 'red' };

/** A credit rating as a coloured tag; null reads "unrated", never a grade. */
export function RatingBadge({
  rating,
  isLarge = false,
  testId,
}: {
  rating: CreditRating | null;
  isLarge?: boolean;
  testId?: string;
}) {
  const t = useT();
  const style = isLarge
    ? { fontSize: 22, lineHeight: '40px', padding: '0 16px', fontWeight: 600, marginInlineEnd: 0 }
    : { fontWeight: 600 };
  if (rating === null) {
    return (
      <Tag data-testid={testId} style={{ ...style, fontWeight: 'normal' }}>
        {t('behaviour.rating.unrated')}
      </Tag>
    );
  }
  return (
    <Tag color={COLORS[rating]} data-testid={testId} style={style}>
      {rating}
    </Tag>
  );
}
