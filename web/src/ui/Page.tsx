import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

type PageProps = { title: string; extra?: ReactNode; children: ReactNode };

/** Title row plus content, the same on every page. */
export function Page({ title, extra, children }: PageProps) {
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </Flex>
      {children}
    </Flex>
  );
}
