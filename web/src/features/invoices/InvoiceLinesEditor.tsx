import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Col, Flex, Form, Input, Row, Typography } from 'antd';
import type { FormRule } from 'antd';
import { useT } from '../../app/locale';
import { amountRules, percentRules } from '../../ui/decimal-input';
import { requiredRule } from '../auth/rules';

export type InvoiceLineValues = {
  description: string;
  quantity: string;
  unitPrice: string;
  taxPercent: string;
};

export const EMPTY_LINE: InvoiceLineValues = {
  description: '',
  quantity: '1',
  unitPrice: '',
  taxPercent: '13',
};

const QUANTITY_PATTERN = /^\d{1,12}(\.\d{1,4})?$/;

/**
 * Lines of a draft. Line amounts, tax and the total are worked out by the server (exact, with its rounding
 * rule) and shown once the draft is saved; the browser does no money arithmetic.
 */
export function InvoiceLinesEditor() {
  const t = useT();
  const quantityRules: FormRule[] = [
    requiredRule(t),
    { pattern: QUANTITY_PATTERN, message: t('validation.quantity') },
  ];
  return (
    <Form.List name="lines">
      {(fields, { add, remove }) => (
        <Flex vertical gap={4}>
          <Row gutter={8}>
            <Col span={10}>
              <Typography.Text type="secondary">{t('invoices.line.description')}</Typography.Text>
            </Col>
            <Col span={4}>
              <Typography.Text type="secondary">{t('invoices.line.quantity')}</Typography.Text>
            </Col>
            <Col span={5}>
              <Typography.Text type="secondary">{t('invoices.line.unitPrice')}</Typography.Text>
            </Col>
            <Col span={4}>
              <Typography.Text type="secondary">{t('invoices.line.taxRate')}</Typography.Text>
            </Col>
          </Row>
          {fields.map((field, index) => (
            <Row gutter={8} key={field.key}>
              <Col span={10}>
                <Form.Item name={[field.name, 'description']} rules={[requiredRule(t), { max: 500 }]}>
                  <Input data-testid={`invoice-line-description-${index}`} />
                </Form.Item>
              </Col>
              <Col span={4}>
                <Form.Item name={[field.name, 'quantity']} rules={quantityRules}>
                  <Input inputMode="decimal" data-testid={`invoice-line-quantity-${index}`} />
                </Form.Item>
              </Col>
              <Col span={5}>
                <Form.Item name={[field.name, 'unitPrice']} rules={amountRules(t)}>
                  <Input inputMode="decimal" data-testid={`invoice-line-price-${index}`} />
                </Form.Item>
              </Col>
              <Col span={4}>
                <Form.Item name={[field.name, 'taxPercent']} rules={percentRules(t, { max: 100 })}>
                  <Input suffix="%" inputMode="decimal" data-testid={`invoice-line-tax-${index}`} />
                </Form.Item>
              </Col>
              <Col span={1}>
                <Button
                  icon={<DeleteOutlined />}
                  danger
                  disabled={fields.length === 1}
                  onClick={() => remove(field.name)}
                  aria-label={t('common.delete')}
                />
              </Col>
            </Row>
          ))}
          <Button
            icon={<PlusOutlined />}
            onClick={() => add({ ...EMPTY_LINE })}
            data-testid="invoice-line-add"
          >
            {t('invoices.line.add')}
          </Button>
          <Typography.Text type="secondary">{t('invoices.totalsAfterSave')}</Typography.Text>
        </Flex>
      )}
    </Form.List>
  );
}
