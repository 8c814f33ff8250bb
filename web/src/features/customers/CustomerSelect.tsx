import type { Customer } from '@huikuan/core/contracts';
import { Select } from 'antd';
import { useMemo, useState, type CSSProperties } from 'react';
import { useT } from '../../app/locale';
import { useCustomer, useCustomerSearch } from './api';

type CustomerSelectProps = {
  value?: string | null;
  onChange?: (id: string | null, customer: Customer | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  testId?: string;
  style?: CSSProperties;
};

/** Picks a customer by code or name; the search runs on the server, so large customer lists stay fast. */
export function CustomerSelect({
  value,
  onChange,
  placeholder,
  allowClear = true,
  disabled = false,
  testId,
  style,
}: CustomerSelectProps) {
  const t = useT();
  const [search, setSearch] = useState('');
  const matches = useCustomerSearch(search);
  // The chosen customer may not be among the current matches; fetch it so its label still shows.
  const chosen = useCustomer(value ?? null);
  const options = useMemo(() => {
    const list = [...(matches.data ?? [])];
    if (chosen.data && !list.some((item) => item.id === chosen.data.id)) list.unshift(chosen.data);
    return list;
  }, [matches.data, chosen.data]);

  return (
    <Select<string>
      value={value ?? undefined}
      allowClear={allowClear}
      disabled={disabled}
      placeholder={placeholder ?? t('customers.pick')}
      style={style ?? { width: '100%' }}
      loading={matches.isFetching}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      onChange={(id) => onChange?.(id ?? null, options.find((item) => item.id === id) ?? null)}
      options={options.map((item) => ({ value: item.id, label: `${item.code} · ${item.name}` }))}
      data-testid={testId}
    />
  );
}
