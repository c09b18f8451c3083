// Writes a large sample access log for measuring `quire logs` (not a test):
//   npx tsx test/logs/generate-log.ts /tmp/big-access.log 10000000
import fs from 'node:fs';
import { once } from 'node:events';
import { formatAccessLine } from '../../src/middleware/access-log.js';
import { sampleEntries } from './sample-log.js';

const [file, countText = '10000000'] = process.argv.slice(2);
if (!file) throw new Error('usage: generate-log.ts <file> [lines]');
const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
let batch = '';
let n = 0;
for (const entry of sampleEntries(Number(countText), { stepMs: 9 })) {
  batch += formatAccessLine(entry);
  if (++n % 2000 === 0) {
    if (!out.write(batch)) await once(out, 'drain');
    batch = '';
  }
}
out.end(batch);
await once(out, 'finish');
process.stdout.write(`${n} lines, ${fs.statSync(file).size} bytes\n`);
