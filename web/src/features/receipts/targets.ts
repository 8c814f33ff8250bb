import { salesContractDetailSchema } from '@huikuan/core/contracts';
import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { apiRequest } from '../../app/api';
import { useContractsPages } from '../contracts/api';
import { useIssuedInvoices } from '../invoices/api';
import { isNonZeroAmount } from './labels';

/** Something a receipt can be applied to: an open invoice (with its plan node, if any) or an open plan node. */
export type AllocationTarget = {
  key: string;
  kind: 'invoice' | 'node';
  invoiceId?: string;
  planNodeId?: string;
  label: string;
  dueDate: string | null;
  open: string;
  currency: string;
  /** Stable handle for browser tests: the invoice number, or the node's contract and sequence. */
  testKey: string;
};

/**
 * The customer's open invoices (oldest due first, as the server lists them) and open plan nodes of its active
 * contracts, in one currency. Zero-open items are left out by reading the digits, not by comparing numbers.
 */
export function useAllocationTargets(customerId: string | null, currency: string) {
  const invoices = useIssuedInvoices(customerId);
  const contracts = useContractsPages({ search: '', customerId, status: 'active' });
  const contractIds = useMemo(
    () =>
      customerId === null ? [] : (contracts.data?.pages.flatMap((page) => page.items) ?? []).map((c) => c.id),
    [contracts.data, customerId],
  );
  const details = useQueries({
    queries: contractIds.map((id) => ({
      queryKey: ['contracts', 'one', id],
      queryFn: () => apiRequest('GET', `/api/contracts/${encodeURIComponent(id)}`, salesContractDetailSchema),
    })),
  });
  const detailData = details.map((query) => query.data);
  // Cheap enough to rebuild each render; memoizing over a variable number of queries buys nothing.
  const targets = (() => {
    const invoiceTargets: AllocationTarget[] = (invoices.data ?? [])
      .filter((invoice) => invoice.currency === currency && isNonZeroAmount(invoice.open))
      .map((invoice) => ({
        key: `invoice:${invoice.id}`,
        kind: 'invoice',
        invoiceId: invoice.id,
        planNodeId: invoice.planNodeId ?? undefined,
        label: invoice.number,
        dueDate: invoice.dueDate,
        open: invoice.open ?? '0',
        currency: invoice.currency,
        testKey: invoice.number,
      }));
    const nodeTargets: AllocationTarget[] = detailData.flatMap((contract) =>
      (contract?.planNodes ?? [])
        .filter((node) => node.currency === currency && isNonZeroAmount(node.open))
        .map((node) => ({
          key: `node:${node.id}`,
          kind: 'node' as const,
          planNodeId: node.id,
          label: `${contract?.number ?? ''} · ${node.seq}. ${node.name}`,
          dueDate: node.dueDate,
          open: node.open,
          currency: node.currency,
          testKey: `${contract?.number ?? ''}-${node.seq}`,
        })),
    );
    return [...invoiceTargets, ...nodeTargets];
  })();
  return { targets, isLoading: invoices.isPending || details.some((query) => query.isPending) };
}
