import { Alert, Button } from 'antd';
import { isApiError } from '../app/api';
import { useT } from '../app/locale';
import { useErrorText } from './errors';

type ErrorAlertProps = { error: unknown; onRetry?: () => void; testId?: string };

export function ErrorAlert({ error, onRetry, testId = 'error-alert' }: ErrorAlertProps) {
  const t = useT();
  const errorText = useErrorText();
  const requestId = isApiError(error) ? error.requestId : undefined;
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      title={errorText(error)}
      description={requestId === undefined ? undefined : `${t('audit.requestId')}: ${requestId}`}
      action={
        onRetry === undefined ? undefined : (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )
      }
    />
  );
}
