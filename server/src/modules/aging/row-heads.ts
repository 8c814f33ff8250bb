import { encodeJson } from '../../platform/json-writer';
import type { CustomerInfo, TenantLedger } from './ledger-cache';

/**
 * Each customer's part of a report row as JSON bytes (its id, code and name under the report's own keys), kept per
 * ledger copy while its customers stand: a by-customer report writes 20,000 of them per call, and escaping and
 * encoding names is most of what writing a row costs.
 */
export type RowHeadFormat = (customer: CustomerInfo) => string;

const kept = new WeakMap<TenantLedger, Map<RowHeadFormat, { version: number; heads: Uint8Array[] }>>();

export function customerRowHeads(ledger: TenantLedger, format: RowHeadFormat): Uint8Array[] {
  let byFormat = kept.get(ledger);
  if (!byFormat) {
    byFormat = new Map();
    kept.set(ledger, byFormat);
  }
  const entry = byFormat.get(format);
  if (entry?.version === ledger.customersVersion) return entry.heads;
  const heads = ledger.customers.map((customer) => encodeJson(format(customer)));
  byFormat.set(format, { version: ledger.customersVersion, heads });
  return heads;
}
