import type { CalendarDate } from '../calendar-date';
import { allocateByWeights, minorToDecimalString } from '../money';
import { RowCheck, type ImportOptions } from './cells';
import {
  normalizeHeader,
  rowReader,
  type ImportIssue,
  type ImportTable,
  type ResolvedMapping,
} from './mapping';

/**
 * Contracts with payment plans (合同 + 回款节点): one row per plan node, rows with the same contract number make one
 * contract. The contract's own columns are read from its first row; a later row may leave them empty or repeat
 * them, but may not contradict them.
 */

export const IMPORTABLE_NODE_TRIGGERS = ['fixed_date', 'on_signing', 'on_delivery', 'on_acceptance'] as const;
export type ImportableNodeTrigger = (typeof IMPORTABLE_NODE_TRIGGERS)[number];

const TRIGGER_WORDS: Record<string, ImportableNodeTrigger> = {
  固定日期: 'fixed_date',
  签约: 'on_signing',
  签约后: 'on_signing',
  签订: 'on_signing',
  交付: 'on_delivery',
  交付后: 'on_delivery',
  发货: 'on_delivery',
  到货: 'on_delivery',
  验收: 'on_acceptance',
  验收后: 'on_acceptance',
  signing: 'on_signing',
  delivery: 'on_delivery',
  acceptance: 'on_acceptance',
};

export type ContractNodeImportRow = {
  row: number;
  line: number;
  name: string;
  /** Exactly one of the two: a fixed amount, or a share of the contract in basis points. */
  amountMinor: bigint | null;
  percentageBp: number | null;
  dueTrigger: ImportableNodeTrigger;
  offsetDays: number;
  dueDate: CalendarDate | null;
};

/** A node with its amount settled (percentages turned into amounts that add up exactly). */
export type ContractNodeImport = Omit<ContractNodeImportRow, 'amountMinor'> & { amountMinor: bigint };

export type ContractImportGroup = {
  row: number;
  line: number;
  contractNumber: string;
  customerCode: string;
  customerName: string | null;
  amountMinor: bigint;
  currency: string;
  signedOn: CalendarDate;
  paymentTermsDays: number | null;
  title: string | null;
  nodes: ContractNodeImport[];
};

type ContractHead = Omit<ContractImportGroup, 'nodes' | 'row' | 'line'>;

const CONTRACT_FIELDS = [
  'customerCode',
  'customerName',
  'amount',
  'currency',
  'signedDate',
  'paymentTermsDays',
  'title',
] as const;

const NODE_FIELDS = ['nodeName', 'nodeAmount', 'nodePercent', 'nodeDueDate', 'nodeTrigger', 'nodeOffsetDays'];

/** "30", "30%", "12.5 %" or "33.33％" → basis points (1–10,000); at most two decimal places, read exactly. */
export function percentTextToBp(text: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?\s*[%％]?$/.exec(text.trim());
  if (!match) return null;
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bp >= 1 && bp <= 10_000 ? bp : null;
}

function checkTrigger(check: RowCheck, hasDueDate: boolean): ImportableNodeTrigger {
  const text = check.reader.text('nodeTrigger');
  if (text === '') {
    if (!hasDueDate) check.fail('nodeDueDate', 'a plan node needs a due date or a trigger');
    return 'fixed_date';
  }
  const key = normalizeHeader(text);
  const known = IMPORTABLE_NODE_TRIGGERS.find((trigger) => normalizeHeader(trigger) === key);
  const trigger = known ?? (Object.hasOwn(TRIGGER_WORDS, key) ? TRIGGER_WORDS[key] : undefined);
  if (trigger === undefined) {
    check.fail('nodeTrigger', `"${text}" is not a trigger (${IMPORTABLE_NODE_TRIGGERS.join(', ')})`);
    return 'fixed_date';
  }
  if (trigger === 'fixed_date' && !hasDueDate)
    check.fail('nodeDueDate', 'a fixed-date node needs a due date');
  return trigger;
}

/** The node on a row, or null when the row names none (a contract without a plan on that row). */
function checkNode(
  check: RowCheck,
  options: ImportOptions,
  currency: string | null,
): ContractNodeImportRow | null {
  if (NODE_FIELDS.every((field) => check.reader.text(field) === '')) return null;
  const name = check.required('nodeName', 200);
  const amountText = check.reader.text('nodeAmount');
  const percentText = check.reader.text('nodePercent');
  let amountMinor: bigint | null = null;
  let percentageBp: number | null = null;
  if ((amountText === '') === (percentText === '')) {
    check.fail('nodeAmount', 'a plan node needs either an amount or a percentage, not both');
  } else if (amountText !== '') {
    amountMinor = check.amount('nodeAmount', currency, options.decimal, true);
  } else {
    percentageBp = percentTextToBp(percentText);
    if (percentageBp === null)
      check.fail('nodePercent', `"${percentText}" is not a percentage from 0.01 to 100`);
  }
  const dueDate = check.date('nodeDueDate', options.dateFormat, false);
  const hasDueDate = check.reader.text('nodeDueDate') !== '';
  const dueTrigger = checkTrigger(check, hasDueDate);
  const offsetDays = check.integer('nodeOffsetDays', 0, 3650) ?? 0;
  const { row, line } = check.reader;
  return { row, line, name, amountMinor, percentageBp, dueTrigger, offsetDays, dueDate };
}

function checkHead(check: RowCheck, options: ImportOptions): ContractHead | null {
  const contractNumber = check.required('contractNumber', 64);
  const customerCode = check.required('customerCode', 64);
  const customerName = check.optional('customerName', 200);
  const currency = check.currency('currency', options.defaultCurrency);
  const amountMinor = check.amount('amount', currency, options.decimal, true);
  const signedOn = check.date('signedDate', options.dateFormat, true);
  const paymentTermsDays = check.integer('paymentTermsDays', 0, 3650);
  const title = check.optional('title', 200);
  if (currency === null || amountMinor === null || signedOn === null) return null;
  return {
    contractNumber,
    customerCode,
    customerName,
    amountMinor,
    currency,
    signedOn,
    paymentTermsDays,
    title,
  };
}

/** A later row of a contract: its contract columns must be empty or the same text as on the first row. */
function checkRepeatedHead(check: RowCheck, first: { row: number; texts: Map<string, string> }): void {
  for (const field of CONTRACT_FIELDS) {
    const text = check.reader.text(field);
    const firstText = first.texts.get(field) ?? '';
    if (text !== '' && text !== firstText) {
      check.fail(
        field,
        `${field} "${text}" differs from "${firstText}" on row ${first.row} of the same contract`,
      );
    }
  }
}

type PendingGroup = { head: ContractHead | null; row: number; line: number; texts: Map<string, string> };

/** Turns percentages into amounts (largest remainder, the unplanned rest as one more weight) and checks the sum. */
function settleNodes(
  head: ContractHead,
  group: { row: number; line: number; amountColumn: string; percentColumn: string },
  nodes: readonly ContractNodeImportRow[],
): { nodes: ContractNodeImport[]; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const fail = (column: string, message: string) =>
    issues.push({ row: group.row, line: group.line, column, message });
  const percentSum = nodes.reduce((sum, node) => sum + BigInt(node.percentageBp ?? 0), 0n);
  if (percentSum > 10_000n) {
    fail(
      group.percentColumn,
      `the nodes' percentages add up to ${Number(percentSum) / 100} %, more than 100 %`,
    );
    return { nodes: [], issues };
  }
  const percentNodes = nodes.filter((node) => node.percentageBp !== null);
  const shares =
    percentNodes.length === 0
      ? []
      : allocateByWeights({ amountMinor: head.amountMinor, currency: head.currency }, [
          ...percentNodes.map((node) => BigInt(node.percentageBp ?? 0)),
          10_000n - percentSum,
        ]);
  const settled = nodes.map((node) => {
    const share = shares[percentNodes.indexOf(node)]?.amountMinor ?? 0n;
    if (node.amountMinor === null && share === 0n) {
      issues.push({
        row: node.row,
        line: node.line,
        column: group.percentColumn,
        message: 'this share of the contract comes to zero',
      });
    }
    return { ...node, amountMinor: node.amountMinor ?? share };
  });
  const plannedMinor = settled.reduce((sum, node) => sum + node.amountMinor, 0n);
  if (plannedMinor > head.amountMinor) {
    const planned = minorToDecimalString(plannedMinor, head.currency);
    const total = minorToDecimalString(head.amountMinor, head.currency);
    fail(group.amountColumn, `the plan's nodes add up to ${planned}, more than the contract amount ${total}`);
  }
  return { nodes: settled, issues };
}

/**
 * Checks every row and groups them into contracts. A contract with any problem on any of its rows is left out of
 * `groups` (the import is all or nothing anyway); every problem is reported.
 */
export function checkContractRows(
  table: ImportTable,
  resolved: ResolvedMapping,
  options: ImportOptions,
  onRow: (done: number) => void = () => {},
): { groups: ContractImportGroup[]; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const pending = new Map<string, PendingGroup>();
  const failed = new Set<string>();
  const nodesOf = new Map<string, ContractNodeImportRow[]>();
  table.rows.forEach((record, index) => {
    const check = new RowCheck(rowReader(resolved, record, index + 1));
    const number = check.reader.text('contractNumber');
    const first = pending.get(number);
    let currency: string | null;
    if (first === undefined || number === '') {
      const head = checkHead(check, options);
      const texts = new Map(CONTRACT_FIELDS.map((field) => [field, check.reader.text(field)]));
      if (number !== '') pending.set(number, { head, row: check.reader.row, line: check.reader.line, texts });
      currency = head?.currency ?? null;
    } else {
      checkRepeatedHead(check, first);
      currency = first.head?.currency ?? null;
    }
    const node = checkNode(check, options, currency);
    if (check.issues.length > 0) failed.add(number);
    else if (node) {
      const list = nodesOf.get(number);
      if (list) list.push(node);
      else nodesOf.set(number, [node]);
    }
    issues.push(...check.issues);
    onRow(index + 1);
  });
  const groups: ContractImportGroup[] = [];
  const columns = {
    amountColumn: resolved.mapping.amount ?? 'amount',
    percentColumn: resolved.mapping.nodePercent ?? 'nodePercent',
  };
  for (const [number, group] of pending) {
    if (group.head === null || failed.has(number)) continue;
    const settled = settleNodes(group.head, { ...group, ...columns }, nodesOf.get(number) ?? []);
    issues.push(...settled.issues);
    if (settled.issues.length === 0)
      groups.push({ ...group.head, row: group.row, line: group.line, nodes: settled.nodes });
  }
  return { groups, issues };
}
