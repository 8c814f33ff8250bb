import { Button, Flex } from 'antd';
import { useT } from '../app/locale';

type ModalFooterProps = {
  onCancel: () => void;
  onOk: () => void;
  okText?: string;
  isLoading?: boolean;
  okTestId: string;
};

/** Modal buttons with a stable test id on the primary action (antd's default footer takes none). */
export function ModalFooter({ onCancel, onOk, okText, isLoading = false, okTestId }: ModalFooterProps) {
  const t = useT();
  return (
    <Flex justify="flex-end" gap={8}>
      <Button onClick={onCancel}>{t('common.cancel')}</Button>
      <Button type="primary" onClick={onOk} loading={isLoading} data-testid={okTestId}>
        {okText ?? t('common.save')}
      </Button>
    </Flex>
  );
}
