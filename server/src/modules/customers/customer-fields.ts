import type { z } from 'zod';
import type { createCustomerRequestSchema, updateCustomerRequestSchema } from '@huikuan/core/contracts';
import type { Updateable } from 'kysely';
import type { CustomersTable } from '../../db/schema';
import { AppError } from '../../platform/errors';
import { amountMinorOrThrow } from '../../platform/money-input';

export type CreateCustomerInput = z.output<typeof createCustomerRequestSchema>;
export type UpdateCustomerInput = z.output<typeof updateCustomerRequestSchema>;
type CreditFileInput = Omit<
  UpdateCustomerInput,
  'code' | 'name' | 'ownerUserId' | 'teamId' | 'isActive' | 'registeredCapital' | 'registeredCapitalCurrency'
>;

/** API field → column, for the plain fields copied as they come (undefined means "leave as it is"). */
const PLAIN_COLUMNS = {
  shortName: 'short_name',
  segment: 'segment',
  tags: 'tags',
  paymentTermsDays: 'payment_terms_days',
  currency: 'currency',
  unifiedCreditCode: 'unified_credit_code',
  foundedOn: 'founded_on',
  registeredAddress: 'registered_address',
  officeAddress: 'office_address',
  phone: 'phone',
  website: 'website',
  legalRepresentative: 'legal_representative',
  industry: 'industry',
  companySize: 'company_size',
  financialCondition: 'financial_condition',
  notes: 'notes',
  invoiceRequirements: 'invoice_requirements',
  booksClosingDay: 'books_closing_day',
  paymentBank: 'payment_bank',
  transferCycleDays: 'transfer_cycle_days',
  fundsSituation: 'funds_situation',
} as const satisfies Record<keyof CreditFileInput, keyof CustomersTable>;

export function plainColumnsOf(input: CreditFileInput): Updateable<CustomersTable> {
  const columns: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(PLAIN_COLUMNS)) {
    const value = input[field as keyof CreditFileInput];
    if (value !== undefined) columns[column] = value;
  }
  return columns;
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', {}, [{ path, message }]);
}

/**
 * Registered capital travels as an exact decimal beside its currency and is stored in minor units. The amount may
 * come alone (its currency is then the existing one, else the customer's); a currency alone would reinterpret
 * stored minor units in another exponent, so it must come with the amount.
 */
export function registeredCapitalColumns(
  input: Pick<UpdateCustomerInput, 'registeredCapital' | 'registeredCapitalCurrency'>,
  fallbackCurrency: string,
): Pick<Updateable<CustomersTable>, 'registered_capital_minor' | 'registered_capital_currency'> {
  if (input.registeredCapital === undefined) {
    if (input.registeredCapitalCurrency !== undefined && input.registeredCapitalCurrency !== null) {
      throw invalid('registeredCapital', 'Send the registered capital together with its currency');
    }
    return input.registeredCapitalCurrency === null
      ? { registered_capital_minor: null, registered_capital_currency: null }
      : {};
  }
  if (input.registeredCapital === null) {
    return { registered_capital_minor: null, registered_capital_currency: null };
  }
  const currency = input.registeredCapitalCurrency ?? fallbackCurrency;
  const amountMinor = amountMinorOrThrow(
    input.registeredCapital,
    currency,
    'registeredCapital',
    'non_negative',
  );
  return { registered_capital_minor: amountMinor, registered_capital_currency: currency };
}
