import { openDatabase } from './dist/platform/db.js';
import * as repo from './dist/articles/article.repo.js';
const h = openDatabase('sqlite:/tmp/pf/site.db');
const db = h.db;
async function time(name, fn, n = 50) { await fn(); const t = performance.now(); for (let i = 0; i < n; i++) await fn(); console.log(name.padEnd(20), ((performance.now() - t) / n).toFixed(3), 'ms'); }
await time('listArticles', () => repo.listArticles(db, {}, 0, 20, 0));
await time('countArticles', () => repo.countArticles(db, {}));
await time('listTags(20)', () => repo.listTags(db, 20));
const rows = await repo.listArticles(db, {}, 0, 20, 0);
await time('tagsFor', () => repo.tagsFor(db, rows.map(r => r.id)));
await time('list tag', () => repo.listArticles(db, {tag: 'sqlite'}, 0, 20, 0));
await time('count tag', () => repo.countArticles(db, {tag: 'sqlite'}));
const q = repo.listArticles.toString(); 
const c = db.selectFrom('articles').selectAll().limit(1).compile();
const s = h.sqlite;
for (const row of s.prepare("select sql from sqlite_master where type in ('index','table')").all()) console.log(row.sql?.replace(/\s+/g,' ').slice(0,200));
await h.close();
