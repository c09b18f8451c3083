// Each article's tag_list (kept on its row, migration 007) must equal its article_tags rows.
import assert from 'node:assert/strict';
import type { Db } from '../src/db/database.js';

/** Checks every article: its row's tag_list, parsed and sorted, is the sorted tags of its article_tags rows. */
export async function assertTagListsMatchRows(db: Db): Promise<number> {
  const rows = await db.selectFrom('article_tags').select(['article_id', 'tag']).execute();
  const truth = new Map<number, string[]>();
  for (const { article_id: id, tag } of rows) truth.set(Number(id), [...(truth.get(Number(id)) ?? []), tag]);
  const articles = await db.selectFrom('articles').select(['id', 'tag_list']).execute();
  for (const { id, tag_list: list } of articles) {
    const kept = (list === null ? [] : JSON.parse(list) as string[]).sort();
    assert.deepEqual(kept, (truth.get(Number(id)) ?? []).sort(), `article ${id}: tag_list ${list}`);
  }
  return articles.length;
}
