import { Button, Flex, Typography } from 'antd';
import { useT } from '../app/locale';

type LoadMoreProps = {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  onLoadMore: () => void;
  testId?: string;
};

/** Keyset pagination control: the server hands out cursors, so there are no page numbers to jump to. */
export function LoadMore({
  hasNextPage,
  isFetchingNextPage,
  onLoadMore,
  testId = 'load-more',
}: LoadMoreProps) {
  const t = useT();
  return (
    <Flex justify="center">
      {hasNextPage ? (
        <Button onClick={onLoadMore} loading={isFetchingNextPage} data-testid={testId}>
          {t('common.loadMore')}
        </Button>
      ) : (
        <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
      )}
    </Flex>
  );
}
