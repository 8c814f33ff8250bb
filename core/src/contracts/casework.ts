import { z } from 'zod';
import { CREDIT_RATINGS } from '../credit-rating';
import { DELINQUENCY_TYPES } from '../playbooks';
import {
  DEFAULT_PROMISE_GRACE_DAYS,
  MAX_PROMISE_GRACE_DAYS,
  MAX_PROMISE_INSTALMENTS,
  PROMISE_STATUSES,
} from '../promises';
import {
  APPROACH_REASON_CODES,
  COLLECTION_APPROACHES,
  CUSTOMER_ATTITUDES,
  SCORE_REASON_CODES,
  SUGGESTED_STEPS,
} from '../worklist';
import { decimalAmountSchema } from './approvals';
import {
  calendarDateSchema,
  instantSchema,
  pageOf,
  pageQuerySchema,
  queryBooleanSchema,
  uuidSchema,
} from './common';
import { disputeSchema } from './credit';

/**
 * Casework (催收工作): the worklist (催收计划), activities (calls, visits, letters, notes, tasks), promises to pay
 * (承诺付款), disputes (争议) with their resolution, delinquency types and playbooks, and the customer timeline.
 * Rules in core/src/worklist.ts, promises.ts and playbooks.ts.
 */

const positiveDecimal = z.string().regex(/^\d+(\.\d+)?$/, 'A positive decimal amount such as 1234.56');
const note = z.string().trim().min(1).max(4000);

export const delinquencyTypeSchema = z.enum(DELINQUENCY_TYPES);
export const customerAttitudeSchema = z.enum(CUSTOMER_ATTITUDES);
export const collectionApproachSchema = z.enum(COLLECTION_APPROACHES);
export const suggestedStepSchema = z.enum(SUGGESTED_STEPS);

// ---- promises to pay -------------------------------------------------------------------------------------------

export const promiseStatusSchema = z.enum(PROMISE_STATUSES);

export const promiseInstalmentInputSchema = z.object({ dueOn: calendarDateSchema, amount: positiveDecimal });

export const createPromiseRequestSchema = z.object({
  /** The invoices it covers (all of the customer's, in `currency`, when empty or absent). */
  invoiceIds: z.array(uuidSchema).max(100).optional(),
  /** Defaults to the invoices' currency, or the customer's for a customer-level promise. */
  currency: z.string().length(3).optional(),
  graceDays: z.number().int().min(0).max(MAX_PROMISE_GRACE_DAYS).default(DEFAULT_PROMISE_GRACE_DAYS),
  instalments: z.array(promiseInstalmentInputSchema).min(1).max(MAX_PROMISE_INSTALMENTS),
  note: note.optional(),
});
export type CreatePromiseRequest = z.input<typeof createPromiseRequestSchema>;

export const cancelPromiseRequestSchema = z.object({ reason: note });

export const promiseInstalmentSchema = z.object({
  dueOn: calendarDateSchema,
  deadline: calendarDateSchema,
  amount: decimalAmountSchema,
  paid: decimalAmountSchema,
  state: z.enum(['pending', 'kept', 'broken']),
  keptOn: calendarDateSchema.nullable(),
});

export const promiseEventSchema = z.object({
  status: promiseStatusSchema,
  previousStatus: promiseStatusSchema.nullable(),
  effectiveOn: calendarDateSchema,
  note: z.string().nullable(),
  actorUserId: uuidSchema.nullable(),
  occurredAt: instantSchema,
});

export const promiseSchema = z.object({
  id: uuidSchema,
  customerId: uuidSchema,
  customerName: z.string(),
  invoiceIds: z.array(uuidSchema),
  invoiceNumbers: z.array(z.string()),
  currency: z.string(),
  total: decimalAmountSchema,
  paid: decimalAmountSchema,
  outstanding: decimalAmountSchema,
  graceDays: z.number().int(),
  status: promiseStatusSchema,
  /** Kept or broken on; null while open. */
  settledOn: calendarDateSchema.nullable(),
  nextDeadline: calendarDateSchema.nullable(),
  promisedOn: calendarDateSchema,
  note: z.string().nullable(),
  activityId: uuidSchema.nullable(),
  recordedByUserId: uuidSchema.nullable(),
  recordedByName: z.string().nullable(),
  instalments: z.array(promiseInstalmentSchema),
  events: z.array(promiseEventSchema),
  createdAt: instantSchema,
});
export type PromiseToPay = z.infer<typeof promiseSchema>;

export const promiseListQuerySchema = pageQuerySchema.extend({
  customerId: uuidSchema.optional(),
  status: promiseStatusSchema.optional(),
});
export const promisePageSchema = pageOf(promiseSchema);

// ---- activities ------------------------------------------------------------------------------------------------

export const ACTIVITY_KINDS = ['call', 'visit', 'letter', 'note', 'task'] as const;
export const activityKindSchema = z.enum(ACTIVITY_KINDS);
export const TASK_TYPES = ['call', 'visit_confirmation', 'litigation_review', 'follow_up'] as const;
export const taskTypeSchema = z.enum(TASK_TYPES);
export const CALL_OUTCOMES = [
  'promised', // 答应付款
  'will_check', // 答应核实/安排
  'disputed', // 提出异议
  'refused', // 拒绝付款
  'no_answer', // 无人接听
  'wrong_contact', // 联系人有误
  'left_message', // 已留言
] as const;
export const callOutcomeSchema = z.enum(CALL_OUTCOMES);
export const VISIT_RESULTS = [
  'collected',
  'promised',
  'disputed',
  'refused',
  'not_met',
  'rescheduled',
] as const;
export const visitResultSchema = z.enum(VISIT_RESULTS);

const followUpSchema = z.object({
  /** 下一步: what to do next, and by when (a follow-up task for the caller, or `assigneeUserId`). */
  nextStep: z.string().trim().min(1).max(500),
  nextStepOn: calendarDateSchema,
  assigneeUserId: uuidSchema.optional(),
});

export const logCallRequestSchema = z.object({
  outcome: callOutcomeSchema,
  contactName: z.string().trim().max(200).optional(),
  note: note.optional(),
  occurredOn: calendarDateSchema.optional(),
  invoiceIds: z.array(uuidSchema).max(100).optional(),
  /** The open task this call completes (e.g. the ladder's call task). */
  taskId: uuidSchema.optional(),
  followUp: followUpSchema.optional(),
  /** 承诺付款 made on this call, recorded with it in one go. */
  promise: createPromiseRequestSchema.omit({ note: true }).optional(),
});
export type LogCallRequest = z.input<typeof logCallRequestSchema>;

export const planVisitRequestSchema = z.object({
  plannedOn: calendarDateSchema,
  purpose: note.optional(),
  /** The amount to collect on the visit, confirmed 5 days before (003 收款时的应对要领). */
  expectedAmount: positiveDecimal.optional(),
  currency: z.string().length(3).optional(),
  assigneeUserId: uuidSchema.optional(),
  invoiceIds: z.array(uuidSchema).max(100).optional(),
  taskId: uuidSchema.optional(),
});
export type PlanVisitRequest = z.input<typeof planVisitRequestSchema>;

export const visitResultRequestSchema = z.object({
  result: visitResultSchema,
  note: note.optional(),
  occurredOn: calendarDateSchema.optional(),
  followUp: followUpSchema.optional(),
  promise: createPromiseRequestSchema.omit({ note: true }).optional(),
});

export const addNoteRequestSchema = z.object({
  body: note,
  kind: z.enum(['note', 'letter']).default('note'),
});

export const createTaskRequestSchema = z.object({
  title: z.string().trim().min(1).max(500),
  taskType: taskTypeSchema.default('follow_up'),
  dueOn: calendarDateSchema,
  assigneeUserId: uuidSchema.optional(),
  invoiceId: uuidSchema.optional(),
  note: note.optional(),
});

export const completeTaskRequestSchema = z.object({ note: note.optional() });

export const activitySchema = z.object({
  id: uuidSchema,
  customerId: uuidSchema,
  customerName: z.string(),
  invoiceIds: z.array(uuidSchema),
  kind: activityKindSchema,
  taskType: taskTypeSchema.nullable(),
  title: z.string(),
  body: z.string().nullable(),
  callOutcome: callOutcomeSchema.nullable(),
  contactName: z.string().nullable(),
  nextStep: z.string().nullable(),
  nextStepOn: calendarDateSchema.nullable(),
  plannedOn: calendarDateSchema.nullable(),
  expectedAmount: decimalAmountSchema.nullable(),
  currency: z.string().nullable(),
  visitResult: visitResultSchema.nullable(),
  occurredOn: calendarDateSchema.nullable(),
  assigneeUserId: uuidSchema.nullable(),
  assigneeName: z.string().nullable(),
  /** A task for a role rather than a person (litigation reviews go to legal). */
  assigneeRole: z.string().nullable(),
  dueOn: calendarDateSchema.nullable(),
  doneAt: instantSchema.nullable(),
  doneNote: z.string().nullable(),
  parentActivityId: uuidSchema.nullable(),
  promiseId: uuidSchema.nullable(),
  /** The dunning action that created it, for tasks made by the ladder. */
  dunningActionId: uuidSchema.nullable(),
  createdByUserId: uuidSchema.nullable(),
  createdByName: z.string().nullable(),
  createdAt: instantSchema,
});
export type Activity = z.infer<typeof activitySchema>;

export const activityListQuerySchema = pageQuerySchema.extend({
  customerId: uuidSchema.optional(),
  /** 'me': tasks assigned to the caller (or to their role). */
  assignee: z.enum(['me']).optional(),
  openOnly: queryBooleanSchema,
  kind: activityKindSchema.optional(),
});
export const activityPageSchema = pageOf(activitySchema);

export const loggedCallSchema = z.object({ activity: activitySchema, promise: promiseSchema.nullable() });

// ---- disputes (v2) ---------------------------------------------------------------------------------------------

export const DISPUTE_EVENTS = [
  'opened',
  'assigned',
  'resolved_valid',
  'resolved_invalid',
  'withdrawn',
] as const;

export const disputeEventSchema = z.object({
  event: z.enum(DISPUTE_EVENTS),
  ownerUserId: uuidSchema.nullable(),
  note: z.string().nullable(),
  actorUserId: uuidSchema.nullable(),
  actorName: z.string().nullable(),
  occurredAt: instantSchema,
});

export const disputeDetailSchema = disputeSchema.extend({
  customerName: z.string(),
  ownerName: z.string().nullable(),
  /** The credit note raised by a valid resolution, through the approval flow. */
  creditNoteId: uuidSchema.nullable(),
  creditNoteNumber: z.string().nullable(),
  creditNoteStatus: z.enum(['pending_approval', 'posted', 'rejected']).nullable(),
  approvalRequestId: uuidSchema.nullable(),
  /** Whether chasing of the disputed amount is paused today (open, or valid with its credit note pending). */
  pausesChasing: z.boolean(),
  events: z.array(disputeEventSchema),
});
export type DisputeDetail = z.infer<typeof disputeDetailSchema>;

export const assignDisputeRequestSchema = z.object({ ownerUserId: uuidSchema, note: note.optional() });

export const resolveDisputeV2RequestSchema = z.object({
  /** valid → a credit note goes for approval (with the disputed amount unless `creditAmount`); invalid → chasing resumes. */
  outcome: z.enum(['valid', 'invalid']),
  creditAmount: positiveDecimal.optional(),
  creditNoteNumber: z.string().trim().min(1).max(64).optional(),
  note: note.optional(),
  resolvedOn: calendarDateSchema.optional(),
});
export type ResolveDisputeV2Request = z.input<typeof resolveDisputeV2RequestSchema>;

export const withdrawDisputeRequestSchema = z.object({ note: note.optional() });

// ---- cases and the worklist ------------------------------------------------------------------------------------

export const scoreReasonSchema = z.object({
  code: z.enum(SCORE_REASON_CODES),
  points: z.number().int(),
  params: z.record(z.string(), z.string()),
});

export const nextStepSchema = z.object({
  /** Where it comes from: the dunning ladder's next due step, an open task, or the worklist's suggestion. */
  source: z.enum(['ladder', 'activity', 'suggestion']),
  /** A ladder step kind, an activity kind/task type, or a suggested step. */
  kind: z.string(),
  dueOn: calendarDateSchema.nullable(),
  activityId: uuidSchema.nullable(),
  title: z.string().nullable(),
});

export const worklistInvoiceSchema = z.object({
  invoiceId: uuidSchema,
  number: z.string(),
  dueDate: calendarDateSchema,
  daysOverdue: z.number().int(),
  currency: z.string(),
  open: decimalAmountSchema,
  disputed: decimalAmountSchema,
  isPromised: z.boolean(),
});

export const collectionCaseSchema = z.object({
  customerId: uuidSchema,
  customerCode: z.string(),
  customerName: z.string(),
  ownerUserId: uuidSchema.nullable(),
  ownerName: z.string().nullable(),
  /** The assigned collector, or null when the owner collects. */
  assignedCollectorUserId: uuidSchema.nullable(),
  collectorUserId: uuidSchema.nullable(),
  collectorName: z.string().nullable(),
  currency: z.string(),
  open: decimalAmountSchema,
  overdue: decimalAmountSchema,
  disputed: decimalAmountSchema,
  /** Open items in other currencies (not in the score: no exchange rates). */
  otherCurrencies: z.array(z.string()),
  maxDaysOverdue: z.number().int(),
  overdueInvoiceCount: z.number().int(),
  score: z.number().int(),
  reasons: z.array(scoreReasonSchema),
  approach: collectionApproachSchema,
  approachReasons: z.array(z.enum(APPROACH_REASON_CODES)),
  rating: z.enum(CREDIT_RATINGS).nullable(),
  delinquencyType: delinquencyTypeSchema.nullable(),
  attitude: customerAttitudeSchema.nullable(),
  brokenPromiseCount: z.number().int(),
  hasBrokenPromise: z.boolean(),
  openPromiseUntil: calendarDateSchema.nullable(),
  lastContactOn: calendarDateSchema.nullable(),
  snoozedUntil: calendarDateSchema.nullable(),
  nextStep: nextStepSchema,
  refreshedAt: instantSchema,
});
export type CollectionCase = z.infer<typeof collectionCaseSchema>;

export const worklistRowSchema = collectionCaseSchema.extend({ invoices: z.array(worklistInvoiceSchema) });
export type WorklistRow = z.infer<typeof worklistRowSchema>;

export const worklistQuerySchema = pageQuerySchema.extend({
  /** mine: cases I collect; team: every case in my scope (a manager's team); a user id: that collector's. */
  collector: z.union([z.enum(['mine', 'all']), uuidSchema]).default('mine'),
  approach: collectionApproachSchema.optional(),
  delinquencyType: delinquencyTypeSchema.optional(),
  brokenPromiseOnly: queryBooleanSchema,
  includeSnoozed: queryBooleanSchema,
  minScore: z.coerce.number().int().min(0).max(100).optional(),
  search: z.string().trim().max(100).optional(),
});
export type WorklistQuery = z.input<typeof worklistQuerySchema>;

export const worklistPageSchema = pageOf(worklistRowSchema).extend({
  /** When the case rows were last recomputed for the organization (null: never). */
  refreshedAt: instantSchema.nullable(),
});
export type WorklistPage = z.infer<typeof worklistPageSchema>;

export const caseDetailSchema = z.object({
  case: collectionCaseSchema,
  invoices: z.array(worklistInvoiceSchema),
  openPromises: z.array(promiseSchema),
  openDisputes: z.array(disputeDetailSchema),
  openTasks: z.array(activitySchema),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const updateCaseRequestSchema = z.object({
  delinquencyType: delinquencyTypeSchema.nullable().optional(),
  attitude: customerAttitudeSchema.nullable().optional(),
  /** null = the owner collects. */
  collectorUserId: uuidSchema.nullable().optional(),
  snoozedUntil: calendarDateSchema.nullable().optional(),
});
export type UpdateCaseRequest = z.input<typeof updateCaseRequestSchema>;

export const worklistBulkRequestSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('assign_collector'),
    customerIds: z.array(uuidSchema).min(1).max(200),
    collectorUserId: uuidSchema.nullable(),
  }),
  z.object({
    action: z.literal('set_delinquency_type'),
    customerIds: z.array(uuidSchema).min(1).max(200),
    delinquencyType: delinquencyTypeSchema.nullable(),
  }),
  z.object({
    action: z.literal('create_call_tasks'),
    customerIds: z.array(uuidSchema).min(1).max(200),
    dueOn: calendarDateSchema,
    title: z.string().trim().min(1).max(500).optional(),
  }),
  z.object({
    action: z.literal('snooze'),
    customerIds: z.array(uuidSchema).min(1).max(200),
    snoozedUntil: calendarDateSchema.nullable(),
  }),
]);
export type WorklistBulkRequest = z.input<typeof worklistBulkRequestSchema>;
export const worklistBulkResultSchema = z.object({
  updated: z.number().int(),
  createdTaskIds: z.array(uuidSchema),
});

export const worklistRefreshResultSchema = z.object({ cases: z.number().int(), refreshedAt: instantSchema });

// ---- playbooks -------------------------------------------------------------------------------------------------

export const localizedTextSchema = z.object({
  zh: z.string().trim().min(1).max(2000),
  en: z.string().trim().max(2000),
});

const playbookTypeEntrySchema = z.object({
  name: localizedTextSchema,
  approach: collectionApproachSchema,
  strategy: z.array(localizedTextSchema).max(30),
});

export const playbookSchema = z.object({
  types: z.object(
    Object.fromEntries(DELINQUENCY_TYPES.map((type) => [type, playbookTypeEntrySchema])) as Record<
      (typeof DELINQUENCY_TYPES)[number],
      typeof playbookTypeEntrySchema
    >,
  ),
  checklists: z
    .array(
      z.object({
        key: z.string().trim().min(1).max(64),
        title: localizedTextSchema,
        items: z.array(localizedTextSchema).max(50),
      }),
    )
    .max(30),
  scripts: z
    .array(
      z.object({
        key: z.string().trim().min(1).max(64),
        situation: localizedTextSchema,
        types: z.array(delinquencyTypeSchema),
        lines: z.array(localizedTextSchema).max(30),
      }),
    )
    .max(100),
});

export const playbookViewSchema = z.object({
  playbook: playbookSchema,
  /** False while the organization uses the built-in defaults. */
  isCustomized: z.boolean(),
  updatedAt: instantSchema.nullable(),
  updatedByUserId: uuidSchema.nullable(),
});
export type PlaybookView = z.infer<typeof playbookViewSchema>;

// ---- the customer timeline -------------------------------------------------------------------------------------

export const TIMELINE_SOURCES = [
  'activity',
  'promise',
  'dispute',
  'message',
  'dunning_action',
  'letter',
] as const;

export const timelineEntrySchema = z.object({
  /** Unique within the timeline: source + id (+ event). */
  key: z.string(),
  source: z.enum(TIMELINE_SOURCES),
  /** The record's own kind: call/visit/…, promise status, dispute event, message channel, step kind. */
  kind: z.string(),
  at: instantSchema,
  title: z.string(),
  detail: z.string().nullable(),
  status: z.string().nullable(),
  amount: decimalAmountSchema.nullable(),
  currency: z.string().nullable(),
  actorName: z.string().nullable(),
  refId: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const timelineSchema = z.object({
  items: z.array(timelineEntrySchema),
  /** Sources not available in this build (their module is not there yet). */
  missingSources: z.array(z.enum(TIMELINE_SOURCES)),
});
export type Timeline = z.infer<typeof timelineSchema>;
export const timelineQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) });
