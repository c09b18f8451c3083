// users.username_key: the name as uniqueness sees it (NFKC, case-folded), under a unique index, so
// "Alice" and "ａｌｉｃｅ" cannot both be accounts. Existing rows are keyed here; where two of them
// already collide, the older keeps the plain key and each later one gets "<key>~<id>", which no
// name can produce ("~" is not allowed in a username): nobody is renamed or locked out, and the
// plain name stays taken. See docs/decisions/19-username-keys.md.
// Typed Kysely<any> and with its own copy of the key function: a migration is frozen in time.
import { MysqlAdapter, sql, type Kysely } from 'kysely';

const KEY_MAX = 255;
const BATCH = 500;

const keyOf = (username: string) => username.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');

/** At most KEY_MAX characters, cut on a code point boundary. */
const fit = (key: string, room = KEY_MAX) => [...key].slice(0, room).join('');

export async function up(db: Kysely<any>): Promise<void> {
  const isMysql = db.getExecutor().adapter instanceof MysqlAdapter;
  // A binary collation on MySQL whatever the table's default: an accent- or case-insensitive one
  // would merge keys that are different names ("resume" and "résumé").
  await db.schema.alterTable('users')
    .addColumn('username_key', isMysql ? sql`varchar(${sql.raw(String(KEY_MAX))}) character set utf8mb4 collate utf8mb4_bin` : 'text')
    .execute();

  const rows: { id: number; username: string }[] = await db.selectFrom('users').select(['id', 'username']).orderBy('id').execute();
  const taken = new Set<string>();
  const keyed = rows.map(({ id, username }) => {
    let key = fit(keyOf(username));
    if (taken.has(key)) {
      const suffix = `~${id}`;
      key = `${fit(key, KEY_MAX - suffix.length)}${suffix}`;
    }
    taken.add(key);
    return { id: Number(id), key };
  });
  for (let i = 0; i < keyed.length; i += BATCH) {
    const batch = keyed.slice(i, i + BATCH);
    const cases = sql.join(batch.map((r) => sql`when ${r.id} then ${r.key}`), sql` `);
    await sql`update users set username_key = case id ${cases} end where id in (${sql.join(batch.map((r) => r.id))})`.execute(db);
  }

  await db.schema.createIndex('users_username_key_unique').on('users').column('username_key').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const isMysql = db.getExecutor().adapter instanceof MysqlAdapter;
  await db.schema.dropIndex('users_username_key_unique').$call((d) => (isMysql ? d.on('users') : d)).execute();
  await db.schema.alterTable('users').dropColumn('username_key').execute();
}
