// The ceiling: a bare Koa "hello world", started by the bench in the same run as Quire, so every
// Quire figure can be read as a fraction of what Koa itself does on this machine, right now.
import http from 'node:http';
import Koa from 'koa';

const app = new Koa();
app.use((ctx) => { ctx.body = 'Hello, world'; });
const server = http.createServer(app.callback());
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
