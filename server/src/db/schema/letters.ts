/** Kysely's view of the tables of migration 0013, letter and statement templates, letterhead and seal. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled as the migration lands
export type LetterTables = {};
