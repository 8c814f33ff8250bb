import { useCallback, useMemo, useState } from 'react';

export type IdempotencyKey = {
  /** Headers to send with the money-moving request. */
  headers: Record<string, string>;
  /** Call after the action succeeded, so the next action gets a fresh key. */
  renew: () => void;
};

/**
 * One Idempotency-Key per user action. The key is made when the component that performs the action mounts (a
 * dialog opening) and is reused for every retry of that action, so a timeout followed by a second click moves
 * the money once; only a success starts a new action with a new key.
 */
export function useIdempotencyKey(): IdempotencyKey {
  const [key, setKey] = useState(() => crypto.randomUUID());
  const renew = useCallback(() => setKey(crypto.randomUUID()), []);
  return useMemo(() => ({ headers: { 'Idempotency-Key': key }, renew }), [key, renew]);
}
