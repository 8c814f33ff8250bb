import { Button, Flex, Select } from 'antd';
import type { ReactNode } from 'react';
import { useLocale } from '../../app/locale';
import { useCan } from '../../app/session';
import { useTeams } from '../teams/api';
import { useUserOptions } from '../users/api';
import type { ReportFilters } from './report-filters';

type ReportFiltersBarProps = {
  filters: ReportFilters;
  onChange: (filters: ReportFilters) => void;
  /** The page's date controls, shown first. */
  children?: ReactNode;
  /** Actions at the end of the bar (export). */
  extra?: ReactNode;
};

/**
 * Team and salesperson filters shared by the dashboard and the aging page. They narrow what the user may already
 * see; a salesperson (who cannot list users and sees only their own customers anyway) gets no salesperson picker.
 */
export function ReportFiltersBar({ filters, onChange, children, extra }: ReportFiltersBarProps) {
  const { t } = useLocale();
  const canListUsers = useCan()('users.read');
  const teams = useTeams();
  const users = useUserOptions({ enabled: canListUsers });
  const hasFilter = filters.teamId !== null || filters.salespersonId !== null;
  return (
    <Flex gap={8} wrap align="center" data-testid="report-filters">
      {children}
      <Select<string>
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('reports.filters.team')}
        style={{ width: 180 }}
        value={filters.teamId}
        loading={teams.isPending}
        options={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
        onChange={(teamId) => onChange({ ...filters, teamId: teamId ?? null })}
        data-testid="filter-team"
      />
      {canListUsers ? (
        <Select<string>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('reports.filters.salesperson')}
          style={{ width: 200 }}
          value={filters.salespersonId}
          loading={users.isPending}
          options={(users.data ?? []).map((user) => ({ value: user.id, label: user.name }))}
          onChange={(salespersonId) => onChange({ ...filters, salespersonId: salespersonId ?? null })}
          data-testid="filter-salesperson"
        />
      ) : null}
      {hasFilter ? (
        <Button type="link" onClick={() => onChange({ teamId: null, salespersonId: null })}>
          {t('reports.filters.reset')}
        </Button>
      ) : null}
      {extra}
    </Flex>
  );
}
