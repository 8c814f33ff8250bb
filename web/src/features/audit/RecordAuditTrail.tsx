import { Card, Flex } from 'antd';
import { useMemo } from 'react';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LoadMore } from '../../ui/LoadMore';
import { NO_AUDIT_FILTERS, useAuditPages } from './api';
import { AuditTable } from './AuditTable';

const TRAIL_PAGE_SIZE = 20;

type RecordAuditTrailProps = { entityType: string; entityId: string; title?: string };

/**
 * The change history of one record, for embedding in its detail page. Renders nothing for users who may
 * not read the audit log, so detail pages can include it unconditionally.
 */
export function RecordAuditTrail({ entityType, entityId, title }: RecordAuditTrailProps) {
  const canRead = useCan()('audit.read');
  if (!canRead) return null;
  return <Trail entityType={entityType} entityId={entityId} title={title} />;
}

function Trail({ entityType, entityId, title }: RecordAuditTrailProps) {
  const t = useT();
  const filters = useMemo(() => ({ ...NO_AUDIT_FILTERS, entityType, entityId }), [entityType, entityId]);
  const pages = useAuditPages(filters, TRAIL_PAGE_SIZE);
  const entries = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  return (
    <Card title={title ?? t('audit.trailTitle')} data-testid="record-audit-trail">
      <Flex vertical gap={12}>
        {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
        <AuditTable
          entries={entries}
          isLoading={pages.isPending}
          showEntity={false}
          emptyText={t('audit.empty')}
        />
        {pages.hasNextPage ? (
          <LoadMore
            hasNextPage
            isFetchingNextPage={pages.isFetchingNextPage}
            onLoadMore={() => void pages.fetchNextPage()}
            testId="record-audit-load-more"
          />
        ) : null}
      </Flex>
    </Card>
  );
}
