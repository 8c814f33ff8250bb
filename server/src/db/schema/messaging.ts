/** Kysely's view of the tables of migration 0012, channels, the message outbox and in-app notifications. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled as the migration lands
export type MessagingTables = {};
