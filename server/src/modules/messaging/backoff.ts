/**
 * When a failed message is tried again: 1 min, 5 min, 30 min, 2 h, 12 h after the 1st…5th failed attempt; the
 * 6th failure makes it dead (about 15 hours after the first try), for a person to resend or dismiss. Attempts
 * count from when the message was (re)queued.
 */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The next try after `attemptsMade` failed attempts, or null when it is time to give up. */
export function nextAttemptAfterFailure(attemptsMade: number, now: Date): Date | null {
  const delay = RETRY_DELAYS_MS[attemptsMade - 1];
  return delay === undefined ? null : new Date(now.getTime() + delay);
}

/**
 * How long a message may stay "sending" before we conclude the worker stopped mid-send. Longer than any channel's
 * timeouts (SMTP 3 × 30 s, HTTP 15 s), so a slow but live send is never mistaken for a crash.
 */
export const SENDING_LEASE_MS = 10 * 60_000;
