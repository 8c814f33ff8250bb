import { z } from 'zod';
import {
  AGING_BASES,
  RECEIVABLE_CLASSES,
  boundsProblem,
  type ProvisionMatrix,
  type ReceivableClass,
} from '../aging';
import { calendarDateSchema, pageQuerySchema } from './common';

export const AGING_DIMENSIONS = ['customer', 'salesperson', 'team', 'contract', 'plan_node'] as const;
export type AgingDimension = (typeof AGING_DIMENSIONS)[number];
export const AGING_VIEWS = ['buckets', 'classes', 'vintage', 'condition'] as const;
/** 正常/不正常: the product condition of a debt (seed 004), recorded per invoice from a date on; none = normal. */
export const PRODUCT_CONDITIONS = ['normal', 'abnormal'] as const;
export type ProductCondition = (typeof PRODUCT_CONDITIONS)[number];
export type AgingView = (typeof AGING_VIEWS)[number];

/**
 * The dashboard's filters, shared by aging, its drill-down, provision and the KPIs. They narrow the caller's record
 * scope, never widen it: `teamId` keeps customers of that team and its sub-teams, `salespersonId` the customers that
 * user owns (as `by=salesperson` groups them). Another organization's team or user simply matches nothing.
 */
export const reportFilterFields = {
  teamId: z.uuid().optional(),
  salespersonId: z.uuid().optional(),
};

export const agingQuerySchema = z.object({
  ...reportFilterFields,
  asOf: calendarDateSchema.optional(),
  by: z.enum(AGING_DIMENSIONS).default('customer'),
  basis: z.enum(AGING_BASES).default('due_date'),
  view: z.enum(AGING_VIEWS).default('buckets'),
  /** `exclude`: open disputes' disputed amounts leave their buckets for a column of their own, `disputed`. */
  disputes: z.enum(['include', 'exclude']).default('include'),
});

const decimal = z.string().describe('Exact decimal amount, e.g. "1234.56"');

/**
 * One group's open amounts. `id` is the grouped entity's id (null for items without one, e.g. a customer with no
 * salesperson); `key` is its stable human key: customer code, salesperson email, team name, contract number, or
 * "contract number#seq" for a plan node; "(none)" when there is no entity.
 */
export const agingRowSchema = z.object({
  id: z.uuid().nullable(),
  key: z.string(),
  name: z.string(),
  columns: z.record(z.string(), decimal),
  total: decimal,
});

export const agingCurrencySectionSchema = z.object({
  currency: z.string(),
  rows: z.array(agingRowSchema),
  totals: z.record(z.string(), decimal),
  total: decimal,
});

export const agingReportSchema = z.object({
  asOf: calendarDateSchema,
  by: z.enum(AGING_DIMENSIONS),
  basis: z.enum(AGING_BASES),
  view: z.enum(AGING_VIEWS),
  disputes: z.enum(['include', 'exclude']),
  /** Column keys in order: bucket keys, class keys, or years of origin; then `disputed` when disputes are excluded. */
  columns: z.array(z.string()),
  /** One section per currency, base currency first; amounts are never converted. */
  currencies: z.array(agingCurrencySectionSchema),
});
export type AgingReport = z.infer<typeof agingReportSchema>;

/** The column that holds open disputes' amounts when a report leaves them out of their buckets. */
export const DISPUTED_COLUMN = 'disputed';

export const agingItemsQuerySchema = pageQuerySchema.extend({
  ...reportFilterFields,
  asOf: calendarDateSchema.optional(),
  by: z.enum(AGING_DIMENSIONS).default('customer'),
  basis: z.enum(AGING_BASES).default('due_date'),
  /** A row's `id`, or "none" for the row without one. */
  key: z.union([z.uuid(), z.literal('none')]),
  /** A bucket key ("31-60") or a class key ("doubtful"); absent = every open item of the group. */
  bucket: z.string().optional(),
});

export const agingItemSchema = z.object({
  invoiceId: z.uuid(),
  number: z.string(),
  customerId: z.uuid(),
  customerCode: z.string(),
  invoiceDate: calendarDateSchema,
  dueDate: calendarDateSchema,
  daysPastDue: z.number().int(),
  currency: z.string(),
  total: decimal,
  open: decimal,
});
export const agingItemsPageSchema = z.object({
  items: z.array(agingItemSchema),
  nextCursor: z.string().nullable(),
});

const provisionRateSchema = z.number().int().min(0).max(10_000);
const boundsSchema = z
  .array(z.number().int().min(0).max(36_500))
  .min(1)
  .max(20)
  .superRefine((bounds, context) => {
    const problem = boundsProblem(bounds);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

export const agingSettingsSchema = z.object({
  /** Upper bounds in days past due; [0, 30, 60] means not_due, 1-30, 31-60, over_60. */
  bucketBoundsDays: boundsSchema,
  /** Exactly four bounds for the five classes, e.g. [0, 90, 365, 730]. */
  classBoundsDays: boundsSchema.refine((bounds) => bounds.length === 4, 'Expected four class bounds'),
  provisionBp: z.object(
    Object.fromEntries(RECEIVABLE_CLASSES.map((key) => [key, provisionRateSchema])) as Record<
      ReceivableClass,
      typeof provisionRateSchema
    >,
  ),
});
export type AgingSettingsBody = z.infer<typeof agingSettingsSchema>;
export type ProvisionMatrixBody = ProvisionMatrix;

export const provisionQuerySchema = z.object({ ...reportFilterFields, asOf: calendarDateSchema.optional() });

const provisionLineSchema = z.object({ open: decimal, provision: decimal });
export const provisionReportSchema = z.object({
  asOf: calendarDateSchema,
  currencies: z.array(
    z.object({
      currency: z.string(),
      classes: z.array(provisionLineSchema.extend({ class: z.enum(RECEIVABLE_CLASSES), rateBp: z.number() })),
      customers: z.array(
        provisionLineSchema.extend({ customerId: z.uuid(), code: z.string(), name: z.string() }),
      ),
      total: provisionLineSchema,
    }),
  ),
});
export type ProvisionReport = z.infer<typeof provisionReportSchema>;
