import { Badge } from 'antd';
import { useCan } from '../../app/session';
import { usePendingApprovalCount } from './api';

/** The number of pending approvals beside the menu entry; nothing when there are none. */
export function PendingApprovalsBadge() {
  const canRead = useCan()('records.read');
  const pending = usePendingApprovalCount({ enabled: canRead });
  const count = pending.data?.count ?? 0;
  if (count === 0) return null;
  return (
    <Badge
      count={pending.data?.hasMore ? `${count}+` : count}
      size="small"
      style={{ marginInlineStart: 8 }}
      data-testid="approvals-badge"
    />
  );
}
