import { DownloadOutlined } from '@ant-design/icons';
import type { ReportFormat } from '@huikuan/core/contracts';
import { App, Button, Dropdown } from 'antd';
import { useState } from 'react';
import { withQuery, type QueryParams } from '../../app/api';
import { useLocale } from '../../app/locale';

type ReportExportButtonProps = {
  /** The report's download path, e.g. '/api/reports/aging/export'. */
  path: string;
  /** The report's current query (date, grouping, filters), the same names its own endpoint takes. */
  params: QueryParams;
  testId: string;
  size?: 'small' | 'middle';
};

/** The file name from Content-Disposition, preferring the exact RFC 5987 form (Chinese names). */
function fileNameOf(disposition: string | null, fallback: string): string {
  const exact = disposition ? /filename\*=UTF-8''([^;]+)/i.exec(disposition) : null;
  if (exact?.[1]) {
    try {
      return decodeURIComponent(exact[1]);
    } catch {
      // fall through to the plain name
    }
  }
  const plain = disposition ? /filename="([^"]+)"/i.exec(disposition) : null;
  return plain?.[1] ?? fallback;
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Downloads a report as Excel, PDF or CSV: fetched with the session cookie (a GET, so no CSRF token) and the
 * interface language, so titles and column names come out in it and a refusal (a PDF too long) shows as a message.
 */
export function ReportExportButton({ path, params, testId, size = 'middle' }: ReportExportButtonProps) {
  const { locale, t } = useLocale();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  const download = async (format: ReportFormat) => {
    setBusy(true);
    try {
      const response = await fetch(withQuery(path, { ...params, format }), {
        credentials: 'same-origin',
        headers: { 'Accept-Language': locale },
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        void message.error(body?.error?.message ?? t('reports.export.failed'));
        return;
      }
      const fallback = `report.${format}`;
      saveBlob(await response.blob(), fileNameOf(response.headers.get('content-disposition'), fallback));
    } catch {
      void message.error(t('errors.network'));
    } finally {
      setBusy(false);
    }
  };

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
      <Button icon={<DownloadOutlined />} loading={busy} size={size} data-testid={testId}>
        {t('reports.export')}
      </Button>
    </Dropdown>
  );
}
