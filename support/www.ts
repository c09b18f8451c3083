// The real server process (`node --import tsx src/bin/www.ts`) for tests of boot, outages and
// faults: started with only the environment given, in a temp data dir removed when it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface Www {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  /** Resolves when the server logs that it is ready; rejects if it exits first or takes over 30 s. */
  ready: Promise<void>;
}

/** Runs `node --import tsx src/bin/www.ts` with only the environment given (plus PATH and HOME). */
export function startWww(env: Record<string, string>): Www {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-www-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/www.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dataDir,
      NODE_ENV: 'test', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_DIR: path.join(dataDir, 'logs'),
      QUIRE_SECRET: 'test-secret-that-is-long-enough-0123456789', LOG_LEVEL: 'info', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    resolve(code);
  }));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`www not ready after 30 s; stderr: ${stderr}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('"msg":"quire is ready"')) { clearTimeout(timer); resolve(); }
    });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`www exited (${code}) before ready; stderr: ${stderr}`)); });
  });
  ready.catch(() => undefined); // awaited by the tests that need it
  return { child, stderr: () => stderr, exited, ready };
}

export async function stopWww(www: Www): Promise<void> {
  if (www.child.exitCode === null && www.child.signalCode === null) www.child.kill('SIGTERM');
  await www.exited;
}
