// Believe X-Forwarded-* (and X-Request-Id) only from configured proxies (addresses or CIDR ranges); from anyone
// else the headers are dropped, so ctx.ip is the real peer and cannot be spoofed.
import { BlockList, isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Next } from 'koa';
import type { AppContext } from '../platform/state.js';

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

/** The client, as Koa's ctx.ip reports it: the first X-Forwarded-For entry from a trusted proxy, else the peer. */
export function clientIp(req: IncomingMessage, trusted: boolean): string {
  const header = trusted ? req.headers['x-forwarded-for'] : undefined;
  const forwarded = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
  return forwarded || req.socket.remoteAddress || '';
}

export function forwardedHeaders(entries: string[]) {
  const trusted = proxyCheck(entries);
  return async function forwardedHeaders(ctx: AppContext, next: Next) {
    if (!trusted(ctx.req.socket.remoteAddress)) {
      for (const name of ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip', 'x-request-id']) delete ctx.req.headers[name];
    }
    await next();
  };
}
