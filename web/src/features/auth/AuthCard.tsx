import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

type AuthCardProps = { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode };

export function AuthCard({ title, subtitle, children, footer }: AuthCardProps) {
  return (
    <Card style={{ width: '100%', maxWidth: 480 }}>
      <Flex vertical gap={4} style={{ marginBottom: 24 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {subtitle === undefined ? null : <Typography.Text type="secondary">{subtitle}</Typography.Text>}
      </Flex>
      {children}
      {footer === undefined ? null : <div style={{ marginTop: 16, textAlign: 'center' }}>{footer}</div>}
    </Card>
  );
}
