import type { Clock } from './clock';
import type { Config } from './config';
import type { Database } from './db';

/** What the app and its use cases are built from; tests pass their own database and clock. */
export type AppDeps = {
  db: Database;
  clock: Clock;
  config: Config;
  version: string;
};
