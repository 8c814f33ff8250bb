import { amountMinorOrThrow } from '../../platform/money-input';
import { dueDateFromTerms, invoiceTotals, lineAmounts, type CalendarDate } from '@huikuan/core';
import type { InvoiceLineInput } from '@huikuan/core/contracts';
import type { Insertable, Selectable } from 'kysely';
import type { CustomersTable, InvoiceLinesTable } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { visibleContractOrThrow } from '../contracts/contract-access';

export type LineRow = Omit<Insertable<InvoiceLinesTable>, 'tenant_id' | 'invoice_id'>;

export type InvoiceContentInput = {
  customer: Selectable<CustomersTable>;
  contractId: string | null;
  planNodeId: string | null;
  number: string;
  invoiceDate: CalendarDate;
  dueDate?: CalendarDate | undefined;
  lines?: readonly InvoiceLineInput[] | undefined;
  amount?: string | undefined;
  description?: string | undefined;
};

export type InvoiceContent = {
  contractId: string | null;
  planNodeId: string | null;
  currency: string;
  invoiceDate: CalendarDate;
  dueDate: CalendarDate;
  paymentTermsDays: number;
};

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', {}, [{ path, message }]);
}

/**
 * Where the invoice belongs and when it is due: an optional contract of the same customer (active), an optional
 * node of that contract; currency and payment terms come from the contract, else from the customer.
 */
export async function resolveInvoiceContext(
  tx: Tx,
  actor: Actor,
  input: InvoiceContentInput,
): Promise<InvoiceContent> {
  if (input.planNodeId && !input.contractId) throw invalid('planNodeId', 'A plan node needs its contract');
  const contract = input.contractId ? await visibleContractOrThrow(tx, actor, input.contractId) : null;
  if (contract && contract.customer_id !== input.customer.id) {
    throw invalid('contractId', 'The contract belongs to another customer');
  }
  if (contract && contract.status !== 'active') {
    throw new AppError('conflict', { detail: `contract ${contract.number} is ${contract.status}` });
  }
  if (input.planNodeId && contract) {
    const node = await tx
      .selectFrom('payment_plan_nodes')
      .select('id')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', input.planNodeId)
      .where('contract_id', '=', contract.id)
      .executeTakeFirst();
    if (!node) throw invalid('planNodeId', 'No such plan node on this contract');
  }
  const paymentTermsDays = contract?.payment_terms_days ?? input.customer.payment_terms_days;
  const dueDate = input.dueDate ?? dueDateFromTerms(input.invoiceDate, paymentTermsDays);
  if (dueDate < input.invoiceDate) throw invalid('dueDate', 'The due date cannot be before the invoice date');
  return {
    contractId: contract?.id ?? null,
    planNodeId: input.planNodeId,
    currency: contract?.currency ?? input.customer.currency,
    invoiceDate: input.invoiceDate,
    dueDate,
    paymentTermsDays,
  };
}

/**
 * Lines with their amounts and tax (rounded half-up per line, as on a VAT invoice); a single amount is one line
 * without tax. Every unit price is parsed exactly in the invoice's currency.
 */
export function invoiceLineRows(
  input: Pick<InvoiceContentInput, 'lines' | 'amount' | 'description' | 'number'>,
  currency: string,
): LineRow[] {
  if ((input.lines === undefined) === (input.amount === undefined)) {
    throw invalid('lines', 'Give either lines or a single amount');
  }
  if (input.amount !== undefined) {
    const amountMinor = amountMinorOrThrow(input.amount, currency, 'amount');
    return [
      {
        line_no: 1,
        description: input.description ?? input.number,
        quantity: '1',
        unit_price_minor: amountMinor,
        tax_rate_bp: 0,
        amount_minor: amountMinor,
        tax_minor: 0n,
      },
    ];
  }
  return (input.lines ?? []).map((line, index) => {
    const unitPriceMinor = amountMinorOrThrow(
      line.unitPrice,
      currency,
      `lines.${index}.unitPrice`,
      'non_negative',
    );
    const amounts = lineAmounts({ quantity: line.quantity, unitPriceMinor, taxRateBp: line.taxRateBp });
    return {
      line_no: index + 1,
      description: line.description,
      quantity: line.quantity,
      unit_price_minor: unitPriceMinor,
      tax_rate_bp: line.taxRateBp,
      amount_minor: amounts.amountMinor,
      tax_minor: amounts.taxMinor,
    };
  });
}

export function totalsOfRows(rows: readonly LineRow[]) {
  return invoiceTotals(
    rows.map((row) => ({
      quantity: String(row.quantity),
      unitPriceMinor: row.unit_price_minor,
      taxRateBp: row.tax_rate_bp,
    })),
  );
}
