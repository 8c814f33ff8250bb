import type { AllocationLineInput } from '@huikuan/core/contracts';
import { Button, Input, Table, Tag, type TableColumnsType } from 'antd';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { isPositiveDecimalText, normalizeDecimalText } from '../../ui/decimal-input';
import { MoneyText } from '../../ui/MoneyText';
import type { AllocationTarget } from './targets';

export type SplitAmounts = Record<string, string>;

/**
 * The split as the API takes it: one line per target with an amount typed in. Returns the keys of amounts
 * that are not positive decimals instead, so the dialog can point at them; sums are the server's job.
 */
export function buildSplit(
  targets: readonly AllocationTarget[],
  amounts: SplitAmounts,
): { lines: AllocationLineInput[]; invalidKeys: string[] } {
  const lines: AllocationLineInput[] = [];
  const invalidKeys: string[] = [];
  for (const target of targets) {
    const text = normalizeDecimalText(amounts[target.key] ?? '');
    if (text === '') continue;
    if (!isPositiveDecimalText(text)) {
      invalidKeys.push(target.key);
      continue;
    }
    lines.push({ invoiceId: target.invoiceId, planNodeId: target.planNodeId, amount: text });
  }
  return { lines, invalidKeys };
}

type AllocationLinesProps = {
  targets: readonly AllocationTarget[];
  amounts: SplitAmounts;
  invalidKeys: readonly string[];
  isLoading: boolean;
  onChange: (amounts: SplitAmounts) => void;
};

/** One row per open invoice or plan node, with the amount of this receipt to apply to it. */
export function AllocationLines({
  targets,
  amounts,
  invalidKeys,
  isLoading,
  onChange,
}: AllocationLinesProps) {
  const t = useT();
  const set = (key: string, value: string) => onChange({ ...amounts, [key]: value });
  const columns: TableColumnsType<AllocationTarget> = [
    {
      key: 'kind',
      title: t('allocation.target'),
      render: (_, target) => (
        <span>
          <Tag>{t(target.kind === 'invoice' ? 'allocation.kind.invoice' : 'allocation.kind.node')}</Tag>
          {target.label}
        </span>
      ),
    },
    { key: 'due', title: t('invoices.dueDate'), render: (_, target) => <DateText value={target.dueDate} /> },
    {
      key: 'open',
      title: t('invoices.open'),
      align: 'right',
      render: (_, target) => <MoneyText amount={target.open} currency={target.currency} />,
    },
    {
      key: 'amount',
      title: t('allocation.amount'),
      width: 220,
      render: (_, target) => (
        <Input
          value={amounts[target.key] ?? ''}
          inputMode="decimal"
          status={invalidKeys.includes(target.key) ? 'error' : undefined}
          onChange={(event) => set(target.key, event.target.value)}
          data-testid={`allocation-amount-${target.testKey}`}
          aria-label={`${t('allocation.amount')} ${target.label}`}
          suffix={
            <Button size="small" type="link" onClick={() => set(target.key, target.open)}>
              {t('allocation.fillOpen')}
            </Button>
          }
        />
      ),
    },
  ];
  return (
    <div data-testid="allocation-lines">
      <Table<AllocationTarget>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={[...targets]}
        loading={isLoading}
        pagination={false}
        scroll={{ y: 360 }}
        locale={{ emptyText: t('allocation.noTargets') }}
      />
    </div>
  );
}
