import { Badge } from 'antd';
import { useCan } from '../../app/session';
import { useMessageProblemCount } from './api';

/** How many messages need a person (failed, given up, outcome unknown), beside the menu entry; nothing when none. */
export function MessageProblemsBadge() {
  const canRead = useCan()('records.read');
  const problems = useMessageProblemCount({ enabled: canRead });
  const count = problems.data?.count ?? 0;
  if (count === 0) return null;
  return (
    <Badge
      count={problems.data?.hasMore ? `${count}+` : count}
      size="small"
      style={{ marginInlineStart: 8 }}
      data-testid="message-problems-badge"
    />
  );
}
