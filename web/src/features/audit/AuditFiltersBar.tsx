import { Button, DatePicker, Flex, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useT } from '../../app/locale';
import { useUserOptions } from '../users/api';
import { NO_AUDIT_FILTERS, type AuditFilters } from './api';

type FilterValues = {
  entityType?: string;
  entityId?: string;
  action?: string;
  actorUserId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
};

/** Whole days in the user's clock: "from the start of the first day to the end of the last". */
function toFilters(values: FilterValues): AuditFilters {
  const [start, end] = values.range ?? [null, null];
  return {
    entityType: values.entityType?.trim() ?? '',
    entityId: values.entityId?.trim() ?? '',
    action: values.action?.trim() ?? '',
    actorUserId: values.actorUserId ?? null,
    from: start ? start.startOf('day').toISOString() : null,
    to: end ? end.endOf('day').toISOString() : null,
  };
}

export function AuditFiltersBar({ onChange }: { onChange: (filters: AuditFilters) => void }) {
  const t = useT();
  const [form] = Form.useForm<FilterValues>();
  const users = useUserOptions();
  const reset = () => {
    form.resetFields();
    onChange(NO_AUDIT_FILTERS);
  };
  return (
    <Form<FilterValues> form={form} layout="inline" onFinish={(values) => onChange(toFilters(values))}>
      <Flex gap={8} wrap>
        <Form.Item name="entityType" style={{ margin: 0 }}>
          <Input
            placeholder={t('audit.entityType')}
            allowClear
            style={{ width: 160 }}
            data-testid="audit-filter-entity-type"
          />
        </Form.Item>
        <Form.Item name="entityId" style={{ margin: 0 }}>
          <Input placeholder={t('audit.entityId')} allowClear style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="action" style={{ margin: 0 }}>
          <Input
            placeholder={t('audit.action')}
            allowClear
            style={{ width: 160 }}
            data-testid="audit-filter-action"
          />
        </Form.Item>
        <Form.Item name="actorUserId" style={{ margin: 0 }}>
          <Select
            allowClear
            placeholder={t('audit.actor')}
            style={{ width: 200 }}
            loading={users.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            options={(users.data ?? []).map((user) => ({ value: user.id, label: user.name }))}
          />
        </Form.Item>
        <Form.Item name="range" style={{ margin: 0 }}>
          <DatePicker.RangePicker allowEmpty={[true, true]} aria-label={t('audit.dateRange')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="audit-filter-submit">
          {t('common.search')}
        </Button>
        <Button onClick={reset}>{t('common.reset')}</Button>
      </Flex>
    </Form>
  );
}
