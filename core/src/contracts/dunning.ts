import { z } from 'zod';
import { CREDIT_RATINGS } from '../credit-rating';
import { ladderIssues, MAX_OFFSET_DAYS, MIN_OFFSET_DAYS } from '../dunning';
import { DUNNING_STEP_KINDS, MESSAGE_CHANNELS } from '../dunning-steps';
import { decimalAmountSchema } from './approvals';
import { calendarDateSchema, instantSchema, pageOf, pageQuerySchema, uuidSchema } from './common';

/**
 * Dunning (催收程序): policies (ordered ladders of steps relative to the due date), their assignments to customers,
 * credit ratings and segments, previews and runs, and the actions runs recorded.
 */

export const dunningStepKindSchema = z.enum(DUNNING_STEP_KINDS);
export const dunningChannelSchema = z.enum(MESSAGE_CHANNELS);

export const dunningStepInputSchema = z.object({
  /** An existing step of this policy to keep (its history and done marks stay); absent for a new step. */
  id: uuidSchema.optional(),
  kind: dunningStepKindSchema,
  offsetDays: z.number().int().min(MIN_OFFSET_DAYS).max(MAX_OFFSET_DAYS),
  channel: dunningChannelSchema.nullable().default(null),
  templateKey: z.string().trim().min(1).max(100).nullable().default(null),
  requiresApproval: z.boolean().default(false),
});
export type DunningStepInput = z.infer<typeof dunningStepInputSchema>;

export const dunningPolicyWriteSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).nullable().default(null),
    steps: z.array(dunningStepInputSchema).min(1).max(30),
  })
  .superRefine((policy, context) => {
    for (const issue of ladderIssues(policy.steps)) {
      context.addIssue({ code: 'custom', path: issue.path.split('.').map(pathPart), message: issue.message });
    }
  });
export type DunningPolicyWrite = z.infer<typeof dunningPolicyWriteSchema>;

function pathPart(part: string): string | number {
  return /^\d+$/.test(part) ? Number(part) : part;
}

export const dunningStepSchema = z.object({
  id: uuidSchema,
  kind: dunningStepKindSchema,
  offsetDays: z.number().int(),
  channel: dunningChannelSchema.nullable(),
  templateKey: z.string().nullable(),
  requiresApproval: z.boolean(),
});
export type DunningStep = z.infer<typeof dunningStepSchema>;

export const dunningAssignmentTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('customer'), customerId: uuidSchema }),
  z.object({ kind: z.literal('rating'), rating: z.enum(CREDIT_RATINGS) }),
  z.object({ kind: z.literal('segment'), segment: z.string().trim().min(1).max(100) }),
]);

export const dunningAssignmentWriteSchema = z.object({
  policyId: uuidSchema,
  target: dunningAssignmentTargetSchema,
});
export type DunningAssignmentWrite = z.infer<typeof dunningAssignmentWriteSchema>;

export const dunningAssignmentSchema = z.object({
  id: uuidSchema,
  policyId: uuidSchema,
  target: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('customer'),
      customerId: uuidSchema,
      customerCode: z.string(),
      customerName: z.string(),
    }),
    z.object({ kind: z.literal('rating'), rating: z.enum(CREDIT_RATINGS) }),
    z.object({ kind: z.literal('segment'), segment: z.string() }),
  ]),
});
export type DunningAssignment = z.infer<typeof dunningAssignmentSchema>;

export const dunningPolicySchema = z.object({
  id: uuidSchema,
  name: z.string(),
  description: z.string().nullable(),
  isDefault: z.boolean(),
  steps: z.array(dunningStepSchema),
  assignments: z.array(dunningAssignmentSchema),
  updatedAt: instantSchema,
});
export type DunningPolicy = z.infer<typeof dunningPolicySchema>;

export const dunningPolicyListSchema = z.object({ items: z.array(dunningPolicySchema) });

export const dunningRunRequestSchema = z.object({
  /** Defaults to today in the organization's time zone. */
  asOf: calendarDateSchema.optional(),
});
export type DunningRunRequest = z.infer<typeof dunningRunRequestSchema>;

/** One step that is (or, in a preview, would be) fired for one open item. */
export const dunningPlannedActionSchema = z.object({
  invoiceId: uuidSchema,
  invoice: z.string().describe('invoice number'),
  customerId: uuidSchema,
  customer: z.string().describe('customer code'),
  customerName: z.string(),
  policyName: z.string(),
  step: dunningStepKindSchema,
  channel: dunningChannelSchema.nullable(),
  offsetDays: z.number().int(),
  daysOverdue: z.number().int(),
  dueDate: calendarDateSchema,
  chased: decimalAmountSchema,
  currency: z.string(),
  requiresApproval: z.boolean(),
});
export type DunningPlannedAction = z.infer<typeof dunningPlannedActionSchema>;

export const dunningKindCountsSchema = z.record(z.string(), z.number().int());

export const dunningPreviewSchema = z.object({
  asOf: calendarDateSchema,
  openItems: z.number().int(),
  pausedItems: z.number().int(),
  /** Due steps held back by pauses (they fire, or are superseded, when the pause ends). */
  heldBack: z.number().int(),
  countsByKind: dunningKindCountsSchema,
  total: z.number().int(),
  /** The first actions by customer then invoice; `total` says how many there are in all. */
  actions: z.array(dunningPlannedActionSchema),
  isTruncated: z.boolean(),
});
export type DunningPreview = z.infer<typeof dunningPreviewSchema>;

export const DUNNING_RUN_STATUSES = ['running', 'succeeded', 'failed', 'interrupted'] as const;
export const DUNNING_RUN_SOURCES = ['manual', 'schedule', 'cli'] as const;

export const dunningRunErrorSchema = z.object({
  invoice: z.string(),
  step: z.string(),
  message: z.string(),
});

export const dunningRunSchema = z.object({
  id: uuidSchema,
  asOf: calendarDateSchema,
  source: z.enum(DUNNING_RUN_SOURCES),
  status: z.enum(DUNNING_RUN_STATUSES),
  startedBy: z.string().nullable(),
  total: z.number().int(),
  done: z.number().int(),
  fired: z.number().int(),
  paused: z.number().int(),
  countsByKind: dunningKindCountsSchema,
  errors: z.array(dunningRunErrorSchema),
  errorCount: z.number().int(),
  failure: z.string().nullable(),
  startedAt: instantSchema,
  finishedAt: instantSchema.nullable(),
});
export type DunningRun = z.infer<typeof dunningRunSchema>;

export const dunningRunPageSchema = pageOf(dunningRunSchema);
export const dunningRunListQuerySchema = pageQuerySchema;

export const DUNNING_ACTION_OUTCOMES = [
  'recorded',
  'sent',
  'queued',
  'created',
  'pending_approval',
  'skipped',
] as const;

export const dunningActionSchema = z.object({
  id: uuidSchema,
  runId: uuidSchema,
  invoiceId: uuidSchema,
  invoice: z.string(),
  customerId: uuidSchema,
  customer: z.string(),
  customerName: z.string(),
  step: dunningStepKindSchema,
  channel: dunningChannelSchema.nullable(),
  offsetDays: z.number().int(),
  dueDate: calendarDateSchema,
  stepDueOn: calendarDateSchema,
  asOf: calendarDateSchema,
  daysOverdue: z.number().int(),
  chased: decimalAmountSchema,
  currency: z.string(),
  outcome: z.enum(DUNNING_ACTION_OUTCOMES),
  refId: z.string().nullable(),
  detail: z.string().nullable(),
  createdAt: instantSchema,
});
export type DunningAction = z.infer<typeof dunningActionSchema>;

export const dunningActionPageSchema = pageOf(dunningActionSchema);
export const dunningActionListQuerySchema = pageQuerySchema;
