import { z } from 'zod';
import { decimalAmountSchema } from './approvals';
import {
  queryBooleanSchema,
  calendarDateSchema,
  currencySchema,
  instantSchema,
  pageOf,
  pageQuerySchema,
  uuidSchema,
} from './common';

/**
 * Receipts (回款), allocations (核销), claims (回款认领), balances as of a date and the customer ledger.
 * Money travels as exact decimal strings in the document's currency; dates are 'YYYY-MM-DD'.
 */

/** Methods a person may record. offset (三角债) and goods_settlement (以货抵债) come only from an approval. */
export const RECORDABLE_RECEIPT_METHODS = [
  'bank_transfer',
  'wechat_pay',
  'alipay',
  'card_pos',
  'cheque',
  'cash',
  'online',
  'prepayment_balance',
] as const;
export const RECEIPT_METHODS = [...RECORDABLE_RECEIPT_METHODS, 'offset', 'goods_settlement'] as const;
export const recordableReceiptMethodSchema = z.enum(RECORDABLE_RECEIPT_METHODS);
export const receiptMethodSchema = z.enum(RECEIPT_METHODS);
export type ReceiptMethod = z.infer<typeof receiptMethodSchema>;

/** pending → confirmed (locked) → reversed (a reversal row, never an edit). */
export const RECEIPT_STATUSES = ['pending', 'confirmed', 'reversed'] as const;
export const receiptStatusSchema = z.enum(RECEIPT_STATUSES);

/** Dates in responses: 'YYYY-MM-DD' as stored (requests validate with calendarDateSchema). */
const dateTextSchema = z.string().describe('Business date YYYY-MM-DD');
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const reasonSchema = z.string().trim().min(1).max(500);

export const createReceiptRequestSchema = z.object({
  /** Null or absent puts the receipt in the claim pool (finance and admins only). */
  customerId: uuidSchema.nullable().optional(),
  receivedOn: calendarDateSchema,
  amount: decimalAmountSchema,
  currency: currencySchema,
  method: recordableReceiptMethodSchema,
  payerName: optionalText(200),
  payerAccount: optionalText(100),
  bankReference: optionalText(100),
  notes: optionalText(2000),
});
export type CreateReceiptRequest = z.input<typeof createReceiptRequestSchema>;

/** Only a pending receipt may change. */
export const updateReceiptRequestSchema = createReceiptRequestSchema.partial();

export const receiptReversalSchema = z.object({
  reversedOn: dateTextSchema,
  reason: z.string(),
  reversedByUserId: uuidSchema.nullable(),
  createdAt: instantSchema,
});

export const receiptSchema = z.object({
  id: uuidSchema,
  customerId: uuidSchema.nullable(),
  customerCode: z.string().nullable(),
  customerName: z.string().nullable(),
  receivedOn: dateTextSchema,
  amount: decimalAmountSchema,
  currency: z.string(),
  method: receiptMethodSchema,
  payerName: z.string().nullable(),
  payerAccount: z.string().nullable(),
  bankReference: z.string().nullable(),
  notes: z.string().nullable(),
  status: receiptStatusSchema,
  /** Net of reversals: what the receipt has applied to invoices and plan nodes. */
  allocated: decimalAmountSchema,
  /** What is left to apply (on account); zero for a pending or reversed receipt. */
  unapplied: decimalAmountSchema,
  confirmedByUserId: uuidSchema.nullable(),
  confirmedAt: instantSchema.nullable(),
  createdByUserId: uuidSchema.nullable(),
  createdAt: instantSchema,
  reversal: receiptReversalSchema.nullable(),
});
export type Receipt = z.infer<typeof receiptSchema>;

export const allocationSchema = z.object({
  id: uuidSchema,
  receiptId: uuidSchema,
  invoiceId: uuidSchema.nullable(),
  invoiceNumber: z.string().nullable(),
  planNodeId: uuidSchema.nullable(),
  /** Set on a recovery: the write-off this money pays, and its number. */
  writeOffId: uuidSchema.nullable(),
  writeOffNumber: z.string().nullable(),
  /** Negative for a reversal row. */
  amount: decimalAmountSchema,
  currency: z.string(),
  allocatedOn: dateTextSchema,
  reversesAllocationId: uuidSchema.nullable(),
  reversedByAllocationId: uuidSchema.nullable(),
  reason: z.string().nullable(),
  createdByUserId: uuidSchema.nullable(),
  createdAt: instantSchema,
});
export type Allocation = z.infer<typeof allocationSchema>;

export const receiptDetailSchema = receiptSchema.extend({ allocations: z.array(allocationSchema) });
export type ReceiptDetail = z.infer<typeof receiptDetailSchema>;

export const receiptListQuerySchema = pageQuerySchema.extend({
  customerId: uuidSchema.optional(),
  status: receiptStatusSchema.optional(),
  method: receiptMethodSchema.optional(),
  receivedFrom: calendarDateSchema.optional(),
  receivedTo: calendarDateSchema.optional(),
  /** Confirmed, unreversed receipts with something left to apply. */
  unallocatedOnly: queryBooleanSchema,
  /** The claim pool: receipts without a customer. */
  pool: queryBooleanSchema,
});
export const receiptPageSchema = pageOf(receiptSchema);

/** One part of a split: an invoice, a plan node, or an invoice and the node it belongs to. */
export const allocationLineInputSchema = z
  .object({
    invoiceId: uuidSchema.optional(),
    planNodeId: uuidSchema.optional(),
    amount: decimalAmountSchema,
  })
  .refine((line) => line.invoiceId !== undefined || line.planNodeId !== undefined, {
    message: 'Name an invoiceId, a planNodeId or both',
    path: ['invoiceId'],
  });
export type AllocationLineInput = z.infer<typeof allocationLineInputSchema>;

export const allocateReceiptRequestSchema = z.object({
  /** Defaults to today in the organization's time zone; the allocation counts from this date. */
  allocatedOn: calendarDateSchema.optional(),
  lines: z.array(allocationLineInputSchema).min(1).max(200),
});

export const autoAllocateRequestSchema = z.object({ allocatedOn: calendarDateSchema.optional() }).default({});

export const reverseAllocationRequestSchema = z.object({
  reversedOn: calendarDateSchema.optional(),
  reason: reasonSchema,
});

export const reverseReceiptRequestSchema = z.object({
  reversedOn: calendarDateSchema.optional(),
  reason: reasonSchema,
});

/** Claims (回款认领). */
export const CLAIM_STATUSES = ['pending', 'confirmed', 'rejected'] as const;
export const claimStatusSchema = z.enum(CLAIM_STATUSES);

export const createClaimRequestSchema = z.object({
  customerId: uuidSchema,
  evidence: z.string().trim().min(1).max(2000),
  split: z.array(allocationLineInputSchema).max(200).default([]),
});

export const claimSplitLineSchema = z.object({
  invoiceId: uuidSchema.nullable(),
  planNodeId: uuidSchema.nullable(),
  amount: decimalAmountSchema,
});

export const claimSchema = z.object({
  id: uuidSchema,
  receiptId: uuidSchema,
  customerId: uuidSchema,
  customerCode: z.string(),
  customerName: z.string(),
  claimantUserId: uuidSchema,
  evidence: z.string().nullable(),
  split: z.array(claimSplitLineSchema),
  status: claimStatusSchema,
  receivedOn: dateTextSchema,
  amount: decimalAmountSchema,
  currency: z.string(),
  payerName: z.string().nullable(),
  bankReference: z.string().nullable(),
  decidedByUserId: uuidSchema.nullable(),
  decidedAt: instantSchema.nullable(),
  decisionComment: z.string().nullable(),
  createdAt: instantSchema,
});
export type Claim = z.infer<typeof claimSchema>;

export const claimListQuerySchema = pageQuerySchema.extend({
  status: claimStatusSchema.optional(),
  receiptId: uuidSchema.optional(),
});
export const claimPageSchema = pageOf(claimSchema);

export const confirmClaimRequestSchema = z.object({ allocatedOn: calendarDateSchema.optional() }).default({});
export const rejectClaimRequestSchema = z.object({ comment: z.string().trim().min(1).max(1000) });

/** Offsets between customers (三角债) and settlement in goods (以货抵债): requested here, effective once approved. */
export const offsetRequestSchema = z.object({
  amount: decimalAmountSchema,
  reason: z.string().trim().min(1).max(1000),
  counterparty: z.string().trim().min(1).max(500),
  settledOn: calendarDateSchema.optional(),
});
export const goodsSettlementRequestSchema = z.object({
  amount: decimalAmountSchema,
  reason: z.string().trim().min(1).max(1000),
  goodsDescription: z.string().trim().min(1).max(1000),
  settledOn: calendarDateSchema.optional(),
});

/** Balances as of a date. */
export const asOfQuerySchema = z.object({ asOf: calendarDateSchema.optional() });

export const currencyBalanceSchema = z.object({
  currency: z.string(),
  openInvoices: decimalAmountSchema,
  unappliedCredit: decimalAmountSchema,
  /** Open invoices less unapplied credit: what the customer owes net (negative when in credit). */
  balance: decimalAmountSchema,
});

export const customerBalanceSchema = z.object({
  customerId: uuidSchema,
  code: z.string(),
  name: z.string(),
  asOf: dateTextSchema,
  /** One entry per currency the customer has records in; empty when it has none. */
  balances: z.array(currencyBalanceSchema),
});
export type CustomerBalanceView = z.infer<typeof customerBalanceSchema>;

export const customerBalanceListQuerySchema = pageQuerySchema.extend({
  asOf: calendarDateSchema.optional(),
});
export const customerBalancePageSchema = pageOf(customerBalanceSchema);

export const LEDGER_ENTRY_KINDS = [
  'invoice',
  'credit_note',
  'invoice_void',
  'receipt',
  'receipt_reversal',
  'allocation',
  'allocation_reversal',
  'write_off',
  'write_off_recovery',
  'write_off_recovery_reversal',
] as const;

export const ledgerEntrySchema = z.object({
  date: dateTextSchema,
  kind: z.enum(LEDGER_ENTRY_KINDS),
  /** The row itself: invoice, credit note, receipt or allocation (a void or reversal carries its parent's id). */
  entryId: uuidSchema,
  invoiceId: uuidSchema.nullable(),
  receiptId: uuidSchema.nullable(),
  reference: z.string().nullable(),
  currency: z.string(),
  /** The document's own amount (an allocation reversal's is negative). */
  amount: decimalAmountSchema,
  /** How much it moved the customer's balance: + owes more, − owes less; allocations move nothing. */
  balanceEffect: decimalAmountSchema,
  /** The customer's balance in this currency after the entry. */
  runningBalance: decimalAmountSchema,
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const customerLedgerQuerySchema = z.object({
  from: calendarDateSchema.optional(),
  to: calendarDateSchema.optional(),
});

export const customerLedgerSchema = z.object({
  customerId: uuidSchema,
  from: dateTextSchema.nullable(),
  to: dateTextSchema,
  opening: z.array(z.object({ currency: z.string(), balance: decimalAmountSchema })),
  closing: z.array(z.object({ currency: z.string(), balance: decimalAmountSchema })),
  entries: z.array(ledgerEntrySchema),
  /** Set when the period holds more entries than one answer carries; narrow from/to to see the rest. */
  isTruncated: z.boolean(),
});
export type CustomerLedger = z.infer<typeof customerLedgerSchema>;
