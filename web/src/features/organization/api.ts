import type { Locale } from '@huikuan/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { anyResponseSchema, apiRequest } from '../../app/api';
import { SESSION_QUERY_KEY } from '../../app/session';

export type UpdateOrganizationRequest = {
  name?: string;
  baseCurrency?: string;
  timezone?: string;
  locale?: Locale;
};

export function useUpdateOrganization() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: UpdateOrganizationRequest) =>
      apiRequest('PATCH', '/api/organization', anyResponseSchema, request),
    // The organization the app shows comes with the session, so refresh that.
    onSuccess: () => client.invalidateQueries({ queryKey: SESSION_QUERY_KEY }),
  });
}
