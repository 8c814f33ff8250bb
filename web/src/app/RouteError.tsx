import { Button, Result } from 'antd';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { useT } from './locale';

/**
 * Last line of defence for render errors. A failed dynamic import usually means a new release replaced the
 * old chunks, so the offered action is a full reload.
 */
export function RouteError() {
  const t = useT();
  const error = useRouteError();
  console.error(error);
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : undefined;
  return (
    <Result
      status="error"
      title={t('errors.unexpected')}
      subTitle={detail}
      extra={<Button onClick={() => window.location.reload()}>{t('common.retry')}</Button>}
    />
  );
}
