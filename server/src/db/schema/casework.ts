/** Kysely's view of the tables of migration 0014, promises to pay, disputes, activities, delinquency types, playbooks and the worklist. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled as the migration lands
export type CaseworkTables = {};
