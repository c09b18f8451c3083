// Believe X-Forwarded-* (and X-Request-Id) only from configured proxies (addresses or CIDR ranges); from anyone
// else the headers are dropped, so ctx.ip is the real peer and cannot be spoofed.
import { BlockList, isIP, isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Next } from 'koa';
import type { AppContext } from '../core/state.js';

function trustedProxies(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIPv6(address!) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(prefix), family);
  }
  return list;
}

function isTrusted(list: BlockList, address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return list.check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4');
}

/** Whether a peer is one of the configured proxies; with none configured, nobody is (and nothing is parsed per request). */
export function proxyCheck(entries: string[]): (address: string | undefined) => boolean {
  if (entries.length === 0) return () => false;
  const list = trustedProxies(entries);
  return (address) => isTrusted(list, address);
}

/**
 * The client behind trusted proxies: X-Forwarded-For read from the right, past every hop that is a
 * trusted proxy, to the first that is not. Each proxy appends the address it was connected from, so
 * only that end of the list is vouched for; the leftmost entries are whatever the client sent. Every
 * hop trusted: the farthest one; an entry that is no address: the last hop known before it. A peer
 * that is not a trusted proxy is the client, whatever it sent.
 */
export function clientIp(req: IncomingMessage, isProxy: (address: string | undefined) => boolean): string {
  const peer = req.socket.remoteAddress ?? '';
  if (!isProxy(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',');
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!.trim();
    if (isIP(hop) === 0) break;
    client = hop;
    if (!isProxy(hop)) break;
  }
  return client;
}

export function forwardedHeaders(entries: string[]) {
  const trusted = proxyCheck(entries);
  return async function forwardedHeaders(ctx: AppContext, next: Next) {
    if (!trusted(ctx.req.socket.remoteAddress)) {
      for (const name of ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip', 'x-request-id']) delete ctx.req.headers[name];
    } else {
      // Koa's own ctx.ip is the leftmost entry, the one the client chose; every reader of ctx.ip
      // (the access log, the rate limits) gets the rule above instead.
      ctx.request.ip = clientIp(ctx.req, trusted);
    }
    await next();
  };
}
