import { z } from 'zod';
import { ATTITUDES, periodRange } from '../targets';
import { decimalAmountSchema } from './approvals';
import { calendarDateSchema, currencySchema, instantSchema, uuidSchema } from './common';

/**
 * Targets, incentives and evaluation (目标化、激励、评估, domain.md §7). Money travels as exact decimal strings in
 * the currency named beside it; rates are basis points (1 bp = 0.01 %), multipliers basis points of 1 (10000 =
 * ×1); a line's effective rate is an exact decimal fraction ("0.008" = 0.8 %). Ratios are fractions (0.75, not 75)
 * and null when their denominator is zero.
 */

/** A target period: a month 'YYYY-MM', a quarter 'YYYY-Qn' or a year 'YYYY'. */
export const targetPeriodSchema = z
  .string()
  .refine((text) => periodRange(text) !== null, 'A period as YYYY-MM, YYYY-Qn or YYYY');
/** Commission statements are monthly. */
export const monthSchema = z
  .string()
  .refine((text) => periodRange(text)?.kind === 'month', 'A month as YYYY-MM');

const bpSchema = z.number().int().min(0).max(100_000);

export const timelinessBandSchema = z.object({
  maxDaysLate: z.number().int().min(0).max(100_000).nullable(),
  multiplierBp: bpSchema,
});

/** The rule set (core/src/commissions.ts explains each rule); bands ascending, the last one open-ended. */
export const commissionRulesSchema = z
  .object({
    baseRateBp: bpSchema,
    timeliness: z.array(timelinessBandSchema).min(1).max(20),
    oldDebt: z.object({ afterAgeDays: z.number().int().min(0).max(100_000), rateBp: bpSchema }).nullable(),
    fullEarlyPayment: z
      .object({ minDaysEarly: z.number().int().min(1).max(100_000), bonusRateBp: bpSchema })
      .nullable(),
    prepayment: z.object({ bonusRateBp: bpSchema }).nullable(),
    notSalesCaused: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('exclude') }),
      z.object({ mode: z.literal('reduce'), multiplierBp: bpSchema }),
    ]),
    overduePenalty: z
      .object({ afterDaysOverdue: z.number().int().min(0).max(100_000), rateBp: bpSchema })
      .nullable(),
  })
  .superRefine((rules, context) => {
    rules.timeliness.forEach((band, index) => {
      const isLast = index === rules.timeliness.length - 1;
      const previous = rules.timeliness[index - 1]?.maxDaysLate;
      if (isLast !== (band.maxDaysLate === null)) {
        context.addIssue({
          code: 'custom',
          path: ['timeliness', index, 'maxDaysLate'],
          message: 'Only the last band is open-ended (null); every other band needs an upper bound',
        });
      } else if (previous !== undefined && previous !== null && band.maxDaysLate !== null) {
        if (band.maxDaysLate <= previous) {
          context.addIssue({
            code: 'custom',
            path: ['timeliness', index, 'maxDaysLate'],
            message: 'Bands must be in ascending order of days late',
          });
        }
      }
    });
  });
export type CommissionRulesBody = z.infer<typeof commissionRulesSchema>;

export const commissionRuleSetRequestSchema = z.object({
  /** The first month the rules apply to; a statement uses the latest version in force for its month. */
  effectiveFrom: monthSchema,
  rules: commissionRulesSchema,
  note: z.string().trim().max(500).optional(),
});

export const commissionRuleSetSchema = z.object({
  id: uuidSchema.nullable().describe('null for the built-in defaults'),
  effectiveFrom: z.string().nullable(),
  rules: commissionRulesSchema,
  note: z.string().nullable(),
  createdByUserId: uuidSchema.nullable(),
  createdAt: instantSchema.nullable(),
});
export type CommissionRuleSet = z.infer<typeof commissionRuleSetSchema>;

export const commissionRuleSetListSchema = z.object({
  /** The rules in force for the month asked for (default: this month). */
  current: commissionRuleSetSchema,
  versions: z.array(commissionRuleSetSchema),
});
export type CommissionRuleSetList = z.infer<typeof commissionRuleSetListSchema>;

export const incentiveSettingsSchema = z.object({
  /** 买卖制: each salesperson answers for 100 % of what they sold; the shortfall counts in their evaluation. */
  accountabilityMode: z.boolean(),
  /** Customers with this tag are key accounts (重点); the rest non-key, for class targets. */
  keyCustomerTag: z.string().trim().min(1).max(50),
});
export type IncentiveSettings = z.infer<typeof incentiveSettingsSchema>;

// ---- Targets (回款目标) ----

export const TARGET_LEVELS = ['organization', 'team', 'salesperson'] as const;
export const targetLevelSchema = z.enum(TARGET_LEVELS);
export const TARGET_MEASURES = ['collection', 'sales'] as const;
export const targetMeasureSchema = z.enum(TARGET_MEASURES);
/** Class keys: product condition (normal/abnormal, from invoice_conditions) and key/non-key customers. */
export const TARGET_CLASSES = ['normal', 'abnormal', 'key', 'non_key'] as const;

export const targetLineInputSchema = z
  .object({
    dimension: z.enum(['class', 'vintage']),
    /** A class (normal, abnormal, key, non_key) or a vintage year ('2024'). */
    key: z.string().trim().min(1).max(20),
    weight: z.number().int().min(0).max(1000),
    amount: decimalAmountSchema,
  })
  .refine(
    (line) =>
      line.dimension === 'class'
        ? (TARGET_CLASSES as readonly string[]).includes(line.key)
        : /^\d{4}$/.test(line.key),
    { message: 'A class is normal, abnormal, key or non_key; a vintage is a year (YYYY)', path: ['key'] },
  );

export const targetRequestSchema = z.object({
  period: targetPeriodSchema,
  measure: targetMeasureSchema.default('collection'),
  level: targetLevelSchema,
  teamId: uuidSchema.nullable().optional(),
  userId: uuidSchema.nullable().optional(),
  amount: decimalAmountSchema,
  /** Default: the organization's base currency. */
  currency: currencySchema.optional(),
  /** Add last period's shortfall (same subject, same measure) to this target. */
  carryShortfall: z.boolean().default(false),
  lines: z.array(targetLineInputSchema).max(40).default([]),
});
export type TargetRequest = z.input<typeof targetRequestSchema>;

export const targetUpdateSchema = z.object({
  amount: decimalAmountSchema.optional(),
  carryShortfall: z.boolean().optional(),
  lines: z.array(targetLineInputSchema).max(40).optional(),
});

export const targetSplitSchema = z.object({
  /** One part per team or salesperson (exactly one of the two), with an integer weight. */
  parts: z
    .array(
      z
        .object({
          teamId: uuidSchema.optional(),
          userId: uuidSchema.optional(),
          weight: z.number().int().min(0).max(1_000_000),
        })
        .refine((part) => (part.teamId === undefined) !== (part.userId === undefined), {
          message: 'Name either teamId or userId',
        }),
    )
    .min(1)
    .max(500),
});
export type TargetSplit = z.infer<typeof targetSplitSchema>;

export const targetLineSchema = z.object({
  dimension: z.enum(['class', 'vintage']),
  key: z.string(),
  weight: z.number(),
  target: decimalAmountSchema,
  collected: decimalAmountSchema,
  completion: z.number().nullable(),
});

export const targetSchema = z.object({
  id: uuidSchema,
  period: z.string(),
  from: calendarDateSchema,
  to: calendarDateSchema,
  measure: targetMeasureSchema,
  level: targetLevelSchema,
  teamId: uuidSchema.nullable(),
  userId: uuidSchema.nullable(),
  name: z.string(),
  parentId: uuidSchema.nullable(),
  currency: z.string(),
  /** The target as set. */
  amount: decimalAmountSchema,
  carryShortfall: z.boolean(),
  /** Last period's shortfall added when carried ("0.00" otherwise). */
  carriedIn: decimalAmountSchema,
  /** amount + carriedIn: what progress is measured against. */
  effectiveTarget: decimalAmountSchema,
  /** Cash collected in the period (or, for a sales target, invoiced), in the target's currency. */
  actual: decimalAmountSchema,
  completion: z.number().nullable(),
  shortfall: decimalAmountSchema,
  /** Completion over class and vintage lines by weight, each line capped at 100 %; null without lines. */
  weightedCompletion: z.number().nullable(),
  lines: z.array(targetLineSchema),
});
export type Target = z.infer<typeof targetSchema>;

export const targetListQuerySchema = z.object({
  period: targetPeriodSchema,
  measure: targetMeasureSchema.optional(),
});
export const targetListSchema = z.object({
  period: z.string(),
  from: calendarDateSchema,
  to: calendarDateSchema,
  items: z.array(targetSchema),
});
export type TargetList = z.infer<typeof targetListSchema>;

// ---- Commission statements (提成结算单) ----

export const commissionLineSchema = z.object({
  lineNo: z.number().int(),
  kind: z.enum(['cash', 'bonus', 'penalty']),
  sourceId: z.string(),
  reasons: z.array(z.string()),
  invoiceId: uuidSchema.nullable(),
  invoiceNumber: z.string().nullable(),
  customerCode: z.string().nullable(),
  customerName: z.string().nullable(),
  /** The receipt's date for cash, the settlement date for a bonus, the reversal's for a clawback. */
  on: calendarDateSchema,
  dueDate: calendarDateSchema.nullable(),
  daysLate: z.number().int().nullable(),
  ageDays: z.number().int().nullable(),
  currency: z.string(),
  base: decimalAmountSchema,
  rate: z.string().describe('exact decimal fraction, "0.008" = 0.8 %'),
  commission: decimalAmountSchema,
});
export type CommissionLineView = z.infer<typeof commissionLineSchema>;

export const commissionTotalsSchema = z.object({
  currency: z.string(),
  collected: decimalAmountSchema,
  commission: decimalAmountSchema,
});

export const commissionStatementSchema = z.object({
  salespersonId: uuidSchema,
  salespersonName: z.string(),
  period: z.string(),
  from: calendarDateSchema,
  to: calendarDateSchema,
  status: z.enum(['draft', 'locked']),
  statementId: uuidSchema.nullable(),
  lockedAt: instantSchema.nullable(),
  lockedByUserId: uuidSchema.nullable(),
  ruleSetId: uuidSchema.nullable(),
  lines: z.array(commissionLineSchema),
  totals: z.array(commissionTotalsSchema),
});
export type CommissionStatement = z.infer<typeof commissionStatementSchema>;

/** The month defaults to the current one in the organization's time zone. */
export const commissionStatementQuerySchema = z.object({ period: monthSchema.optional() });
export const commissionSummaryQuerySchema = z.object({ period: monthSchema });
export const commissionStatementExportQuerySchema = z.object({
  period: monthSchema.optional(),
  format: z.enum(['xlsx', 'pdf']).default('xlsx'),
});
export const commissionLockSchema = z.object({ period: monthSchema });

export const commissionSummarySchema = z.object({
  period: z.string(),
  items: z.array(
    z.object({
      salespersonId: uuidSchema,
      salespersonName: z.string(),
      status: z.enum(['draft', 'locked']),
      lineCount: z.number().int(),
      totals: z.array(commissionTotalsSchema),
    }),
  ),
});
export type CommissionSummary = z.infer<typeof commissionSummarySchema>;

// ---- Evaluation (评估与指导) ----

export const attitudeSchema = z.enum(ATTITUDES);

export const evaluationRowSchema = z.object({
  key: z.string().describe('user or team id'),
  name: z.string(),
  currency: z.string(),
  invoiced: decimalAmountSchema,
  collected: decimalAmountSchema,
  salesTarget: decimalAmountSchema.nullable(),
  collectionTarget: decimalAmountSchema.nullable(),
  /** Against the target, or against the median of the peers when there is none. */
  salesAchievement: z.number().nullable(),
  collectionAchievement: z.number().nullable(),
  achievementBasis: z.enum(['target', 'median']),
  attitude: attitudeSchema.nullable(),
  collectionRate: z.number().nullable(),
  dso: z.number().nullable(),
  overdueShare: z.number().nullable(),
  /** null while promises to pay are not tracked (brokenPromisesTracked false). */
  brokenPromises: z.number().int().nullable(),
  /** 买卖制: what of the period's sales is still not collected; null when the mode is off. */
  accountabilityShortfall: decimalAmountSchema.nullable(),
  rank: z.number().int(),
});
export type EvaluationRow = z.infer<typeof evaluationRowSchema>;

export const evaluationQuerySchema = z.object({ period: targetPeriodSchema });
export const evaluationSchema = z.object({
  period: z.string(),
  from: calendarDateSchema,
  to: calendarDateSchema,
  currency: z.string(),
  accountabilityMode: z.boolean(),
  brokenPromisesTracked: z.boolean(),
  salespeople: z.array(evaluationRowSchema),
  teams: z.array(evaluationRowSchema),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

// ---- Review notes and customer incentives ----

export const reviewNoteRequestSchema = z
  .object({
    userId: uuidSchema.optional(),
    customerId: uuidSchema.optional(),
    period: targetPeriodSchema.optional(),
    body: z.string().trim().min(1).max(4000),
  })
  .refine((note) => (note.userId === undefined) !== (note.customerId === undefined), {
    message: 'A review note is about a salesperson (userId) or a customer case (customerId)',
    path: ['userId'],
  });
export const reviewNoteSchema = z.object({
  id: uuidSchema,
  userId: uuidSchema.nullable(),
  customerId: uuidSchema.nullable(),
  period: z.string().nullable(),
  body: z.string(),
  authorUserId: uuidSchema,
  authorName: z.string(),
  createdAt: instantSchema,
});
export type ReviewNote = z.infer<typeof reviewNoteSchema>;
export const reviewNoteListQuerySchema = z.object({
  userId: uuidSchema.optional(),
  customerId: uuidSchema.optional(),
});
export const reviewNoteListSchema = z.object({ items: z.array(reviewNoteSchema) });

export const customerIncentiveRequestSchema = z
  .object({
    kind: z.enum(['discount', 'service']),
    /** The discount the customer gets when paying by `payBy` (required for a discount). */
    amount: decimalAmountSchema.optional(),
    /** What is offered (e.g. free installation, extended warranty); required for a service. */
    description: z.string().trim().max(500).optional(),
    invoiceId: uuidSchema.optional(),
    payBy: calendarDateSchema,
    reason: z.string().trim().min(1).max(500),
  })
  .refine((input) => input.kind !== 'discount' || input.amount !== undefined, {
    message: 'A discount needs an amount',
    path: ['amount'],
  })
  .refine((input) => input.kind !== 'service' || (input.description ?? '') !== '', {
    message: 'A service needs a description',
    path: ['description'],
  });
export type CustomerIncentiveRequest = z.infer<typeof customerIncentiveRequestSchema>;

export const customerIncentiveSchema = z.object({
  id: uuidSchema,
  customerId: uuidSchema,
  invoiceId: uuidSchema.nullable(),
  kind: z.enum(['discount', 'service']),
  amount: decimalAmountSchema.nullable(),
  currency: z.string().nullable(),
  description: z.string().nullable(),
  payBy: calendarDateSchema,
  approvalRequestId: uuidSchema,
  approvedByUserId: uuidSchema.nullable(),
  createdAt: instantSchema,
});
export const customerIncentiveListSchema = z.object({ items: z.array(customerIncentiveSchema) });
export const customerIncentiveListQuerySchema = z.object({ customerId: uuidSchema.optional() });

/** Whether a debt was not caused by sales (e.g. a product failure): excluded or reduced in commissions. */
export const salesCauseRequestSchema = z.object({
  isNotSalesCaused: z.boolean(),
  reason: z.string().trim().min(1).max(500),
});
export const salesCauseSchema = z.object({
  invoiceId: uuidSchema,
  isNotSalesCaused: z.boolean(),
  effectiveOn: calendarDateSchema.nullable(),
  reason: z.string().nullable(),
});
