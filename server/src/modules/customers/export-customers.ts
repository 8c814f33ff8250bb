import type { Customer } from '@huikuan/core/contracts';
import type { AppDeps } from '../../platform/deps';
import { title, type ListExport } from '../../platform/export';
import { listCustomers, type CustomerListQuery } from './list-customers';

export type CustomerExportFilters = Omit<CustomerListQuery, 'cursor' | 'limit'>;

export function customerExport(deps: AppDeps): ListExport<CustomerExportFilters, Customer> {
  return {
    list: 'customers',
    entity: 'customer',
    fileName: title('客户', 'customers'),
    page: (actor, filters, cursor, limit) => listCustomers(deps, actor, { ...filters, cursor, limit }),
    columns: [
      { header: title('客户编码', 'Code'), value: (row) => row.code },
      { header: title('客户名称', 'Name'), value: (row) => row.name },
      { header: title('简称', 'Short name'), value: (row) => row.shortName },
      { header: title('负责人', 'Owner'), value: (row) => row.ownerName },
      { header: title('团队', 'Team'), value: (row) => row.teamName },
      { header: title('客户分类', 'Segment'), value: (row) => row.segment },
      { header: title('标签', 'Tags'), value: (row) => row.tags.join(', ') },
      {
        header: title('账期（天）', 'Payment terms (days)'),
        value: (row) => row.paymentTermsDays,
        kind: 'number',
      },
      { header: title('币种', 'Currency'), value: (row) => row.currency },
      { header: title('统一社会信用代码', 'Unified credit code'), value: (row) => row.unifiedCreditCode },
      { header: title('法定代表人', 'Legal representative'), value: (row) => row.legalRepresentative },
      {
        header: title('注册资本', 'Registered capital'),
        value: (row) => row.registeredCapital,
        kind: 'money',
      },
      { header: title('注册资本币种', 'Capital currency'), value: (row) => row.registeredCapitalCurrency },
      { header: title('行业', 'Industry'), value: (row) => row.industry },
      { header: title('电话', 'Phone'), value: (row) => row.phone },
      { header: title('办公地址', 'Office address'), value: (row) => row.officeAddress },
      { header: title('启用', 'Active'), value: (row) => row.isActive },
    ],
  };
}
