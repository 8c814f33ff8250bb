import { CopyOutlined } from '@ant-design/icons';
import { App, Button, Input, Space } from 'antd';
import { useT } from '../app/locale';

type CopyFieldProps = { value: string; testId: string; ariaLabel: string };

/** A read-only field with a copy button, for secrets and links shown once. */
export function CopyField({ value, testId, ariaLabel }: CopyFieldProps) {
  const t = useT();
  const { message } = App.useApp();

  const copy = async () => {
    try {
      // The Clipboard API is missing outside secure contexts (plain http on a LAN address).
      if (navigator.clipboard === undefined) throw new Error('Clipboard unavailable');
      await navigator.clipboard.writeText(value);
      void message.success(t('common.copied'));
    } catch {
      void message.warning(t('common.copyFailed'));
    }
  };

  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input
        readOnly
        value={value}
        data-testid={testId}
        aria-label={ariaLabel}
        onFocus={(event) => event.target.select()}
        style={{ fontFamily: 'monospace' }}
      />
      <Button icon={<CopyOutlined />} onClick={() => void copy()}>
        {t('common.copy')}
      </Button>
    </Space.Compact>
  );
}
