// dist/ for the tests that run compiled Quire under pm2: compiled once, then reused by every later
// test file (each runs in its own process) until a file under src/ changes.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const root = path.resolve(import.meta.dirname, '..');
const stamp = path.join(root, 'dist', '.built');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Compiles src/ into dist/ (with the templates) unless the last build is newer than every source; type errors elsewhere do not stop the emit. */
export async function ensureBuilt(): Promise<void> {
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  if (built > newestSource(path.join(root, 'src')) && fs.existsSync(path.join(root, 'dist', 'bin', 'www.js'))) return;
  await exec(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root }).catch((err: { stdout?: string }) => {
    process.stderr.write(`tsc reported errors (the build was still emitted):\n${err.stdout ?? ''}\n`);
  });
  if (!fs.existsSync(path.join(root, 'dist', 'bin', 'www.js'))) throw new Error('tsc did not produce dist/bin/www.js');
  // As `npm run build` does: the templates travel with the build, so dist/ needs no src/ beside it.
  fs.cpSync(path.join(root, 'src', 'views'), path.join(root, 'dist', 'views'), { recursive: true });
  fs.writeFileSync(stamp, new Date().toISOString());
}
