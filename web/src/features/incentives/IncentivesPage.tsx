import { Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { useT } from '../../app/locale';
import { Page } from '../../ui/Page';
import { EvaluationTab } from './EvaluationTab';
import { RulesTab } from './RulesTab';
import { StatementsTab } from './StatementsTab';
import { TargetsTab } from './TargetsTab';

const TABS = ['targets', 'rules', 'statements', 'evaluation'] as const;
type TabKey = (typeof TABS)[number];

/** 目标与激励: collection targets and progress, commission rules, monthly statements, and the manager's evaluation. */
export function IncentivesPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const active: TabKey = TABS.find((tab) => tab === requested) ?? 'targets';
  return (
    <Page title={t('incentives.title')}>
      <Tabs
        activeKey={active}
        onChange={(key) => setParams({ tab: key })}
        destroyOnHidden
        items={[
          { key: 'targets', label: t('incentives.tab.targets'), children: <TargetsTab /> },
          { key: 'rules', label: t('incentives.tab.rules'), children: <RulesTab /> },
          { key: 'statements', label: t('incentives.tab.statements'), children: <StatementsTab /> },
          { key: 'evaluation', label: t('incentives.tab.evaluation'), children: <EvaluationTab /> },
        ]}
      />
    </Page>
  );
}
