import { DownloadOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { withQuery, type QueryParams } from '../app/api';
import { useLocale } from '../app/locale';
import { useFileDownload } from './file-download';

type ExportFormat = 'xlsx' | 'csv';

type ExportButtonProps = {
  /** The list's API path, e.g. '/api/invoices'; the export is `${path}/export`. */
  path: string;
  /** The page's current filters, the same names the list endpoint takes. */
  filters?: QueryParams;
  testId?: string;
};

/**
 * Downloads the whole filtered list as Excel or CSV. A GET with the session cookie, so no CSRF token; fetched
 * rather than linked so the column titles follow the interface language and a refusal (too many rows) shows.
 */
export function ExportButton({ path, filters = {}, testId = 'export-button' }: ExportButtonProps) {
  const { t } = useLocale();
  const { isBusy, download: fetchFile } = useFileDownload(t('export.failed'));
  const download = (format: ExportFormat) =>
    fetchFile(
      withQuery(`${path}/export`, { ...filters, format }),
      `${path.split('/').pop() ?? 'export'}.${format}`,
    );

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'xlsx', label: t('export.xlsx') },
          { key: 'csv', label: t('export.csv') },
        ],
        onClick: ({ key }) => void download(key === 'csv' ? 'csv' : 'xlsx'),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={isBusy} data-testid={testId}>
        {t('export.button')}
      </Button>
    </Dropdown>
  );
}
