// One line per request in Apache "combined" format plus the response time in ms, written when the
// response is done — finished, failed or aborted by the client — so goaccess, awstats and
// `quire logs` can read it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Next } from 'koa';
import type { Config } from '../config.js';
import { logFileOptions, openLineLog } from '../runtime/log-files.js';
import type { AppContext } from '../core/state.js';

export interface AccessEntry {
  ip: string;
  time: Date;
  method: string;
  url: string;
  httpVersion: string;
  status: number;
  bytes: number | undefined;
  referrer: string;
  userAgent: string;
  durationMs: number;
}

/** nginx's code for "client closed the connection before the response was sent". */
const CLIENT_CLOSED = 499;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** 10/Oct/2000:13:55:36 +0000 — always UTC, so lines from every worker and host compare as text. */
function formatClfDate(d: Date): string {
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Apache's escaping inside quoted fields: quotes, backslashes and control bytes never break a line. */
function escapeField(value: string): string {
  // eslint-disable-next-line no-control-regex -- control bytes are exactly what must be escaped
  return value.replace(/["\\\x00-\x1f\x7f]/g, (c) => (c === '"' || c === '\\' ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/**
 * How much of each field the client chose a line keeps: enough for any real page, referrer or
 * browser, while a flood of 8 KB URLs writes short lines. Escaping can at most quadruple a field.
 */
export const FIELD_LIMITS = { url: 2048, referrer: 1024, userAgent: 512 } as const;

/** value cut to at most limit characters, "..." marking the cut; never half of a surrogate pair. */
function cut(value: string, limit: number): string {
  if (value.length <= limit) return value;
  let end = limit - 3;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate: its pair is cut off
  return `${value.slice(0, end)}...`;
}

export function formatAccessLine(e: AccessEntry): string {
  const request = `${e.method} ${cut(e.url, FIELD_LIMITS.url)} HTTP/${e.httpVersion}`;
  const bytes = e.bytes === undefined ? '-' : String(e.bytes);
  const referrer = escapeField(cut(e.referrer, FIELD_LIMITS.referrer) || '-');
  const userAgent = escapeField(cut(e.userAgent, FIELD_LIMITS.userAgent) || '-');
  return `${e.ip || '-'} - - [${formatClfDate(e.time)}] "${escapeField(request)}" ${e.status} ${bytes} "${referrer}" "${userAgent}" ${e.durationMs.toFixed(3)}\n`;
}

/**
 * Where lines go. whenWritable, when the sink has it, says whether the writer is behind: a promise
 * to wait on before taking another request, or undefined when there is room (see log-files.ts).
 */
export type AccessLogSink = ((line: string) => void) & { whenWritable?: () => Promise<void> | undefined };

/**
 * Writes req's line once res is done: finished, failed, or aborted by the client. ip is the client as
 * Koa's ctx.ip sees it; length is the body's, for responses whose headers went out raw (not readable back).
 */
export function logWhenClosed(sink: AccessLogSink, req: IncomingMessage, res: ServerResponse, ip: string, length?: number): void {
  const started = performance.now();
  const time = new Date();
  // Read now: later layers may rewrite req.url.
  const { method = 'GET', url = '/' } = req;
  // 'close' fires once for every response: after 'finish', or when the client goes away first.
  res.once('close', () => {
    const bytes = length ?? Number(res.getHeader('content-length'));
    sink(formatAccessLine({
      ip,
      time,
      method,
      url,
      httpVersion: req.httpVersion,
      status: res.writableFinished ? res.statusCode : CLIENT_CLOSED,
      bytes: Number.isFinite(bytes) && method !== 'HEAD' && res.statusCode !== 304 ? bytes : undefined,
      referrer: req.headers.referer ?? '',
      userAgent: req.headers['user-agent'] ?? '',
      durationMs: performance.now() - started,
    }));
  });
}

export function accessLog(sink: AccessLogSink) {
  return async function accessLog(ctx: AppContext, next: Next) {
    // ctx.ip is already the client behind a trusted proxy.
    logWhenClosed(sink, ctx.req, ctx.res, ctx.ip);
    // A writer far behind holds new requests back (their logged time includes the wait) instead of
    // dropping their lines: the log is what an operator reads a flood back from.
    const behind = sink.whenWritable?.();
    if (behind) await behind;
    await next();
  };
}

/** Where lines go, per ACCESS_LOG: this worker's rotating file, stdout, or nowhere (undefined). */
export function accessLogSink(config: Readonly<Config>): AccessLogSink | undefined {
  if (config.ACCESS_LOG === 'off') return undefined;
  if (config.ACCESS_LOG === 'stdout') return (line) => void process.stdout.write(line);
  return openLineLog(logFileOptions(config, 'access'));
}
