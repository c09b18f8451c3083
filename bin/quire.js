#!/usr/bin/env node
// The `quire` command. In production (NODE_ENV=production with a build in dist/) it runs the
// compiled code; otherwise it runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const dist = new URL('../dist/cli/quire.js', import.meta.url);
if (process.env.NODE_ENV === 'production' && existsSync(dist)) {
  await import(dist.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/quire.ts', import.meta.url).href);
}
