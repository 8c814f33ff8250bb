import { useCallback } from 'react';
import { isApiError } from '../app/api';
import { useT } from '../app/locale';

/**
 * The text to show for a failure. Server errors already arrive in the user's language (the client sends
 * Accept-Language), so their message is shown as-is; anything else gets a generic line.
 */
export function useErrorText(): (error: unknown) => string {
  const t = useT();
  return useCallback((error: unknown) => (isApiError(error) ? error.message : t('errors.unexpected')), [t]);
}
