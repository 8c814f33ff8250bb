/**
 * The rungs of a collection ladder (渐进的收款程序, seeds 001 and 003) and the channels a message can take.
 * The dunning engine decides which step is due; the module that owns each kind of step does it (see
 * server/src/modules/dunning/step-registry.ts).
 */

export const DUNNING_STEP_KINDS = [
  'customer_reminder', // a reminder to the customer's contact: email, SMS or IM
  'owner_reminder', // a reminder to the responsible salesperson (in-app, IM)
  'overdue_notice', // 逾期通知: a written notice by email/fax
  'call_task', // a phone-call task for the collector
  'visit_task', // a visit task, with its confirmation task 5 days before (003)
  'dunning_letter', // 财务催款函
  'lawyer_letter', // 律师函, needs legal approval
  'litigation_review', // 诉诸法律: a review task for legal
  'credit_hold', // 停止供货
] as const;
export type DunningStepKind = (typeof DUNNING_STEP_KINDS)[number];

export const MESSAGE_CHANNELS = ['email', 'sms', 'wecom', 'dingtalk', 'feishu', 'in_app'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];
