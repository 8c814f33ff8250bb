import { Card, Flex } from 'antd';
import { useMemo, useState } from 'react';
import { useT } from '../../app/locale';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LoadMore } from '../../ui/LoadMore';
import { Page } from '../../ui/Page';
import { NO_AUDIT_FILTERS, useAuditPages, type AuditFilters } from './api';
import { AuditFiltersBar } from './AuditFiltersBar';
import { AuditTable } from './AuditTable';
import { ExportButton } from '../../ui/ExportButton';

export function AuditLogPage() {
  const t = useT();
  const [filters, setFilters] = useState<AuditFilters>(NO_AUDIT_FILTERS);
  const pages = useAuditPages(filters);
  const entries = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  return (
    <Page
      title={t('audit.title')}
      extra={<ExportButton path="/api/audit" filters={filters} testId="audit-export" />}
    >
      <Card>
        <Flex vertical gap={16}>
          <AuditFiltersBar onChange={setFilters} />
          {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
          <div data-testid="audit-table">
            <AuditTable
              entries={entries}
              isLoading={pages.isPending || (pages.isFetching && !pages.isFetchingNextPage)}
              showEntity
              emptyText={t('audit.empty')}
            />
          </div>
          <LoadMore
            hasNextPage={pages.hasNextPage}
            isFetchingNextPage={pages.isFetchingNextPage}
            onLoadMore={() => void pages.fetchNextPage()}
            testId="audit-load-more"
          />
        </Flex>
      </Card>
    </Page>
  );
}
