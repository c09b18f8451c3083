// A directory of its own for one test, removed afterwards whatever the test did.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export async function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    return await work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
