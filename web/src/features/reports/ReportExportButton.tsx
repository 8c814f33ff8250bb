import { DownloadOutlined } from '@ant-design/icons';
import type { ReportFormat } from '@huikuan/core/contracts';
import { Button, Dropdown } from 'antd';
import { withQuery, type QueryParams } from '../../app/api';
import { useLocale } from '../../app/locale';
import { useFileDownload } from '../../ui/file-download';

type ReportExportButtonProps = {
  /** The report's download path, e.g. '/api/reports/aging/export'. */
  path: string;
  /** The report's current query (date, grouping, filters), the same names its own endpoint takes. */
  params: QueryParams;
  testId: string;
  size?: 'small' | 'middle';
};

/**
 * Downloads a report as Excel, PDF or CSV: fetched with the session cookie (a GET, so no CSRF token) and the
 * interface language, so titles and column names come out in it and a refusal (a PDF too long) shows as a message.
 */
export function ReportExportButton({ path, params, testId, size = 'middle' }: ReportExportButtonProps) {
  const { t } = useLocale();
  const { isBusy, download: fetchFile } = useFileDownload(t('reports.export.failed'));
  const download = (format: ReportFormat) =>
    fetchFile(withQuery(path, { ...params, format }), `report.${format}`);

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'xlsx', label: t('reports.export.xlsx'), 'data-testid': `${testId}-xlsx` },
          { key: 'pdf', label: t('reports.export.pdf'), 'data-testid': `${testId}-pdf` },
          { key: 'csv', label: t('reports.export.csv'), 'data-testid': `${testId}-csv` },
        ],
        onClick: ({ key }) => void download(key === 'pdf' ? 'pdf' : key === 'csv' ? 'csv' : 'xlsx'),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={isBusy} size={size} data-testid={testId}>
        {t('reports.export')}
      </Button>
    </Dropdown>
  );
}
