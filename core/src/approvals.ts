/**
 * Who may decide which approval (审批). Nothing in these kinds takes effect without a decision by one of these
 * roles, and never by the person who asked (segregation of duties, 003 防范欺诈).
 */
import type { Role } from './access';

export type ApprovalKindName =
  | 'write_off'
  | 'discount_waiver'
  | 'offset'
  | 'goods_settlement'
  | 'credit_note'
  | 'credit_override'
  | 'customer_incentive'
  | 'lawyer_letter';

const APPROVER_ROLES: Record<ApprovalKindName, readonly Role[]> = {
  write_off: ['finance', 'admin'],
  discount_waiver: ['sales_manager', 'finance', 'admin'],
  offset: ['finance', 'admin'],
  goods_settlement: ['finance', 'admin'],
  credit_note: ['finance', 'admin'],
  // 停止供货 is finance's call (003: credit control sits with finance, not with the salesperson who wants the order).
  credit_override: ['finance', 'admin'],
  // A discount or service offered for early payment (客户激励) costs money: the manager or finance signs it.
  customer_incentive: ['sales_manager', 'finance', 'admin'],
  // 律师函 speaks for the company in law: legal (or an admin) signs it off, never the collector who asked.
  lawyer_letter: ['legal', 'admin'],
};

export function approverRoles(kind: ApprovalKindName): readonly Role[] {
  return APPROVER_ROLES[kind];
}

export function canDecideApproval(input: {
  kind: ApprovalKindName;
  deciderRole: Role;
  deciderUserId: string;
  requesterUserId: string;
}): boolean {
  return (
    input.deciderUserId !== input.requesterUserId && APPROVER_ROLES[input.kind].includes(input.deciderRole)
  );
}
