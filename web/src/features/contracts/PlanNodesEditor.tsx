import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { DUE_TRIGGERS } from '@huikuan/core/contracts';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Typography,
} from 'antd';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { amountRules, percentRules } from '../../ui/decimal-input';
import { dateFieldProps } from '../../ui/form-date';
import { requiredRule } from '../auth/rules';
import { useUserOptions } from '../users/api';
import { EMPTY_PLAN_NODE } from './plan-node-values';

type PlanNodesEditorProps = { listName: string };

/**
 * 回款计划 editor: each node is an amount or a share of the contract, due on a fixed date or N days after
 * signing, delivery or acceptance, with who is responsible and who accepts. Sits inside an antd Form.
 */
export function PlanNodesEditor({ listName }: PlanNodesEditorProps) {
  const t = useT();
  return (
    <Form.List name={listName}>
      {(fields, { add, remove }) => (
        <Flex vertical gap={12}>
          {fields.map((field, index) => (
            <Card
              key={field.key}
              size="small"
              title={t('planNode.nodeTitle', { index: index + 1 })}
              extra={
                <Button
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  onClick={() => remove(field.name)}
                  data-testid={`plan-node-remove-${index}`}
                  aria-label={t('common.delete')}
                />
              }
              data-testid={`plan-node-${index}`}
            >
              <PlanNodeFields listName={listName} index={field.name} />
            </Card>
          ))}
          {fields.length === 0 ? (
            <Typography.Text type="secondary">{t('planNode.empty')}</Typography.Text>
          ) : null}
          <Button
            icon={<PlusOutlined />}
            onClick={() => add({ ...EMPTY_PLAN_NODE })}
            data-testid="plan-node-add"
          >
            {t('planNode.add')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

function PlanNodeFields({ listName, index }: { listName: string; index: number }) {
  const t = useT();
  const form = Form.useFormInstance();
  const basis: unknown = Form.useWatch([listName, index, 'basis'], form);
  const trigger: unknown = Form.useWatch([listName, index, 'dueTrigger'], form);
  const canListUsers = useCan()('users.read');
  const users = useUserOptions({ enabled: canListUsers });
  return (
    <Row gutter={12}>
      <Col span={8}>
        <Form.Item name={[index, 'name']} label={t('planNode.name')} rules={[requiredRule(t), { max: 200 }]}>
          <Input data-testid={`plan-node-name-${index}`} placeholder={t('planNode.namePlaceholder')} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={[index, 'basis']} label={t('planNode.basis')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'amount', label: t('planNode.basis.amount') },
              { value: 'percent', label: t('planNode.basis.percent') },
            ]}
          />
        </Form.Item>
      </Col>
      <Col span={10}>
        {basis === 'percent' ? (
          <Form.Item
            name={[index, 'percent']}
            label={t('planNode.percent')}
            rules={percentRules(t, { max: 100 })}
          >
            <Input suffix="%" inputMode="decimal" data-testid={`plan-node-percent-${index}`} />
          </Form.Item>
        ) : (
          <Form.Item name={[index, 'amount']} label={t('planNode.amount')} rules={amountRules(t)}>
            <Input inputMode="decimal" data-testid={`plan-node-amount-${index}`} />
          </Form.Item>
        )}
      </Col>
      <Col span={8}>
        <Form.Item name={[index, 'dueTrigger']} label={t('planNode.trigger')}>
          <Select
            options={DUE_TRIGGERS.map((value) => ({ value, label: t(`planNode.trigger.${value}`) }))}
            data-testid={`plan-node-trigger-${index}`}
          />
        </Form.Item>
      </Col>
      <Col span={8}>
        {trigger === 'fixed_date' ? (
          <Form.Item
            name={[index, 'dueDate']}
            label={t('planNode.dueDate')}
            rules={[requiredRule(t)]}
            {...dateFieldProps}
          >
            <DatePicker style={{ width: '100%' }} data-testid={`plan-node-due-${index}`} />
          </Form.Item>
        ) : (
          <Form.Item name={[index, 'offsetDays']} label={t('planNode.offsetDays')}>
            <InputNumber
              min={0}
              max={3650}
              precision={0}
              style={{ width: '100%' }}
              suffix={t('common.days')}
              data-testid={`plan-node-offset-${index}`}
            />
          </Form.Item>
        )}
      </Col>
      <Col span={8}>
        <Form.Item name={[index, 'method']} label={t('planNode.method')}>
          <Input placeholder={t('planNode.methodPlaceholder')} />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name={[index, 'responsibleUserId']} label={t('planNode.responsible')}>
          <Select
            allowClear
            disabled={!canListUsers}
            showSearch={{ optionFilterProp: 'label' }}
            options={(users.data ?? []).map((user) => ({ value: user.id, label: user.name }))}
          />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name={[index, 'acceptorName']} label={t('planNode.acceptor')}>
          <Input />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name={[index, 'acceptanceCriteria']} label={t('planNode.criteria')}>
          <Input />
        </Form.Item>
      </Col>
    </Row>
  );
}
