// The database as Kysely sees it: one member per table. db/ declares none of them itself: the
// layer that owns a table declares its row shape in its own *.table.ts and adds it to this interface
// there (TypeScript merges every `declare module '../db/schema.js'` block into one Database), so a
// new column touches its feature's folder and a migration, and db/ imports nothing above it.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the *.table.ts files
export interface Database {}
