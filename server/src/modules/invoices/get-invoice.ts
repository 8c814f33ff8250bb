import type { CalendarDate } from '@huikuan/core';
import type { InvoiceDetail } from '@huikuan/core/contracts';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { organizationToday } from '../contracts/ledger-input';
import { visibleInvoiceOrThrow } from './invoice-access';
import { invoiceDetail } from './invoice-views';

/** The invoice as of a date (default today in the organization's time zone). */
export async function getInvoice(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  asOf?: CalendarDate,
): Promise<InvoiceDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const row = await visibleInvoiceOrThrow(tx, actor, invoiceId);
    return invoiceDetail(
      tx,
      actor.tenantId,
      row,
      asOf ?? (await organizationToday(tx, actor.tenantId, deps.clock)),
    );
  });
}
