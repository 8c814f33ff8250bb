import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './api';
import { storeSession } from './session';

const MAX_RETRIES = 2;

/** Client errors will not fix themselves on retry; network blips and 5xx might. */
function shouldRetry(failureCount: number, error: Error): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < MAX_RETRIES;
}

export function createQueryClient(): QueryClient {
  // Any request answered "unauthenticated" means the session ended (expired, revoked elsewhere):
  // drop it so the router sends the user to sign in, instead of showing errors on every page.
  const onError = (error: Error): void => {
    if (isApiError(error) && error.status === 401 && error.code === 'unauthenticated') {
      storeSession(client, null);
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
  return client;
}
