import { z } from 'zod';
import { instantSchema, pageOf, pageQuerySchema, uuidSchema } from './common';

export const APPROVAL_KINDS = [
  'write_off',
  'discount_waiver',
  'offset',
  'goods_settlement',
  'credit_note',
  'credit_override',
  'customer_incentive',
  'lawyer_letter',
] as const;
export const approvalKindSchema = z.enum(APPROVAL_KINDS);
export type ApprovalKind = z.infer<typeof approvalKindSchema>;
export const approvalStatusSchema = z.enum(['pending', 'approved', 'rejected', 'cancelled']);

/** Exact decimal money in JSON: "1234.56". */
export const decimalAmountSchema = z.string().regex(/^-?\d+(\.\d+)?$/, 'A decimal amount such as 1234.56');

export const approvalRequestSchema = z.object({
  id: uuidSchema,
  kind: approvalKindSchema,
  status: approvalStatusSchema,
  subjectType: z.string(),
  subjectId: uuidSchema,
  customerId: uuidSchema.nullable(),
  amount: decimalAmountSchema.nullable(),
  currency: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  reason: z.string(),
  requestedByUserId: uuidSchema,
  decidedByUserId: uuidSchema.nullable(),
  decidedAt: instantSchema.nullable(),
  decisionComment: z.string().nullable(),
  createdAt: instantSchema,
});
export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;

export const approvalListQuerySchema = pageQuerySchema.extend({
  status: approvalStatusSchema.optional(),
  kind: approvalKindSchema.optional(),
  customerId: uuidSchema.optional(),
});
export const approvalPageSchema = pageOf(approvalRequestSchema);

export const approvalDecisionSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().trim().max(1000).optional(),
});
