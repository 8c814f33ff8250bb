import type { PlanNode } from '@huikuan/core/contracts';
import { Tag } from 'antd';
import { useT } from '../../app/locale';
import type { ContractStatus } from './api';

const NODE_STATUS_COLORS: Record<PlanNode['status'], string> = {
  not_due: 'blue',
  partially_received: 'orange',
  completed: 'green',
  overdue: 'red',
};

/** 未到期 / 部分回款 / 已完成 / 已逾期, coloured so overdue nodes stand out. */
export function NodeStatusTag({ status }: { status: PlanNode['status'] }) {
  const t = useT();
  return (
    <Tag color={NODE_STATUS_COLORS[status]} data-testid={`node-status-${status}`}>
      {t(`planNode.status.${status}`)}
    </Tag>
  );
}

const CONTRACT_STATUS_COLORS: Record<ContractStatus, string> = {
  active: 'green',
  closed: 'default',
  cancelled: 'red',
};

export function ContractStatusTag({ status }: { status: ContractStatus }) {
  const t = useT();
  return <Tag color={CONTRACT_STATUS_COLORS[status]}>{t(`contracts.status.${status}`)}</Tag>;
}
