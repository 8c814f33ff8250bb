import {
  creditRatingPageSchema,
  creditRatingSchema,
  paymentBehaviourSchema,
  type CreditRatingOverrideRequest,
} from '@huikuan/core/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, withQuery } from '../../app/api';

export const PAYMENT_BEHAVIOUR_QUERY_KEY = ['payment-behaviour'] as const;

const ratingPath = (customerId: string) => `/api/customers/${encodeURIComponent(customerId)}/credit-rating`;

/** A customer's credit history as of a date (null: the organization's today). */
export function usePaymentBehaviour(customerId: string, asOf: string | null) {
  return useQuery({
    queryKey: [...PAYMENT_BEHAVIOUR_QUERY_KEY, customerId, asOf],
    queryFn: () =>
      apiRequest(
        'GET',
        withQuery(`/api/customers/${encodeURIComponent(customerId)}/payment-behaviour`, { asOf }),
        paymentBehaviourSchema,
      ),
  });
}

/** Customers with their effective ratings, one page; for the dashboard and lists. */
export function useCreditRatings(filters: {
  asOf?: string;
  rating?: string;
  cursor?: string;
  limit?: number;
}) {
  return useQuery({
    queryKey: ['credit-ratings', filters],
    queryFn: () => apiRequest('GET', withQuery('/api/credit-ratings', filters), creditRatingPageSchema),
  });
}

function useInvalidateRatings() {
  const client = useQueryClient();
  // The rating shows on this tab, in rating lists and (audited) in the customer's history.
  return () =>
    Promise.all(
      [PAYMENT_BEHAVIOUR_QUERY_KEY, ['credit-ratings'], ['audit']].map((queryKey) =>
        client.invalidateQueries({ queryKey }),
      ),
    );
}

export function useOverrideCreditRating(customerId: string) {
  const invalidate = useInvalidateRatings();
  return useMutation({
    mutationFn: (body: CreditRatingOverrideRequest) =>
      apiRequest('PUT', ratingPath(customerId), creditRatingSchema, body),
    onSuccess: invalidate,
  });
}

export function useClearCreditRating(customerId: string) {
  const invalidate = useInvalidateRatings();
  return useMutation({
    mutationFn: () => apiRequest('DELETE', ratingPath(customerId), creditRatingSchema),
    onSuccess: invalidate,
  });
}
