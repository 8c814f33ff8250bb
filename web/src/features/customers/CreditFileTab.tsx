import type { Customer } from '@huikuan/core/contracts';
import { Descriptions, Flex, Tag } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { MoneyText } from '../../ui/MoneyText';

const orDash = (value: ReactNode) => (value === null || value === '' ? '—' : value);

/** 概况: the credit file (信用档案) and the nine questions (九问), read-only; edit through the drawer. */
export function CreditFileTab({ customer }: { customer: Customer }) {
  const t = useT();
  const capitalCurrency = customer.registeredCapitalCurrency ?? customer.currency;
  return (
    <Flex vertical gap={16}>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        title={t('customers.section.basic')}
        items={[
          { label: t('customers.code'), children: customer.code },
          { label: t('customers.name'), children: customer.name },
          { label: t('customers.owner'), children: orDash(customer.ownerName) },
          { label: t('customers.team'), children: orDash(customer.teamName) },
          { label: t('customers.segment'), children: orDash(customer.segment) },
          { label: t('customers.tags'), children: customer.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) },
          {
            label: t('customers.paymentTermsDays'),
            children: t('common.daysCount', { days: customer.paymentTermsDays }),
          },
          { label: t('customers.currency'), children: customer.currency },
        ]}
      />
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        title={t('customers.section.creditFile')}
        items={[
          { label: t('customers.shortName'), children: orDash(customer.shortName) },
          { label: t('customers.unifiedCreditCode'), children: orDash(customer.unifiedCreditCode) },
          { label: t('customers.foundedOn'), children: <DateText value={customer.foundedOn} /> },
          { label: t('customers.legalRepresentative'), children: orDash(customer.legalRepresentative) },
          {
            label: t('customers.registeredCapital'),
            children:
              customer.registeredCapital === null ? (
                '—'
              ) : (
                <MoneyText amount={customer.registeredCapital} currency={capitalCurrency} />
              ),
          },
          { label: t('customers.phone'), children: orDash(customer.phone) },
          { label: t('customers.registeredAddress'), children: orDash(customer.registeredAddress), span: 2 },
          { label: t('customers.officeAddress'), children: orDash(customer.officeAddress), span: 2 },
          { label: t('customers.website'), children: orDash(customer.website) },
          { label: t('customers.industry'), children: orDash(customer.industry) },
          { label: t('customers.companySize'), children: orDash(customer.companySize) },
          {
            label: t('customers.financialCondition'),
            children: orDash(customer.financialCondition),
            span: 2,
          },
          { label: t('customers.notes'), children: orDash(customer.notes), span: 2 },
        ]}
      />
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        title={t('customers.section.nineQuestions')}
        items={[
          {
            label: t('customers.invoiceRequirements'),
            children: orDash(customer.invoiceRequirements),
            span: 2,
          },
          { label: t('customers.booksClosingDay'), children: orDash(customer.booksClosingDay) },
          {
            label: t('customers.transferCycleDays'),
            children:
              customer.transferCycleDays === null
                ? '—'
                : t('common.daysCount', { days: customer.transferCycleDays }),
          },
          { label: t('customers.paymentBank'), children: orDash(customer.paymentBank), span: 2 },
          { label: t('customers.fundsSituation'), children: orDash(customer.fundsSituation), span: 2 },
        ]}
      />
    </Flex>
  );
}
