import type { Locale } from '@huikuan/core';
import { sessionResponseSchema } from '@huikuan/core/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Segmented } from 'antd';
import { useErrorText } from '../ui/errors';
import { apiRequest } from './api';
import { useLocale } from './locale';
import { storeSession, useOptionalSession } from './session';

const OPTIONS: { value: Locale; label: string }[] = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];

function useSaveProfileLocale() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (locale: Locale) =>
      apiRequest('PATCH', '/api/auth/profile', sessionResponseSchema, { locale }),
    onSuccess: (session) => storeSession(client, session),
  });
}

/** Switches the language at once; when signed in, also saves it to the account for other devices. */
export function LocaleSwitch() {
  const { locale, setLocale, t } = useLocale();
  const session = useOptionalSession();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const saveProfile = useSaveProfileLocale();

  const change = (next: Locale) => {
    setLocale(next);
    if (session === null) return;
    saveProfile.mutate(next, {
      onError: (error) => void message.warning(t('header.localeSaveFailed', { message: errorText(error) })),
    });
  };

  return (
    <Segmented<Locale>
      data-testid="locale-switch"
      aria-label={t('locale.label')}
      size="small"
      value={locale}
      options={OPTIONS}
      onChange={change}
    />
  );
}
