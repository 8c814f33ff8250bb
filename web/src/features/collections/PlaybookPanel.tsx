import { scriptsFor, type DelinquencyType, type LocalizedText, type Playbook } from '@huikuan/core';
import { Alert, Card, Collapse, List, Tag, Typography } from 'antd';
import { useLocale, useT } from '../../app/locale';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { usePlaybook } from './api';

/** The playbook beside the case: the type's counter-strategy, the checklists of 001 and the scripts (话术). */
export function PlaybookPanel({ type }: { type: DelinquencyType | null }) {
  const t = useT();
  const { locale } = useLocale();
  const playbook = usePlaybook();
  const text = (value: LocalizedText) => (locale === 'en' && value.en !== '' ? value.en : value.zh);
  if (playbook.isError) return <ErrorAlert error={playbook.error} onRetry={() => void playbook.refetch()} />;
  const book: Playbook | undefined = playbook.data?.playbook;
  if (!book) return <Card loading title={t('collections.playbook.title')} />;
  const entry = type === null ? null : book.types[type];
  return (
    <Card title={t('collections.playbook.title')} size="small" data-testid="playbook-panel">
      {entry === null ? (
        <Alert
          type="info"
          showIcon
          title={t('collections.playbook.chooseType')}
          style={{ marginBottom: 12 }}
        />
      ) : (
        <div style={{ marginBottom: 12 }} data-testid="playbook-strategy">
          <Typography.Text strong>
            {text(entry.name)} · {t('collections.playbook.strategy')}{' '}
          </Typography.Text>
          <Tag color={entry.approach === 'hard' ? 'red' : 'green'}>
            {t(`collections.approach.${entry.approach}`)}
          </Tag>
          <List
            size="small"
            dataSource={entry.strategy}
            renderItem={(line) => <List.Item>{text(line)}</List.Item>}
          />
        </div>
      )}
      <Collapse
        size="small"
        items={[
          ...book.checklists.map((list) => ({
            key: `checklist:${list.key}`,
            label: `${text(list.title)}（${list.items.length}）`,
            children: (
              <ol style={{ margin: 0, paddingInlineStart: 20 }}>
                {list.items.map((item, index) => (
                  <li key={index}>{text(item)}</li>
                ))}
              </ol>
            ),
          })),
          {
            key: 'scripts',
            label: t('collections.playbook.scripts'),
            children: scriptsFor(book, type).map((script) => (
              <div key={script.key} style={{ marginBottom: 8 }}>
                <Typography.Text strong>{text(script.situation)}</Typography.Text>
                {script.lines.map((line, index) => (
                  <Typography.Paragraph key={index} style={{ margin: '2px 0 0 12px' }}>
                    “{text(line)}”
                  </Typography.Paragraph>
                ))}
              </div>
            )),
          },
        ]}
      />
    </Card>
  );
}
