import { z } from 'zod';
import { RECEIVABLE_CLASSES, type ReceivableClass } from '../aging';
import type { Locale } from '../errors';
import { agingItemsQuerySchema, agingQuerySchema, provisionQuerySchema, reportFilterFields } from './aging';
import { kpiQuerySchema, kpiTrendQuerySchema } from './analytics';
import { decimalAmountSchema } from './approvals';
import { calendarDateSchema } from './common';

/**
 * The management dashboard (经营看板) and the downloads of every receivables report. The dashboard's own endpoints
 * answer what the aging, provision and KPI endpoints do not: totals by bucket, class, salesperson and team plus the
 * most overdue customers, all from one pass over the open items.
 */

/** Every report downloads as a spreadsheet or a printable PDF (CSV for tools that want plain text). */
export const REPORT_FORMATS = ['xlsx', 'pdf', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
const formatField = { format: z.enum(REPORT_FORMATS).default('xlsx') };

export const DASHBOARD_TOP_MAX = 50;
export const TOP_OVERDUE_MAX = 200;

export const dashboardQuerySchema = z.object({
  ...reportFilterFields,
  asOf: calendarDateSchema.optional(),
  /** How many of the most overdue customers to list per currency. */
  top: z.coerce.number().int().min(1).max(DASHBOARD_TOP_MAX).default(10),
});
export type DashboardQuery = z.infer<typeof dashboardQuerySchema>;

export const topOverdueQuerySchema = z.object({
  ...reportFilterFields,
  asOf: calendarDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(TOP_OVERDUE_MAX).default(20),
});
export type TopOverdueQuery = z.infer<typeof topOverdueQuerySchema>;

/** A customer's overdue money: open items past their due date (due-date basis) as of the report's date. */
export const overdueCustomerSchema = z.object({
  customerId: z.uuid(),
  code: z.string(),
  name: z.string(),
  overdue: decimalAmountSchema,
  open: decimalAmountSchema,
  oldestDaysPastDue: z.number().int(),
  overdueInvoices: z.number().int(),
});
export type OverdueCustomer = z.infer<typeof overdueCustomerSchema>;

export const topOverdueReportSchema = z.object({
  asOf: calendarDateSchema,
  /** One section per currency, base currency first; customers by overdue amount, largest first, then code. */
  currencies: z.array(z.object({ currency: z.string(), customers: z.array(overdueCustomerSchema) })),
});
export type TopOverdueReport = z.infer<typeof topOverdueReportSchema>;

/** A salesperson's or team's open amounts by bucket; `id` null is "no salesperson" / "no team". */
export const dashboardGroupSchema = z.object({
  id: z.uuid().nullable(),
  key: z.string(),
  name: z.string(),
  columns: z.record(z.string(), decimalAmountSchema),
  total: decimalAmountSchema,
  overdue: decimalAmountSchema,
});
export type DashboardGroup = z.infer<typeof dashboardGroupSchema>;

export const dashboardSummarySchema = z.object({
  asOf: calendarDateSchema,
  /** Bucket keys in order (the organization's aging settings), due-date basis. */
  buckets: z.array(z.string()),
  currencies: z.array(
    z.object({
      currency: z.string(),
      total: decimalAmountSchema,
      overdue: decimalAmountSchema,
      buckets: z.record(z.string(), decimalAmountSchema),
      classes: z.array(
        z.object({
          class: z.enum(RECEIVABLE_CLASSES),
          rateBp: z.number().int(),
          open: decimalAmountSchema,
          provision: decimalAmountSchema,
        }),
      ),
      provision: decimalAmountSchema,
      bySalesperson: z.array(dashboardGroupSchema),
      byTeam: z.array(dashboardGroupSchema),
      topOverdue: z.array(overdueCustomerSchema),
    }),
  ),
});
export type DashboardSummary = z.infer<typeof dashboardSummarySchema>;
export type DashboardCurrency = DashboardSummary['currencies'][number];

// Downloads: each report's own query plus the format; the rows are the same use case's, in the caller's scope.
export const agingExportQuerySchema = agingQuerySchema.extend(formatField);
export const agingItemsExportQuerySchema = agingItemsQuerySchema
  .omit({ cursor: true, limit: true })
  .extend(formatField);
export const provisionExportQuerySchema = provisionQuerySchema.extend(formatField);
export const kpiExportQuerySchema = kpiQuerySchema.safeExtend(formatField);
export const kpiTrendExportQuerySchema = kpiTrendQuerySchema.extend(formatField);
export const topOverdueExportQuerySchema = topOverdueQuerySchema.extend(formatField);

const CLASS_LABELS: Record<Locale, Record<ReceivableClass, string>> = {
  'zh-CN': {
    not_yet_due: '未收款',
    in_collection: '催收款',
    doubtful: '准呆账',
    bad: '呆账',
    dead: '死账',
  },
  en: {
    not_yet_due: 'Not yet due',
    in_collection: 'In collection',
    doubtful: 'Doubtful',
    bad: 'Bad',
    dead: 'Dead',
  },
};

export function receivableClassLabel(key: ReceivableClass, locale: Locale): string {
  return CLASS_LABELS[locale][key];
}

/**
 * A bucket key of the aging settings in words: "not_due" → 未到期, "31-60" → 31–60 天, "over_730" → 730 天以上;
 * a class key gets its class name, anything else (a year of origin) stays as it is.
 */
export function agingColumnLabel(key: string, locale: Locale): string {
  if ((RECEIVABLE_CLASSES as readonly string[]).includes(key)) {
    return receivableClassLabel(key as ReceivableClass, locale);
  }
  if (key === 'not_due') return locale === 'zh-CN' ? '未到期' : 'Not due';
  if (key === 'disputed') return locale === 'zh-CN' ? '争议金额' : 'Disputed';
  if (key === 'normal') return locale === 'zh-CN' ? '正常产品' : 'Normal product';
  if (key === 'abnormal') return locale === 'zh-CN' ? '不正常产品' : 'Abnormal product';
  const over = /^over_(\d+)$/.exec(key);
  if (over) return locale === 'zh-CN' ? `${over[1]} 天以上` : `Over ${over[1]} days`;
  const range = /^(\d+)-(\d+)$/.exec(key);
  if (range) return locale === 'zh-CN' ? `${range[1]}–${range[2]} 天` : `${range[1]}–${range[2]} days`;
  return key;
}
