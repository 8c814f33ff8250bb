import { Card, Result } from 'antd';
import { ToolOutlined } from '@ant-design/icons';
import type { MessageKey } from '../../app/i18n';
import { useT } from '../../app/locale';

/** Placeholder for business modules that later work fills in; says so plainly instead of faking content. */
export function ComingSoonPage({ labelKey }: { labelKey: MessageKey }) {
  const t = useT();
  const module = t(labelKey);
  return (
    <Card data-testid="coming-soon">
      <Result
        icon={<ToolOutlined />}
        title={t('comingSoon.title', { module })}
        subTitle={t('comingSoon.body')}
      />
    </Card>
  );
}
