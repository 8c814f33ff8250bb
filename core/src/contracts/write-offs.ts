import { z } from 'zod';
import { decimalAmountSchema } from './approvals';
import {
  calendarDateSchema,
  instantSchema,
  pageOf,
  pageQuerySchema,
  queryBooleanSchema,
  uuidSchema,
} from './common';

/**
 * Write-offs (坏账核销) and recoveries of written-off money (已核销坏账收回). A write-off is requested on an invoice,
 * takes effect only once approved, and closes that much of the invoice; money the customer pays later is applied to
 * the write-off, never back onto the invoice.
 */

export const writeOffRequestSchema = z.object({
  amount: decimalAmountSchema,
  reason: z.string().trim().min(1).max(500),
});

export const writeOffSchema = z.object({
  id: uuidSchema,
  number: z.string(),
  invoiceId: uuidSchema,
  invoiceNumber: z.string(),
  customerId: uuidSchema,
  customerCode: z.string(),
  customerName: z.string(),
  currency: z.string(),
  writtenOffOn: z.string().describe('YYYY-MM-DD'),
  amount: decimalAmountSchema,
  /** Recovered so far (net of reversed recoveries). */
  recovered: decimalAmountSchema,
  /** Still written off: amount − recovered. */
  outstanding: decimalAmountSchema,
  reason: z.string(),
  approvalRequestId: uuidSchema.nullable(),
  createdAt: instantSchema,
});
export type WriteOff = z.infer<typeof writeOffSchema>;

export const writeOffListQuerySchema = pageQuerySchema.extend({
  customerId: uuidSchema.optional(),
  /** Written off on or after / on or before. */
  from: calendarDateSchema.optional(),
  to: calendarDateSchema.optional(),
  /** Only write-offs with something left to recover. */
  outstandingOnly: queryBooleanSchema,
});
export const writeOffPageSchema = pageOf(writeOffSchema);

export const recoveryRequestSchema = z.object({
  receiptId: uuidSchema,
  amount: decimalAmountSchema,
  /** Defaults to today; on or after both the write-off and the receipt. */
  recoveredOn: calendarDateSchema.optional(),
});
