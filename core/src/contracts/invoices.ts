import { z } from 'zod';
import { decimalAmountSchema } from './approvals';
import { calendarDateSchema, instantSchema, pageOf, pageQuerySchema, uuidSchema } from './common';

/** Dates in responses are plain 'YYYY-MM-DD' text; requests validate them with calendarDateSchema. */
const businessDateTextSchema = z.string().describe('YYYY-MM-DD');

/** Invoices (发票/账单), their credit notes (红字冲销), voids, waivers (减免) and invoice requests (开票申请). */

/** Up to 12 whole digits and 4 decimals, as the invoice_lines.quantity column stores it. */
export const quantitySchema = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,4})?$/, 'A quantity such as 3 or 1.2345 (at most 4 decimals)');

export const invoiceLineInputSchema = z.object({
  description: z.string().trim().min(1).max(500),
  quantity: quantitySchema,
  unitPrice: decimalAmountSchema,
  /** Basis points: 1300 = 13 % VAT. */
  taxRateBp: z.number().int().min(0).max(10_000),
});
export type InvoiceLineInput = z.infer<typeof invoiceLineInputSchema>;

const invoiceContentFields = {
  number: z.string().trim().min(1).max(64),
  invoiceDate: calendarDateSchema,
  /** Defaults to the invoice date plus the contract's (or else the customer's) payment terms. */
  dueDate: calendarDateSchema.optional(),
  /** Either lines, or one amount (a single line without tax). */
  lines: z.array(invoiceLineInputSchema).min(1).max(500).optional(),
  amount: decimalAmountSchema.optional(),
  description: z.string().trim().min(1).max(500).optional(),
  notes: z.string().trim().max(4000).nullable().optional(),
};

export const createInvoiceRequestSchema = z.object({
  customerId: uuidSchema,
  contractId: uuidSchema.nullable().optional(),
  planNodeId: uuidSchema.nullable().optional(),
  /** An approved 开票申请 this invoice fulfils; it is marked issued when the invoice is. */
  invoiceRequestId: uuidSchema.nullable().optional(),
  ...invoiceContentFields,
});
export type CreateInvoiceRequest = z.input<typeof createInvoiceRequestSchema>;

/** A draft's content may change; its customer may not (create another draft instead). */
export const updateInvoiceRequestSchema = z.object({
  contractId: uuidSchema.nullable().optional(),
  planNodeId: uuidSchema.nullable().optional(),
  number: invoiceContentFields.number.optional(),
  invoiceDate: calendarDateSchema.optional(),
  dueDate: calendarDateSchema.optional(),
  lines: invoiceContentFields.lines,
  amount: decimalAmountSchema.optional(),
  description: invoiceContentFields.description,
  notes: invoiceContentFields.notes,
});

export const issueInvoiceRequestSchema = z
  .object({ invoiceRequestId: uuidSchema.nullable().optional() })
  .default({});

export const voidInvoiceRequestSchema = z.object({
  voidedOn: calendarDateSchema.optional(),
  reason: z.string().trim().min(1).max(500),
});

export const createCreditNoteRequestSchema = z.object({
  number: z.string().trim().min(1).max(64),
  amount: decimalAmountSchema,
  issuedOn: calendarDateSchema.optional(),
  reason: z.string().trim().min(1).max(500),
});

export const waiverRequestSchema = z.object({
  amount: decimalAmountSchema,
  reason: z.string().trim().min(1).max(500),
});

/** 正常/不正常 from a date on (seed 004); the aging report can split by it (view=condition). */
export const productConditionRequestSchema = z.object({
  condition: z.enum(['normal', 'abnormal']),
  effectiveOn: calendarDateSchema.optional(),
  reason: z.string().trim().min(1).max(500),
});
export const productConditionEntrySchema = z.object({
  id: uuidSchema,
  condition: z.enum(['normal', 'abnormal']),
  effectiveOn: businessDateTextSchema,
  reason: z.string(),
  notedByUserId: uuidSchema.nullable(),
  createdAt: instantSchema,
});
export type ProductConditionEntry = z.infer<typeof productConditionEntrySchema>;
/** The condition today and every recorded change, newest first. */
export const productConditionHistorySchema = z.object({
  current: z.enum(['normal', 'abnormal']),
  entries: z.array(productConditionEntrySchema),
});
export type ProductConditionHistory = z.infer<typeof productConditionHistorySchema>;

export const INVOICE_STATUSES = ['draft', 'issued', 'partially_paid', 'paid', 'void'] as const;
export const invoiceStatusSchema = z.enum(INVOICE_STATUSES);

export const invoiceLineSchema = z.object({
  lineNo: z.number().int(),
  description: z.string(),
  quantity: z.string(),
  unitPrice: decimalAmountSchema,
  taxRateBp: z.number().int(),
  amount: decimalAmountSchema,
  tax: decimalAmountSchema,
});

export const creditNoteSchema = z.object({
  id: uuidSchema,
  invoiceId: uuidSchema,
  number: z.string(),
  amount: decimalAmountSchema,
  currency: z.string(),
  issuedOn: businessDateTextSchema,
  reason: z.string(),
  status: z.enum(['pending_approval', 'posted', 'rejected']),
  /** A write-off (坏账核销) is charged to the bad-debt provision; a credit note reduces the sale itself. */
  kind: z.enum(['credit_note', 'write_off']),
  approvalRequestId: uuidSchema.nullable(),
  createdByUserId: uuidSchema.nullable(),
  createdAt: instantSchema,
});
export type CreditNote = z.infer<typeof creditNoteSchema>;

export const invoiceVoidSchema = z.object({
  voidedOn: businessDateTextSchema,
  reason: z.string(),
  voidedByUserId: uuidSchema.nullable(),
  createdAt: instantSchema,
});

export const invoiceSchema = z.object({
  id: uuidSchema,
  number: z.string(),
  customerId: uuidSchema,
  customerCode: z.string(),
  customerName: z.string(),
  contractId: uuidSchema.nullable(),
  planNodeId: uuidSchema.nullable(),
  invoiceDate: businessDateTextSchema,
  dueDate: businessDateTextSchema,
  currency: z.string(),
  subtotal: decimalAmountSchema,
  tax: decimalAmountSchema,
  total: decimalAmountSchema,
  /** The stored state: draft or issued (posted). */
  postingStatus: z.enum(['draft', 'issued']),
  /** Derived as of `asOf`: draft / issued / partially_paid / paid / void. */
  status: invoiceStatusSchema,
  asOf: businessDateTextSchema,
  /** Open balance as of `asOf`; null for a draft, which owes nothing yet. */
  open: decimalAmountSchema.nullable(),
  credited: decimalAmountSchema,
  allocated: decimalAmountSchema,
  isOverdue: z.boolean(),
  issuedAt: instantSchema.nullable(),
  issuedByUserId: uuidSchema.nullable(),
  notes: z.string().nullable(),
  createdAt: instantSchema,
});
export type Invoice = z.infer<typeof invoiceSchema>;

export const invoiceDetailSchema = invoiceSchema.extend({
  lines: z.array(invoiceLineSchema),
  creditNotes: z.array(creditNoteSchema),
  void: invoiceVoidSchema.nullable(),
});
export type InvoiceDetail = z.infer<typeof invoiceDetailSchema>;

export const invoiceDetailQuerySchema = z.object({ asOf: calendarDateSchema.optional() });

export const invoiceListQuerySchema = pageQuerySchema.extend({
  search: z.string().trim().max(100).optional(),
  customerId: uuidSchema.optional(),
  contractId: uuidSchema.optional(),
  status: z.enum(['draft', 'issued', 'void']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  dueFrom: calendarDateSchema.optional(),
  dueTo: calendarDateSchema.optional(),
});
export const invoicePageSchema = pageOf(invoiceSchema);

export const INVOICE_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'issued'] as const;

export const createInvoiceRequestRequestSchema = z.object({
  customerId: uuidSchema,
  contractId: uuidSchema.nullable().optional(),
  planNodeId: uuidSchema.nullable().optional(),
  amount: decimalAmountSchema,
  notes: z.string().trim().max(4000).nullable().optional(),
});

export const invoiceRequestDecisionSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().trim().max(1000).optional(),
});

export const invoiceRequestSchema = z.object({
  id: uuidSchema,
  customerId: uuidSchema,
  contractId: uuidSchema.nullable(),
  planNodeId: uuidSchema.nullable(),
  amount: decimalAmountSchema,
  currency: z.string(),
  notes: z.string().nullable(),
  status: z.enum(INVOICE_REQUEST_STATUSES),
  invoiceId: uuidSchema.nullable(),
  requestedByUserId: uuidSchema,
  decidedByUserId: uuidSchema.nullable(),
  decidedAt: instantSchema.nullable(),
  decisionComment: z.string().nullable(),
  createdAt: instantSchema,
});
export type InvoiceRequest = z.infer<typeof invoiceRequestSchema>;

export const invoiceRequestListQuerySchema = pageQuerySchema.extend({
  status: z.enum(INVOICE_REQUEST_STATUSES).optional(),
  customerId: uuidSchema.optional(),
});
export const invoiceRequestPageSchema = pageOf(invoiceRequestSchema);
