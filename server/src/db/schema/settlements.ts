import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely's view of the tables of migration 0010: settled amounts kept by the ledger's triggers (issue 4 speed).
 * The app role may only read them; the triggers write them (see the migration).
 */

type KeptDate = ColumnType<string, string, string>;
type KeptNullableDate = ColumnType<string | null, string | null, string | null>;

export type InvoiceSettlementsTable = {
  tenant_id: string;
  invoice_id: string;
  /** The invoice's number, copied when it is issued (migration 0021: never changes). */
  number: string;
  seq: Generated<bigint>;
  customer_id: string;
  contract_id: string | null;
  plan_node_id: string | null;
  currency: string;
  invoice_date: KeptDate;
  due_date: KeptDate;
  total_minor: bigint;
  allocated_minor: Generated<bigint>;
  credited_minor: Generated<bigint>;
  voided_on: KeptNullableDate;
  open_minor: Generated<bigint>;
  changed_xid: Generated<string>;
};

export type CustomerOpenBalancesTable = {
  tenant_id: string;
  customer_id: string;
  currency: string;
  open_minor: Generated<bigint>;
  open_items: Generated<number>;
  oldest_open_due: KeptNullableDate;
};

export type ContractInvoicedTable = {
  tenant_id: string;
  contract_id: string;
  invoiced_minor: Generated<bigint>;
};

export type PlanNodeInvoicedTable = {
  tenant_id: string;
  plan_node_id: string;
  invoiced_minor: Generated<bigint>;
};

export type SettlementTables = {
  invoice_settlements: InvoiceSettlementsTable;
  customer_open_balances: CustomerOpenBalancesTable;
  contract_invoiced: ContractInvoicedTable;
  plan_node_invoiced: PlanNodeInvoicedTable;
};
