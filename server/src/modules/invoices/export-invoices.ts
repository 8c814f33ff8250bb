import type {
  Invoice,
  InvoiceRequest,
  invoiceListQuerySchema,
  invoiceRequestListQuerySchema,
} from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { AppDeps } from '../../platform/deps';
import { title, type ListExport } from '../../platform/export';
import { listInvoiceRequests } from './invoice-requests';
import { listInvoices } from './list-invoices';

export type InvoiceExportFilters = Omit<z.output<typeof invoiceListQuerySchema>, 'cursor' | 'limit'>;
export type InvoiceRequestExportFilters = Omit<
  z.output<typeof invoiceRequestListQuerySchema>,
  'cursor' | 'limit'
>;

export function invoiceExport(deps: AppDeps): ListExport<InvoiceExportFilters, Invoice> {
  return {
    list: 'invoices',
    entity: 'invoice',
    fileName: title('发票', 'invoices'),
    page: (actor, filters, cursor, limit) => listInvoices(deps, actor, { ...filters, cursor, limit }),
    columns: [
      { header: title('发票号码', 'Number'), value: (row) => row.number },
      { header: title('客户编码', 'Customer code'), value: (row) => row.customerCode },
      { header: title('客户名称', 'Customer'), value: (row) => row.customerName },
      { header: title('开票日期', 'Invoice date'), value: (row) => row.invoiceDate, kind: 'date' },
      { header: title('到期日', 'Due date'), value: (row) => row.dueDate, kind: 'date' },
      { header: title('币种', 'Currency'), value: (row) => row.currency },
      { header: title('不含税金额', 'Subtotal'), value: (row) => row.subtotal, kind: 'money' },
      { header: title('税额', 'Tax'), value: (row) => row.tax, kind: 'money' },
      { header: title('价税合计', 'Total'), value: (row) => row.total, kind: 'money' },
      { header: title('已红冲', 'Credited'), value: (row) => row.credited, kind: 'money' },
      { header: title('已核销', 'Allocated'), value: (row) => row.allocated, kind: 'money' },
      { header: title('未收余额', 'Open'), value: (row) => row.open, kind: 'money' },
      { header: title('状态', 'Status'), value: (row) => row.status },
      { header: title('逾期', 'Overdue'), value: (row) => row.isOverdue },
      { header: title('余额日期', 'As of'), value: (row) => row.asOf, kind: 'date' },
      { header: title('备注', 'Notes'), value: (row) => row.notes },
    ],
  };
}

export function invoiceRequestExport(deps: AppDeps): ListExport<InvoiceRequestExportFilters, InvoiceRequest> {
  return {
    list: 'invoice-requests',
    entity: 'invoice_request',
    fileName: title('开票申请', 'invoice-requests'),
    page: (actor, filters, cursor, limit) => listInvoiceRequests(deps, actor, { ...filters, cursor, limit }),
    columns: [
      { header: title('申请编号', 'Request ID'), value: (row) => row.id },
      { header: title('客户ID', 'Customer ID'), value: (row) => row.customerId },
      { header: title('合同ID', 'Contract ID'), value: (row) => row.contractId },
      { header: title('币种', 'Currency'), value: (row) => row.currency },
      { header: title('申请金额', 'Amount'), value: (row) => row.amount, kind: 'money' },
      { header: title('状态', 'Status'), value: (row) => row.status },
      { header: title('发票ID', 'Invoice ID'), value: (row) => row.invoiceId },
      { header: title('申请时间', 'Requested at'), value: (row) => row.createdAt },
      { header: title('审批时间', 'Decided at'), value: (row) => row.decidedAt },
      { header: title('审批意见', 'Decision comment'), value: (row) => row.decisionComment },
      { header: title('备注', 'Notes'), value: (row) => row.notes },
    ],
  };
}
