import { minorToDecimalString } from '@huikuan/core';
import type { Customer } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { CustomersTable } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition } from './customer-access';

export type CustomerRowWithNames = Selectable<CustomersTable> & {
  owner_name: string | null;
  team_name: string | null;
};

/** Customers with their owner's and team's names, in one query (left joins, so a page never costs N+1). */
export function selectCustomersWithNames(tx: Tx, tenantId: string) {
  return tx
    .selectFrom('customers as c')
    .leftJoin('users as u', (join) =>
      join.onRef('u.tenant_id', '=', 'c.tenant_id').onRef('u.id', '=', 'c.owner_user_id'),
    )
    .leftJoin('teams as t', (join) =>
      join.onRef('t.tenant_id', '=', 'c.tenant_id').onRef('t.id', '=', 'c.team_id'),
    )
    .selectAll('c')
    .select(['u.name as owner_name', 't.name as team_name'])
    .where('c.tenant_id', '=', tenantId);
}

export function toCustomerView(row: CustomerRowWithNames): Customer {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    shortName: row.short_name,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    teamId: row.team_id,
    teamName: row.team_name,
    segment: row.segment,
    tags: row.tags,
    paymentTermsDays: row.payment_terms_days,
    currency: row.currency.trim(),
    unifiedCreditCode: row.unified_credit_code,
    foundedOn: row.founded_on,
    registeredAddress: row.registered_address,
    officeAddress: row.office_address,
    phone: row.phone,
    website: row.website,
    legalRepresentative: row.legal_representative,
    registeredCapital:
      row.registered_capital_minor !== null && row.registered_capital_currency !== null
        ? minorToDecimalString(row.registered_capital_minor, row.registered_capital_currency.trim())
        : null,
    registeredCapitalCurrency: row.registered_capital_currency?.trim() ?? null,
    industry: row.industry,
    companySize: row.company_size,
    financialCondition: row.financial_condition,
    notes: row.notes,
    invoiceRequirements: row.invoice_requirements,
    booksClosingDay: row.books_closing_day,
    paymentBank: row.payment_bank,
    transferCycleDays: row.transfer_cycle_days,
    fundsSituation: row.funds_situation,
    isActive: row.is_active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** One customer as the API shows it, or 404 when it is in another organization or outside the actor's scope. */
export async function customerViewOrThrow(tx: Tx, actor: Actor, customerId: string): Promise<Customer> {
  const row = await selectCustomersWithNames(tx, actor.tenantId)
    .where('c.id', '=', customerId)
    .where(customerScopeCondition(recordScope(actor), 'c'))
    .executeTakeFirst();
  if (!row) throw notFound('customer');
  return toCustomerView(row);
}

export type CustomerSummary = {
  id: string;
  code: string;
  name: string;
  ownerUserId: string | null;
  ownerName: string | null;
  teamId: string | null;
  teamName: string | null;
};

/**
 * Code, name, owner and team names for the customers on a page of another module's list (invoices, receipts), in
 * one query. It does not check scope: callers pass IDs of rows they already filtered by customerScopeCondition.
 */
export async function customerSummariesByIds(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
): Promise<Map<string, CustomerSummary>> {
  const unique = [...new Set(customerIds)];
  if (unique.length === 0) return new Map();
  const rows = await selectCustomersWithNames(tx, tenantId).where('c.id', 'in', unique).execute();
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        code: row.code,
        name: row.name,
        ownerUserId: row.owner_user_id,
        ownerName: row.owner_name,
        teamId: row.team_id,
        teamName: row.team_name,
      },
    ]),
  );
}
