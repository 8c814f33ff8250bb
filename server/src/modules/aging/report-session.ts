import { sql } from 'kysely';
import type { Tx } from '../../platform/db';

/**
 * Settings for the rest of a report's transaction (set_config(…, true) is SET LOCAL), in one statement:
 *
 * - jit off: each report statement runs once per request, so JIT compilation is never amortised; on a million
 *   invoices PostgreSQL 15 spent ~100 ms compiling every plan, about the whole budget of a dashboard call.
 * - work_mem, when asked for: the KPI movements are grouped from 1.6 million rows, which at the default 4 MB
 *   sorts on disk (bench/README.md: 2.3 s → 1.5 s at 64 MB). Aging does not ask: with more memory the planner
 *   trades its merge joins over the covering indexes for hash joins that measured twice as slow.
 *
 * PGlite accepts both settings (it has no JIT; the setting is a no-op there).
 */
export async function tuneForReport(tx: Tx, workMem?: '64MB'): Promise<void> {
  await (
    workMem === undefined
      ? sql`SELECT set_config('jit', 'off', true)`
      : sql`SELECT set_config('jit', 'off', true), set_config('work_mem', ${workMem}, true)`
  ).execute(tx);
}
