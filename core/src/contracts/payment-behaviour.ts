import { z } from 'zod';
import { CREDIT_RATING_RULE_KEYS, CREDIT_RATINGS } from '../credit-rating';
import { calendarDateSchema, pageQuerySchema } from './common';

const decimal = z.string().describe('Exact decimal amount, e.g. "1234.56"');
const days = z
  .number()
  .nullable()
  .describe('Days, amount-weighted, rounded to one decimal; null if nothing paid');

export const creditRatingValueSchema = z.enum(CREDIT_RATINGS);

export const paymentBehaviourQuerySchema = z.object({ asOf: calendarDateSchema.optional() });

export const paymentMetricsSchema = z.object({
  paid: decimal,
  paymentCount: z.number().int(),
  paidInvoiceCount: z.number().int(),
  avgDaysToPay: days,
  avgDaysLate: days,
  shareLate: z
    .number()
    .nullable()
    .describe('Fraction of the paid amount paid after its due date (0.25 = 25%)'),
});
export type PaymentMetricsView = z.infer<typeof paymentMetricsSchema>;

export const paymentTrendMonthSchema = paymentMetricsSchema.extend({
  month: z.string().describe('YYYY-MM'),
});

export const largestOverdueSchema = z.object({
  invoiceId: z.uuid(),
  number: z.string(),
  open: decimal,
  dueDate: calendarDateSchema,
  daysOverdue: z.number().int(),
});

export const paymentBehaviourCurrencySchema = z.object({
  currency: z.string(),
  metrics: paymentMetricsSchema,
  trend: z.array(paymentTrendMonthSchema),
  open: decimal,
  overdue: decimal,
  oldestOverdueDays: z.number().int().nullable(),
  largestOverdue: largestOverdueSchema.nullable(),
});
export type PaymentBehaviourCurrency = z.infer<typeof paymentBehaviourCurrencySchema>;

export const creditRatingReasonSchema = z.object({
  rule: z.enum(CREDIT_RATING_RULE_KEYS),
  currency: z.string().nullable(),
  grade: creditRatingValueSchema.nullable(),
  value: z.number(),
  limit: z.number(),
  isMet: z.boolean(),
});
export type CreditRatingReasonView = z.infer<typeof creditRatingReasonSchema>;

export const creditRatingOverrideSchema = z.object({
  rating: creditRatingValueSchema,
  reason: z.string(),
  setAt: z.string().describe('ISO 8601 instant'),
  setByUserId: z.uuid().nullable(),
  setByName: z.string().nullable(),
});

/** The computed rating (null = unrated) with its reasons, the override if any, and the one that applies. */
export const creditRatingSchema = z.object({
  customerId: z.uuid(),
  asOf: calendarDateSchema,
  computed: creditRatingValueSchema.nullable(),
  reasons: z.array(creditRatingReasonSchema),
  override: creditRatingOverrideSchema.nullable(),
  effective: creditRatingValueSchema.nullable(),
});
export type CreditRatingView = z.infer<typeof creditRatingSchema>;

export const paymentBehaviourSchema = z.object({
  customerId: z.uuid(),
  asOf: calendarDateSchema,
  /** Payments dated from here to asOf count: the twelve calendar months ending with asOf's month. */
  fromDate: calendarDateSchema,
  months: z.array(z.string()),
  /** The customer's own currency first; amounts are never converted between currencies. */
  currencies: z.array(paymentBehaviourCurrencySchema),
  /** Broken promises to pay: not tracked until the collections work lands. Null means "not tracked", never 0. */
  brokenPromises: z.number().int().nullable(),
  rating: creditRatingSchema,
});
export type PaymentBehaviourView = z.infer<typeof paymentBehaviourSchema>;

export const creditRatingOverrideRequestSchema = z.object({
  rating: creditRatingValueSchema,
  reason: z.string().trim().min(1).max(500),
});
export type CreditRatingOverrideRequest = z.infer<typeof creditRatingOverrideRequestSchema>;

export const CREDIT_RATING_FILTERS = [...CREDIT_RATINGS, 'unrated'] as const;

export const creditRatingsQuerySchema = pageQuerySchema.extend({
  asOf: calendarDateSchema.optional(),
  /** The effective rating to list; "unrated" lists customers with neither a computed rating nor an override. */
  rating: z.enum(CREDIT_RATING_FILTERS).optional(),
});

export const creditRatingListItemSchema = z.object({
  customerId: z.uuid(),
  code: z.string(),
  name: z.string(),
  ownerUserId: z.uuid().nullable(),
  computed: creditRatingValueSchema.nullable(),
  override: creditRatingValueSchema.nullable(),
  effective: creditRatingValueSchema.nullable(),
});
export type CreditRatingListItem = z.infer<typeof creditRatingListItemSchema>;

export const creditRatingPageSchema = z.object({
  asOf: calendarDateSchema,
  items: z.array(creditRatingListItemSchema),
  nextCursor: z.string().nullable(),
});
