// Where the write generation lives on SQLite: a file beside the database, shared by every worker
// process on the machine. A bump made anywhere is seen by the next read everywhere, even when the
// file is deleted and made again; an in-memory database keeps a counter per handle.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generationStore } from '../../src/cache/generation.js';
import { openDatabase } from '../../src/db/database.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-generation-'));
// A file generation never touches the handle; the stores are only given one to satisfy the type.
const unused = openDatabase('sqlite::memory:');
after(async () => {
  await unused.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const config = { REDIS_PREFIX: 'unused:' };
const sqliteAt = (file: string) => ({ db: unused.db, dialect: 'sqlite' as const, sqliteFile: file });

/** Bumps the generation of the database at file from a separate Node process, as another worker would. */
function bumpInAnotherProcess(file: string): string {
  const script = `
    const { generationStore } = await import(${JSON.stringify(path.resolve('src/cache/generation.ts'))});
    const store = generationStore({ database: { dialect: 'sqlite', sqliteFile: ${JSON.stringify(file)} }, config: { REDIS_PREFIX: '' } });
    await store.bump();
    process.stdout.write(await store.read());`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
}

test('when another process bumps the generation, then this process reads the new one at once, in both read forms', async () => {
  const file = path.join(dir, 'a.db');
  const store = generationStore({ database: sqliteAt(file), config });
  const before = store.readNow!();
  assert.equal(await store.read(), before);
  const theirs = bumpInAnotherProcess(file);
  assert.notEqual(theirs, before);
  assert.equal(store.readNow!(), theirs);
  assert.equal(await store.read(), theirs);
  assert.ok(fs.existsSync(`${file}-generation`), 'the generation file sits beside the database');
});

test('when two stores share a database, then a bump through one moves the other, every time', async () => {
  const file = path.join(dir, 'b.db');
  const one = generationStore({ database: sqliteAt(file), config });
  const two = generationStore({ database: sqliteAt(file), config });
  const seen = new Set([two.readNow!()]);
  for (let i = 0; i < 5; i++) {
    await one.bump();
    const now = two.readNow!();
    assert.ok(!seen.has(now), `bump ${i} gives a generation never seen before (${now})`);
    seen.add(now);
  }
});

test('when the generation file is deleted and another process makes it again, then this process follows it and never matches an old value', async () => {
  const file = path.join(dir, 'c.db');
  const store = generationStore({ database: sqliteAt(file), config });
  await store.bump();
  const old = store.readNow!();
  fs.unlinkSync(`${file}-generation`);
  const theirs = bumpInAnotherProcess(file);
  assert.notEqual(theirs, old);
  assert.equal(store.readNow!(), theirs);
});

test('when the database is in memory, then each handle counts its own writes', async () => {
  const a = openDatabase('sqlite::memory:');
  const b = openDatabase('sqlite::memory:');
  try {
    const first = generationStore({ database: a, config });
    const again = generationStore({ database: a, config });
    const other = generationStore({ database: b, config });
    const before = other.readNow!();
    await first.bump();
    assert.notEqual(again.readNow!(), before, 'a second store on the same handle sees the bump');
    assert.equal(other.readNow!(), before, 'another in-memory database is untouched');
  } finally {
    await a.close();
    await b.close();
  }
});
