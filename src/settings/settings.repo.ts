// All SQL about settings: every stored row, and one upsert per change.
import { orUpdate, type Db } from '../db/database.js';
import { prepared } from '../db/prepared.js';

const allQuery = prepared((db) => db.selectFrom('settings').select(['key', 'value', 'updated_at']));

export async function storedSettings(db: Db): Promise<{ key: string; value: string; updated_at: number }[]> {
  return (await allQuery(db, {})).rows;
}

export async function storeSetting(db: Db, key: string, value: string, now: number): Promise<void> {
  await db.insertInto('settings').values({ key, value, updated_at: now })
    .$call(orUpdate(db, 'key', { value, updated_at: now })).execute();
}
