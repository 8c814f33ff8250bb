import { z } from 'zod';
import { CREDIT_HOLD_CAUSES } from '../credit';
import { decimalAmountSchema } from './approvals';
import { calendarDateSchema, instantSchema, pageOf, pageQuerySchema, uuidSchema } from './common';

/** 信用控制: limits, exposure, holds (停止供货), overrides and disputes. Rules in core/src/credit.ts. */

export const creditHoldCauseSchema = z.enum(CREDIT_HOLD_CAUSES);

const nonNegativeDecimal = z.string().regex(/^\d+(\.\d+)?$/, 'A non-negative decimal amount such as 1234.56');

/** The organization's credit rules; the dispute threshold is in `disputeHoldCurrency` (the base currency). */
export const creditSettingsSchema = z.object({
  warningBp: z.number().int().min(1).max(10_000),
  overdueHoldDays: z.number().int().min(0).max(3650),
  disputeHoldThreshold: nonNegativeDecimal,
  disputeHoldCurrency: z.string(),
});
export type CreditSettingsBody = z.infer<typeof creditSettingsSchema>;

export const updateCreditSettingsRequestSchema = creditSettingsSchema.omit({ disputeHoldCurrency: true });
export type UpdateCreditSettingsRequest = z.infer<typeof updateCreditSettingsRequestSchema>;

/** Sets (a decimal in the customer's currency) or removes (null) the limit; the reason goes into the audit log. */
export const setCreditLimitRequestSchema = z.object({
  limit: nonNegativeDecimal.nullable(),
  reason: z.string().trim().max(500).optional(),
});
export type SetCreditLimitRequest = z.infer<typeof setCreditLimitRequestSchema>;

export const creditExposureSchema = z.object({
  /** Open balances of issued, unvoided invoices (the ledger's open receivables). */
  openReceivables: decimalAmountSchema,
  /** Plan nodes of active contracts not yet invoiced. */
  unbilledPlanNodes: decimalAmountSchema,
  /** The rest of active contracts' amounts, neither invoiced nor in a plan node. */
  uninvoicedContracts: decimalAmountSchema,
  total: decimalAmountSchema,
});

export const creditOverrideSchema = z.object({
  id: uuidSchema,
  approvalRequestId: uuidSchema,
  amount: decimalAmountSchema,
  currency: z.string(),
  validUntil: calendarDateSchema,
  reason: z.string(),
  requestedByUserId: uuidSchema,
  approvedByUserId: uuidSchema.nullable(),
  approvedAt: instantSchema,
  isActive: z.boolean(),
});
export type CreditOverride = z.infer<typeof creditOverrideSchema>;

export const CREDIT_HOLD_EVENTS = ['placed', 'released', 'changed'] as const;
export const CREDIT_EVALUATION_SOURCES = ['write', 'refused_write', 'view', 'list', 'sweep'] as const;

export const creditHoldEventSchema = z.object({
  id: uuidSchema,
  event: z.enum(CREDIT_HOLD_EVENTS),
  causes: z.array(creditHoldCauseSchema),
  previousCauses: z.array(creditHoldCauseSchema),
  exposure: decimalAmountSchema,
  limit: decimalAmountSchema.nullable(),
  currency: z.string(),
  oldestOverdueDays: z.number().int().nullable(),
  source: z.enum(CREDIT_EVALUATION_SOURCES),
  evaluatedOn: calendarDateSchema,
  actorUserId: uuidSchema.nullable(),
  occurredAt: instantSchema,
});
export type CreditHoldEvent = z.infer<typeof creditHoldEventSchema>;

/** One customer's credit position as of today, in the credit currency (the limit's, else the customer's). */
export const customerCreditSchema = z.object({
  customerId: uuidSchema,
  asOf: calendarDateSchema,
  currency: z.string(),
  limit: decimalAmountSchema.nullable(),
  exposure: creditExposureSchema,
  /** Currencies with exposure that is not in `currency`: listed, never converted or counted. */
  otherCurrencies: z.array(z.string()),
  /** Exposure ÷ limit as a fraction (0.85); null without a limit. */
  shareOfLimit: z.number().nullable(),
  warningThreshold: decimalAmountSchema.nullable(),
  isWarning: z.boolean(),
  isOnHold: z.boolean(),
  causes: z.array(creditHoldCauseSchema),
  /** On hold, but an approved override lets blocked writes through (within its amount, until its date). */
  isOverridden: z.boolean(),
  effectiveLimit: decimalAmountSchema.nullable(),
  oldestOverdueDays: z.number().int().nullable(),
  openDisputes: decimalAmountSchema,
  holdSince: instantSchema.nullable(),
  settings: creditSettingsSchema,
  overrides: z.array(creditOverrideSchema),
  events: z.array(creditHoldEventSchema),
});
export type CustomerCredit = z.infer<typeof customerCreditSchema>;

export const creditHoldsQuerySchema = pageQuerySchema.extend({
  /** hold: customers on hold; warning: warned but not on hold; any: both. */
  status: z.enum(['hold', 'warning', 'any']).default('any'),
});
export type CreditHoldsQuery = z.infer<typeof creditHoldsQuerySchema>;

export const creditHoldRowSchema = z.object({
  customerId: uuidSchema,
  code: z.string(),
  name: z.string(),
  ownerUserId: uuidSchema.nullable(),
  currency: z.string(),
  limit: decimalAmountSchema.nullable(),
  exposure: decimalAmountSchema,
  shareOfLimit: z.number().nullable(),
  isOnHold: z.boolean(),
  isWarning: z.boolean(),
  isOverridden: z.boolean(),
  causes: z.array(creditHoldCauseSchema),
  oldestOverdueDays: z.number().int().nullable(),
  openDisputes: decimalAmountSchema,
});
export type CreditHoldRow = z.infer<typeof creditHoldRowSchema>;

export const creditHoldsPageSchema = pageOf(creditHoldRowSchema).extend({
  asOf: calendarDateSchema,
  /** Over every customer in scope, whatever the page: for the dashboard's counts. */
  summary: z.object({ onHold: z.number().int(), warning: z.number().int(), overridden: z.number().int() }),
});
export type CreditHoldsPage = z.infer<typeof creditHoldsPageSchema>;

/** A salesperson asks finance to let writes through for a customer on hold (approval kind credit_override). */
export const creditOverrideRequestSchema = z.object({
  /** Extra exposure allowed above the limit; "0" lifts only the overdue and dispute holds. */
  amount: nonNegativeDecimal,
  validUntil: calendarDateSchema,
  reason: z.string().trim().min(1).max(1000),
});
export type CreditOverrideRequest = z.input<typeof creditOverrideRequestSchema>;

export const creditSweepResultSchema = z.object({
  asOf: calendarDateSchema,
  evaluated: z.number().int(),
  onHold: z.number().int(),
  warning: z.number().int(),
  placed: z.number().int(),
  released: z.number().int(),
  changed: z.number().int(),
});
export type CreditSweepResult = z.infer<typeof creditSweepResultSchema>;

export const DISPUTE_REASON_CODES = [
  'quality',
  'quantity',
  'price',
  'delivery',
  'contract_terms',
  'duplicate_billing',
  'other',
] as const;
export const disputeReasonCodeSchema = z.enum(DISPUTE_REASON_CODES);
export const DISPUTE_STATUSES = ['open', 'resolved_valid', 'resolved_invalid', 'withdrawn'] as const;
export const disputeStatusSchema = z.enum(DISPUTE_STATUSES);

export const createDisputeRequestSchema = z.object({
  customerId: uuidSchema,
  invoiceId: uuidSchema.nullable().optional(),
  amount: decimalAmountSchema,
  reasonCode: disputeReasonCodeSchema,
  description: z.string().trim().max(4000).optional(),
  ownerUserId: uuidSchema.nullable().optional(),
  openedOn: calendarDateSchema.optional(),
});
export type CreateDisputeRequest = z.input<typeof createDisputeRequestSchema>;

export const resolveDisputeRequestSchema = z.object({
  outcome: z.enum(['resolved_valid', 'resolved_invalid', 'withdrawn']),
  resolvedOn: calendarDateSchema.optional(),
  note: z.string().trim().max(4000).optional(),
});
export type ResolveDisputeRequest = z.input<typeof resolveDisputeRequestSchema>;

export const disputeSchema = z.object({
  id: uuidSchema,
  customerId: uuidSchema,
  invoiceId: uuidSchema.nullable(),
  invoiceNumber: z.string().nullable(),
  amount: decimalAmountSchema,
  currency: z.string(),
  reasonCode: disputeReasonCodeSchema,
  description: z.string().nullable(),
  ownerUserId: uuidSchema.nullable(),
  status: disputeStatusSchema,
  openedOn: calendarDateSchema,
  resolvedOn: calendarDateSchema.nullable(),
  resolutionNote: z.string().nullable(),
  createdByUserId: uuidSchema.nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type Dispute = z.infer<typeof disputeSchema>;

export const disputeListQuerySchema = pageQuerySchema.extend({
  customerId: uuidSchema.optional(),
  status: disputeStatusSchema.optional(),
});
export type DisputeListQuery = z.infer<typeof disputeListQuerySchema>;
export const disputePageSchema = pageOf(disputeSchema);

/**
 * 复制合同: a new contract with the source's terms and plan under a new number, signed on `signedOn` (default
 * today). It is a new contract for the customer, so it passes the same credit check as creating one.
 */
export const copyContractRequestSchema = z.object({
  number: z.string().trim().min(1).max(64),
  signedOn: calendarDateSchema.optional(),
  title: z.string().trim().max(200).optional(),
});
export type CopyContractRequest = z.input<typeof copyContractRequestSchema>;
