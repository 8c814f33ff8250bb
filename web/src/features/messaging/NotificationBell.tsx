import { BellOutlined } from '@ant-design/icons';
import type { Notification } from '@huikuan/core/contracts';
import { Badge, Button, Empty, Flex, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import {
  useMarkAllNotificationsRead,
  useMarkNotificationRead,
  useRecentNotifications,
  useUnreadCount,
} from './api';

/** The bell in the header: unread in-app notifications (owner reminders and the like); a click opens the item. */
export function NotificationBell() {
  const t = useT();
  const [isOpen, setOpen] = useState(false);
  const unread = useUnreadCount();
  const count = unread.data?.unread ?? 0;
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={isOpen}
      onOpenChange={setOpen}
      title={t('notifications.title')}
      content={<NotificationList isOpen={isOpen} onNavigate={() => setOpen(false)} />}
    >
      <Badge count={count} size="small" data-testid="notification-count">
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={t('notifications.unread', { count })}
          data-testid="notification-bell"
        />
      </Badge>
    </Popover>
  );
}

function NotificationList({ isOpen, onNavigate }: { isOpen: boolean; onNavigate: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const recent = useRecentNotifications(isOpen);
  const markRead = useMarkNotificationRead();
  const markAll = useMarkAllNotificationsRead();
  const items = recent.data?.items ?? [];
  const open = (item: Notification) => {
    if (item.readAt === null) markRead.mutate(item.id);
    if (item.link) {
      onNavigate();
      void navigate(item.link);
    }
  };
  if (items.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />;
  }
  return (
    <Flex vertical gap={8} style={{ width: 360 }}>
      <List<Notification>
        size="small"
        dataSource={items}
        data-testid="notification-list"
        renderItem={(item) => (
          <List.Item onClick={() => open(item)} style={{ cursor: 'pointer' }}>
            <Flex vertical gap={2}>
              <Typography.Text strong={item.readAt === null}>{item.title}</Typography.Text>
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: 330 }}>
                {item.body}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                <DateText value={item.createdAt} />
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
      <Button size="small" onClick={() => markAll.mutate()} loading={markAll.isPending}>
        {t('notifications.markAllRead')}
      </Button>
    </Flex>
  );
}
