import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { addDays, type ContractImportGroup, type ImportIssue, type ResolvedMapping } from '@huikuan/core';
import type { ContractsTable, PaymentPlanNodesTable } from '../../db/schema';
import { importCreditIssues } from '../credit/credit-check';
import { chunk } from './batches';
import { issueAt, type ImportContext, type KindOutcome } from './import-context';

type Customer = {
  id: string;
  currency: string;
  termsDays: number;
  ownerId: string | null;
  teamId: string | null;
};
type NewCustomer = { code: string; name: string; currency: string };

async function customersWithTerms(
  ctx: ImportContext,
  codes: Iterable<string>,
): Promise<Map<string, Customer>> {
  const found = new Map<string, Customer>();
  for (const batch of chunk([...new Set(codes)])) {
    const rows = await ctx.tx
      .selectFrom('customers')
      .select(['id', 'code', 'currency', 'payment_terms_days', 'owner_user_id', 'team_id'])
      .where('tenant_id', '=', ctx.actor.tenantId)
      .where('code', 'in', batch)
      .execute();
    for (const row of rows) {
      found.set(row.code, {
        id: row.id,
        currency: row.currency.trim(),
        termsDays: row.payment_terms_days,
        ownerId: row.owner_user_id,
        teamId: row.team_id,
      });
    }
  }
  return found;
}

async function takenNumbers(ctx: ImportContext, numbers: string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const batch of chunk(numbers)) {
    const rows = await ctx.tx
      .selectFrom('contracts')
      .select('number')
      .where('tenant_id', '=', ctx.actor.tenantId)
      .where('number', 'in', batch)
      .execute();
    for (const row of rows) taken.add(row.number);
  }
  return taken;
}

/** Problems only the database can show: numbers already used, unknown customers without a name to create them. */
async function checkAgainstLedger(
  ctx: ImportContext,
  groups: readonly ContractImportGroup[],
  mapping: ResolvedMapping['mapping'],
): Promise<{ issues: ImportIssue[]; customers: Map<string, Customer>; newCustomers: NewCustomer[] }> {
  const customers = await customersWithTerms(
    ctx,
    groups.map((group) => group.customerCode),
  );
  const taken = await takenNumbers(
    ctx,
    groups.map((group) => group.contractNumber),
  );
  const issues: ImportIssue[] = [];
  const newCustomers = new Map<string, NewCustomer>();
  for (const group of groups) {
    if (taken.has(group.contractNumber)) {
      const column = mapping.contractNumber ?? 'contractNumber';
      issues.push(issueAt(group, column, `contract number ${group.contractNumber} already exists`));
    }
    if (customers.has(group.customerCode) || newCustomers.has(group.customerCode)) continue;
    if (group.customerName === null) {
      const column = mapping.customerName ?? mapping.customerCode ?? 'customerName';
      issues.push(
        issueAt(group, column, `customer ${group.customerCode} does not exist; give its name to create it`),
      );
      continue;
    }
    newCustomers.set(group.customerCode, {
      code: group.customerCode,
      name: group.customerName,
      currency: group.currency,
    });
  }
  return { issues, customers, newCustomers: [...newCustomers.values()] };
}

async function createCustomers(
  ctx: ImportContext,
  newCustomers: readonly NewCustomer[],
  customers: Map<string, Customer>,
): Promise<void> {
  for (const batch of chunk(newCustomers)) {
    const created = await ctx.tx
      .insertInto('customers')
      .values(
        batch.map((c) => ({
          tenant_id: ctx.actor.tenantId,
          code: c.code,
          name: c.name,
          currency: c.currency,
        })),
      )
      .returning(['id', 'code', 'currency', 'payment_terms_days'])
      .execute();
    for (const row of created) {
      customers.set(row.code, {
        id: row.id,
        currency: row.currency.trim(),
        termsDays: row.payment_terms_days,
        ownerId: null,
        teamId: null,
      });
    }
  }
}

/** Rows for one contract and its nodes; as in the contract form, owner, team and terms default to the customer's. */
function rowsOf(
  ctx: ImportContext,
  group: ContractImportGroup,
  customer: Customer,
): { contract: Insertable<ContractsTable>; nodes: Insertable<PaymentPlanNodesTable>[] } {
  const tenantId = ctx.actor.tenantId;
  const contractId = randomUUID();
  const contract: Insertable<ContractsTable> = {
    tenant_id: tenantId,
    id: contractId,
    customer_id: customer.id,
    number: group.contractNumber,
    title: group.title,
    owner_user_id: customer.ownerId,
    team_id: customer.teamId,
    amount_minor: group.amountMinor,
    currency: group.currency,
    signed_on: group.signedOn,
    payment_terms_days: group.paymentTermsDays ?? customer.termsDays,
    created_by_user_id: ctx.actor.userId,
  };
  const nodes = group.nodes.map((node, index) => {
    // Signing has happened by the time a contract exists, so on_signing nodes are due from the start.
    const eventOn = node.dueTrigger === 'on_signing' ? group.signedOn : null;
    const dueDate =
      node.dueTrigger === 'fixed_date'
        ? node.dueDate
        : eventOn === null
          ? null
          : addDays(eventOn, node.offsetDays);
    return {
      tenant_id: tenantId,
      contract_id: contractId,
      seq: index + 1,
      name: node.name,
      amount_minor: node.amountMinor,
      currency: group.currency,
      percentage_bp: node.percentageBp,
      due_trigger: node.dueTrigger,
      offset_days: node.offsetDays,
      trigger_event_on: eventOn,
      due_date: dueDate,
    };
  });
  return { contract, nodes };
}

/** Contracts first, then all their nodes, each in multi-row INSERTs; all in the import's one transaction. */
export async function importContractGroups(
  ctx: ImportContext,
  groups: readonly ContractImportGroup[],
  mapping: ResolvedMapping['mapping'],
): Promise<KindOutcome> {
  const checked = await checkAgainstLedger(ctx, groups, mapping);
  // 停止供货: a contract for an existing customer on credit hold (or beyond its limit) refuses the whole file.
  const creditIssues = await importCreditIssues(
    ctx.tx,
    ctx.actor,
    ctx.now,
    groups.flatMap((group) => {
      const customer = checked.customers.get(group.customerCode);
      if (!customer) return [];
      const { row, line, amountMinor, currency } = group;
      return [{ row, line, customerId: customer.id, addedExposureMinor: amountMinor, currency }];
    }),
    mapping.customerCode ?? 'customerCode',
    'import.contracts',
  );
  const issues = [...checked.issues, ...creditIssues];
  const planNodes = groups.reduce((sum, group) => sum + group.nodes.length, 0);
  const counts = {
    newCustomers: checked.newCustomers.length,
    invoices: 0,
    receipts: 0,
    allocations: 0,
    contracts: groups.length,
    planNodes,
    totals: groups.map((group) => ({
      currency: group.currency,
      amountMinor: group.amountMinor,
      settledMinor: 0n,
    })),
  };
  if (issues.length > 0 || ctx.isDryRun) return { issues, counts };
  await createCustomers(ctx, checked.newCustomers, checked.customers);
  const rows = groups.map((group) => {
    const customer = checked.customers.get(group.customerCode);
    if (!customer) throw new Error(`customer ${group.customerCode} was neither found nor created`);
    return rowsOf(ctx, group, customer);
  });
  const total = groups.length + planNodes;
  let done = 0;
  for (const batch of chunk(rows)) {
    await ctx.tx
      .insertInto('contracts')
      .values(batch.map((row) => row.contract))
      .execute();
    done += batch.length;
    ctx.onProgress('write', done, total);
  }
  for (const batch of chunk(rows.flatMap((row) => row.nodes))) {
    await ctx.tx.insertInto('payment_plan_nodes').values(batch).execute();
    done += batch.length;
    ctx.onProgress('write', done, total);
  }
  return { issues: [], counts };
}
