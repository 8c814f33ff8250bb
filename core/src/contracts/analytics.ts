import { z } from 'zod';
import { decimalAmountSchema } from './approvals';
import { reportFilterFields } from './aging';
import { calendarDateSchema } from './common';

/**
 * Receivables KPIs (core/src/kpis.ts has the definitions). Money travels as exact decimal strings in the row's
 * currency (never mixed: a group with invoices in two currencies gives two rows); ratios are fractions (0.6, not
 * 60) and null when their denominator is zero.
 */

export const KPI_GROUPINGS = ['organization', 'team', 'salesperson', 'customer'] as const;
export const kpiGroupingSchema = z.enum(KPI_GROUPINGS);

const MAX_PERIOD_DAYS = 3_660;

export const kpiQuerySchema = z
  .object({
    from: calendarDateSchema,
    to: calendarDateSchema,
    by: kpiGroupingSchema.default('organization'),
    ...reportFilterFields,
  })
  .refine((query) => query.from <= query.to, { message: 'from must not be after to', path: ['from'] })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= MAX_PERIOD_DAYS * 86_400_000, {
    message: `a period spans at most ${MAX_PERIOD_DAYS} days`,
    path: ['to'],
  });

export const kpiTrendQuerySchema = z.object({
  months: z.coerce.number().int().min(1).max(36).default(12),
  /** Last day of the trend; default today in the organization's time zone. */
  to: calendarDateSchema.optional(),
  by: kpiGroupingSchema.default('organization'),
  ...reportFilterFields,
});

const ratioSchema = z.number().nullable();

export const kpiValuesSchema = z.object({
  currency: z.string(),
  openingAR: decimalAmountSchema,
  invoiced: decimalAmountSchema,
  /** B + S − E; equals received + credited + writtenOff + voided. */
  collected: decimalAmountSchema,
  /** Allocations of receipts dated in P (reversals negative). */
  received: decimalAmountSchema,
  /** Posted credit notes dated in P (write-offs apart). */
  credited: decimalAmountSchema,
  /** Approved write-offs (坏账核销) dated in P: left the receivables, charged to the provision. */
  writtenOff: decimalAmountSchema,
  /** What voids dated in P took off the books. */
  voided: decimalAmountSchema,
  endingAR: decimalAmountSchema,
  endingCurrentAR: decimalAmountSchema,
  planDue: decimalAmountSchema,
  planReceived: decimalAmountSchema,
  collectionRate: ratioSchema,
  cei: ratioSchema,
  dsoSimple: ratioSchema,
  dsoCountback: ratioSchema,
  bestPossibleDso: ratioSchema,
  add: ratioSchema,
  overdueRate: ratioSchema,
  planCompletion: ratioSchema,
});

/** `key` is the organization's slug, or the team/user/customer id; null for customers without an owner or team. */
export const kpiRowSchema = kpiValuesSchema.extend({
  key: z.string().nullable(),
  name: z.string().nullable(),
});

export const kpiReportSchema = z.object({
  from: calendarDateSchema,
  to: calendarDateSchema,
  by: kpiGroupingSchema,
  rows: z.array(kpiRowSchema),
});

export const kpiTrendSchema = z.object({
  to: calendarDateSchema,
  by: kpiGroupingSchema,
  months: z.array(
    z.object({
      month: z.string(),
      from: calendarDateSchema,
      to: calendarDateSchema,
      rows: z.array(kpiRowSchema),
    }),
  ),
});

export type KpiGrouping = z.infer<typeof kpiGroupingSchema>;
export type KpiQuery = z.infer<typeof kpiQuerySchema>;
export type KpiTrendQuery = z.infer<typeof kpiTrendQuerySchema>;
export type KpiValues = z.infer<typeof kpiValuesSchema>;
export type KpiRow = z.infer<typeof kpiRowSchema>;
export type KpiReport = z.infer<typeof kpiReportSchema>;
export type KpiTrend = z.infer<typeof kpiTrendSchema>;
