// The ceilings: bare Koa servers started by the bench in the same run as Quire, so every Quire
// figure can be read as a fraction of what Koa itself does on this machine, right now.
// - By default, a "hello world".
// - With REPLAY_FILE, a replay: it answers the paths listed there with the exact responses (status,
//   headers, compressed bytes) Quire gave when the bench captured them, from memory. A Quire row
//   that matches its replay is as fast as any server can be measured with that load generator
//   for those bytes: what is left is the client's cost of reading them.
import fs from 'node:fs';
import http from 'node:http';
import Koa from 'koa';

interface Captured {
  path: string;
  status: number;
  headers: Record<string, string | string[]>;
  /** base64 */
  body: string;
}

const app = new Koa();
const replayFile = process.env.REPLAY_FILE;
if (replayFile) {
  const responses = new Map((JSON.parse(fs.readFileSync(replayFile, 'utf8')) as Captured[])
    .map((c) => [c.path, { ...c, body: Buffer.from(c.body, 'base64') }]));
  app.use((ctx) => {
    const response = responses.get(ctx.url);
    if (!response) return; // 404
    ctx.status = response.status;
    ctx.set(response.headers);
    ctx.body = response.body;
  });
} else {
  app.use((ctx) => { ctx.body = 'Hello, world'; });
}
const server = http.createServer(app.callback());
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
