import { DUE_TRIGGERS, type PlanNode, type planNodeInputSchema } from '@huikuan/core/contracts';
import type { z } from 'zod';
import { bpToPercentText, normalizeDecimalText, percentTextToBp } from '../../ui/decimal-input';

/** A node as the API takes it (dates as plain text; the server validates them). */
export type PlanNodeRequest = z.input<typeof planNodeInputSchema>;

export type DueTrigger = (typeof DUE_TRIGGERS)[number];

/** One plan node as the form edits it: the amount or the percentage as typed, never as a JS number. */
export type PlanNodeValues = {
  name: string;
  basis: 'amount' | 'percent';
  amount?: string;
  percent?: string;
  dueTrigger: DueTrigger;
  dueDate?: string | null;
  offsetDays?: number | null;
  method?: string | null;
  responsibleUserId?: string | null;
  acceptorName?: string | null;
  acceptanceCriteria?: string | null;
};

export const EMPTY_PLAN_NODE: PlanNodeValues = {
  name: '',
  basis: 'amount',
  dueTrigger: 'fixed_date',
  offsetDays: 0,
};

export function toPlanNodeInput(values: PlanNodeValues): PlanNodeRequest {
  const isFixed = values.dueTrigger === 'fixed_date';
  return {
    name: values.name,
    ...(values.basis === 'amount'
      ? { amount: normalizeDecimalText(values.amount ?? '') }
      : { percentageBp: percentTextToBp(values.percent ?? '') ?? 0 }),
    dueTrigger: values.dueTrigger,
    ...(isFixed && values.dueDate ? { dueDate: values.dueDate } : {}),
    offsetDays: isFixed ? 0 : (values.offsetDays ?? 0),
    method: values.method ?? null,
    responsibleUserId: values.responsibleUserId ?? null,
    acceptorName: values.acceptorName ?? null,
    acceptanceCriteria: values.acceptanceCriteria ?? null,
  };
}

/** A saved node back into the editor; a percentage node keeps its percentage, not its computed amount. */
export function fromPlanNode(node: PlanNode): PlanNodeValues {
  const isPercent = node.percentageBp !== null;
  return {
    name: node.name,
    basis: isPercent ? 'percent' : 'amount',
    amount: isPercent ? undefined : node.amount,
    percent: node.percentageBp === null ? undefined : bpToPercentText(node.percentageBp),
    dueTrigger: node.dueTrigger,
    dueDate: node.dueTrigger === 'fixed_date' ? node.dueDate : null,
    offsetDays: node.offsetDays,
    method: node.method,
    responsibleUserId: node.responsibleUserId,
    acceptorName: node.acceptorName,
    acceptanceCriteria: node.acceptanceCriteria,
  };
}
