import { Alert, App, Button, Card, Checkbox, DatePicker, Flex, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { useSession } from '../../app/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { FullPageSpin } from '../../ui/FullPageSpin';
import { Page } from '../../ui/Page';
import { useLetterhead, useLetterTemplates, useSendMonthlyStatements } from './api';
import { LetterheadCard, SealCard } from './LetterheadCard';
import { TemplateEditor } from './TemplateEditor';

/** 月度对账单 by hand: a month, a dry run first if wanted; the archive keeps it to one per customer and month. */
function MonthlyStatementsCard() {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const send = useSendMonthlyStatements();
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [isDryRun, setDryRun] = useState(true);
  const run = () => {
    if (!month) return;
    send.mutate(
      { month: month.format('YYYY-MM'), isDryRun },
      {
        onSuccess: (result) =>
          void message.success(
            t(result.isDryRun ? 'letters.monthlyDryResult' : 'letters.monthlyResult', {
              sent: result.sent.length,
              skipped: result.skipped.length,
            }),
          ),
        onError: (error) => void message.error(errorText(error)),
      },
    );
  };
  return (
    <Card title={t('letters.monthly')}>
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('letters.monthlyHelp')}</Typography.Text>
        <Space wrap>
          <DatePicker picker="month" value={month} onChange={setMonth} placeholder={t('letters.month')} />
          <Checkbox checked={isDryRun} onChange={(event) => setDryRun(event.target.checked)}>
            {t('letters.dryRun')}
          </Checkbox>
          <Button
            type="primary"
            disabled={!month}
            loading={send.isPending}
            onClick={run}
            data-testid="statements-send"
          >
            {t('letters.sendMonthly')}
          </Button>
        </Space>
      </Flex>
    </Card>
  );
}

/** 函件与对账单设置: letterhead, seal, wording per kind and language, monthly statements. */
export function LetterSettingsPage() {
  const t = useT();
  const session = useSession();
  const canEdit = session.user.role === 'admin' || session.user.role === 'finance';
  const letterhead = useLetterhead();
  const templates = useLetterTemplates();
  if (letterhead.isLoading || templates.isLoading) return <FullPageSpin />;
  if (letterhead.isError)
    return <ErrorAlert error={letterhead.error} onRetry={() => void letterhead.refetch()} />;
  if (templates.isError)
    return <ErrorAlert error={templates.error} onRetry={() => void templates.refetch()} />;
  if (!letterhead.data || !templates.data) return null;
  return (
    <Page title={t('letters.settings.title')}>
      <Typography.Paragraph type="secondary">{t('letters.settings.intro')}</Typography.Paragraph>
      {canEdit ? null : <Alert type="info" showIcon title={t('letters.readOnly')} />}
      <Flex gap={16} wrap align="start">
        <div style={{ flex: '2 1 480px' }}>
          <LetterheadCard
            key={letterhead.data.updatedAt ?? 'new'}
            letterhead={letterhead.data}
            canEdit={canEdit}
          />
        </div>
        <div style={{ flex: '1 1 260px' }}>
          <SealCard letterhead={letterhead.data} canEdit={canEdit} />
        </div>
      </Flex>
      <TemplateEditor templates={templates.data.items} canEdit={canEdit} />
      {canEdit ? <MonthlyStatementsCard /> : null}
    </Page>
  );
}
