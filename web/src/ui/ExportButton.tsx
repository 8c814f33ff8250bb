import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { useState } from 'react';
import { withQuery, type QueryParams } from '../app/api';
import { useLocale } from '../app/locale';

type ExportFormat = 'xlsx' | 'csv';

type ExportButtonProps = {
  /** The list's API path, e.g. '/api/invoices'; the export is `${path}/export`. */
  path: string;
  /** The page's current filters, the same names the list endpoint takes. */
  filters?: QueryParams;
  testId?: string;
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

async function errorMessageOf(response: Response, fallback: string): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? fallback;
  } catch {
    return fallback;
  }
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
 * Downloads the whole filtered list as Excel or CSV. A GET with the session cookie, so no CSRF token; fetched
 * rather than linked so the column titles follow the interface language and a refusal (too many rows) shows.
 */
export function ExportButton({ path, filters = {}, testId = 'export-button' }: ExportButtonProps) {
  const { locale, t } = useLocale();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  const download = async (format: ExportFormat) => {
    setBusy(true);
    try {
      const response = await fetch(withQuery(`${path}/export`, { ...filters, format }), {
        credentials: 'same-origin',
        headers: { 'Accept-Language': locale },
      });
      if (!response.ok) {
        void message.error(await errorMessageOf(response, t('export.failed')));
        return;
      }
      const fallback = `${path.split('/').pop() ?? 'export'}.${format}`;
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
          { key: 'xlsx', label: t('export.xlsx') },
          { key: 'csv', label: t('export.csv') },
        ],
        onClick: ({ key }) => void download(key === 'csv' ? 'csv' : 'xlsx'),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy} data-testid={testId}>
        {t('export.button')}
      </Button>
    </Dropdown>
  );
}
