import { App } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/locale';

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
 * Downloads a file from the API: a GET with the session cookie (so no CSRF token), fetched rather than linked so
 * titles follow the interface language (Accept-Language) and a refusal (too many rows) shows as a message.
 */
export function useFileDownload(failedText: string) {
  const { locale, t } = useLocale();
  const { message } = App.useApp();
  const [isBusy, setBusy] = useState(false);
  const download = async (url: string, fallbackName: string) => {
    setBusy(true);
    try {
      const response = await fetch(url, {
        credentials: 'same-origin',
        headers: { 'Accept-Language': locale },
      });
      if (!response.ok) {
        void message.error(await errorMessageOf(response, failedText));
        return;
      }
      saveBlob(await response.blob(), fileNameOf(response.headers.get('content-disposition'), fallbackName));
    } catch {
      void message.error(t('errors.network'));
    } finally {
      setBusy(false);
    }
  };
  return { isBusy, download };
}
