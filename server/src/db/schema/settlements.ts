/** Kysely's view of the tables of migration 0010, per-invoice settled amounts kept by the ledger's triggers (issue 4 speed). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled as the migration lands
export type SettlementTables = {};
