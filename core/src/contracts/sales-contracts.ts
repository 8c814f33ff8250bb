import { z } from 'zod';
import { decimalAmountSchema } from './approvals';
import {
  calendarDateSchema,
  currencySchema,
  instantSchema,
  pageOf,
  pageQuerySchema,
  uuidSchema,
} from './common';

/** Dates in responses are plain 'YYYY-MM-DD' text; requests validate them with calendarDateSchema. */
const businessDateTextSchema = z.string().describe('YYYY-MM-DD');

/** Contracts (合同) and their payment plans (回款计划). Money travels as exact decimal strings. */

export const DUE_TRIGGERS = ['fixed_date', 'on_signing', 'on_delivery', 'on_acceptance'] as const;
export const dueTriggerSchema = z.enum(DUE_TRIGGERS);
export type DueTrigger = z.infer<typeof dueTriggerSchema>;

export const SALES_CONTRACT_STATUSES = ['active', 'closed', 'cancelled'] as const;
export const salesContractStatusSchema = z.enum(SALES_CONTRACT_STATUSES);

/** 未到期 / 部分回款 / 已完成 / 已逾期, derived from allocations and dates. */
export const planNodeStatusSchema = z.enum(['not_due', 'partially_received', 'completed', 'overdue']);

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

/**
 * One node of a plan: a fixed amount or a share of the contract in basis points (3000 = 30 %), due on a fixed
 * date or a number of days after signing, delivery or acceptance. The nodes' order in the array is their seq.
 */
export const planNodeInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    amount: decimalAmountSchema.optional(),
    percentageBp: z.number().int().min(1).max(10_000).optional(),
    dueTrigger: dueTriggerSchema,
    dueDate: calendarDateSchema.optional(),
    offsetDays: z.number().int().min(0).max(3650).default(0),
    method: optionalText(100),
    responsibleUserId: uuidSchema.nullable().optional(),
    acceptorName: optionalText(100),
    acceptanceCriteria: optionalText(2000),
  })
  .superRefine((node, ctx) => {
    if ((node.amount === undefined) === (node.percentageBp === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'Give either an amount or a percentageBp' });
    }
    if (node.dueTrigger === 'fixed_date' && node.dueDate === undefined) {
      ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'A fixed-date node needs its due date' });
    }
    if (node.dueTrigger !== 'fixed_date' && node.dueDate !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dueDate'],
        message: 'Only a fixed-date node takes a due date; the others follow from their event',
      });
    }
  });
export type PlanNodeInput = z.infer<typeof planNodeInputSchema>;

export const createSalesContractRequestSchema = z.object({
  number: z.string().trim().min(1).max(64),
  customerId: uuidSchema,
  title: optionalText(200),
  ownerUserId: uuidSchema.nullable().optional(),
  teamId: uuidSchema.nullable().optional(),
  amount: decimalAmountSchema,
  currency: currencySchema.optional(),
  signedOn: calendarDateSchema,
  paymentTermsDays: z.number().int().min(0).max(3650).optional(),
  paymentTermsText: optionalText(2000),
  notes: optionalText(4000),
  planNodes: z.array(planNodeInputSchema).max(100).default([]),
});
export type CreateSalesContractRequest = z.input<typeof createSalesContractRequestSchema>;

/** Money, currency, customer and signing date are fixed once created; the plan is replaced separately. */
export const updateSalesContractRequestSchema = z.object({
  title: optionalText(200),
  ownerUserId: uuidSchema.nullable().optional(),
  teamId: uuidSchema.nullable().optional(),
  paymentTermsDays: z.number().int().min(0).max(3650).optional(),
  paymentTermsText: optionalText(2000),
  notes: optionalText(4000),
});

export const replacePlanRequestSchema = z.object({ nodes: z.array(planNodeInputSchema).max(100) });

/** The day delivery or acceptance happened; the node falls due `offsetDays` later. */
export const planNodeEventRequestSchema = z.object({ eventOn: calendarDateSchema });

export const planNodeSchema = z.object({
  id: uuidSchema,
  contractId: uuidSchema,
  seq: z.number().int(),
  name: z.string(),
  amount: decimalAmountSchema,
  currency: z.string(),
  percentageBp: z.number().int().nullable(),
  dueTrigger: dueTriggerSchema,
  offsetDays: z.number().int(),
  triggerEventOn: businessDateTextSchema.nullable(),
  dueDate: businessDateTextSchema.nullable(),
  method: z.string().nullable(),
  responsibleUserId: uuidSchema.nullable(),
  acceptorName: z.string().nullable(),
  acceptanceCriteria: z.string().nullable(),
  received: decimalAmountSchema,
  open: decimalAmountSchema,
  status: planNodeStatusSchema,
});
export type PlanNode = z.infer<typeof planNodeSchema>;

export const salesContractSchema = z.object({
  id: uuidSchema,
  number: z.string(),
  customerId: uuidSchema,
  customerCode: z.string(),
  customerName: z.string(),
  title: z.string().nullable(),
  ownerUserId: uuidSchema.nullable(),
  teamId: uuidSchema.nullable(),
  amount: decimalAmountSchema,
  currency: z.string(),
  signedOn: businessDateTextSchema,
  paymentTermsDays: z.number().int(),
  paymentTermsText: z.string().nullable(),
  status: salesContractStatusSchema,
  notes: z.string().nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type SalesContract = z.infer<typeof salesContractSchema>;

/**
 * Plan vs actual (计划 vs 实际) as of a date: what the contract is worth, how much of it the plan covers, what was
 * invoiced (issued and not voided by the date), what posted credit notes took off that, and what was received
 * against its invoices and plan nodes.
 */
export const planVsActualSchema = z.object({
  contractAmount: decimalAmountSchema,
  plannedTotal: decimalAmountSchema,
  unplannedGap: decimalAmountSchema,
  invoicedTotal: decimalAmountSchema,
  creditedTotal: decimalAmountSchema,
  receivedTotal: decimalAmountSchema,
});

export const salesContractDetailSchema = salesContractSchema.extend({
  asOf: businessDateTextSchema,
  planNodes: z.array(planNodeSchema),
  planVsActual: planVsActualSchema,
});
export type SalesContractDetail = z.infer<typeof salesContractDetailSchema>;

export const salesContractListQuerySchema = pageQuerySchema.extend({
  search: z.string().trim().max(100).optional(),
  customerId: uuidSchema.optional(),
  ownerUserId: uuidSchema.optional(),
  status: salesContractStatusSchema.optional(),
});
export const salesContractPageSchema = pageOf(salesContractSchema);

export const salesContractDetailQuerySchema = z.object({ asOf: calendarDateSchema.optional() });
