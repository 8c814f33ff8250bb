import type { Database } from '../../src/platform/db';
import type { Actor } from '../../src/platform/request-context';
import type { Client } from './test-app';

/**
 * Counts the statements a use case sends, by wrapping the executor of each tenant transaction it opens: the tests
 * that promise "a fixed number of queries whatever the size" call a use case with this database at two sizes.
 */
export function countingDb(db: Database): { db: Database; count: () => number } {
  let count = 0;
  const wrapped: Database = {
    ...db,
    tenant: (tenantId, work) =>
      db.tenant(tenantId, (tx) => {
        const executor = tx.getExecutor();
        const original = executor.executeQuery.bind(executor);
        executor.executeQuery = (query, queryId) => {
          count += 1;
          return original(query, queryId);
        };
        return work(tx);
      }),
  };
  return { db: wrapped, count: () => count };
}

/** The organization's admin as a use case sees it, for calling use cases directly (no HTTP in between). */
export function adminActorOf(client: Client): Actor {
  return {
    tenantId: client.tenantId,
    userId: client.userId,
    role: 'admin',
    teamIds: [],
    tokenId: null,
    tokenScopes: null,
    sessionId: null,
    csrfToken: null,
    requestId: 'test',
    ip: '127.0.0.1',
  };
}
