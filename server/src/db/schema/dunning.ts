/** Kysely's view of the tables of migration 0011, dunning policies, ladders, runs and their actions (催收程序). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled as the migration lands
export type DunningTables = {};
