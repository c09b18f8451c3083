// A TCP forwarder for outage tests: the app connects to a shared service (MariaDB, Redis) through
// it, and a test breaks the link and restores it without stopping the service others are using.
// Three kinds of fault: down (connections reset, as a dead server), stall (connections stay open
// and accepted, nothing is forwarded either way, as a hung server) and black-hole (as stall, and
// new connections, though the kernel completes their handshake, are never read, answered or
// forwarded: to the client a network that drops every packet after the connect).
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type ProxyState = 'up' | 'down' | 'stalled' | 'black-holed';

export interface TcpProxy {
  /** The port to connect to instead of the target's, on 127.0.0.1. */
  port: number;
  /** Resets every open connection, and every new one until up(): to the app the service is gone. */
  down(): void;
  /** Stops forwarding both ways; connections stay open and new ones are accepted and forwarded to nowhere until up(). */
  stall(): void;
  /** As stall(), and new connections are held unread and unanswered (no server greeting) until up(). */
  blackHole(): void;
  /** Forwards again: stalled connections go on where they stopped, with what was held back. */
  up(): void;
  state(): ProxyState;
  /** Connections currently open through the forwarder. */
  openConnections(): number;
  close(): Promise<void>;
}

interface Link { client: net.Socket; upstream?: net.Socket }

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let state: ProxyState = 'up';
  const links = new Set<Link>();
  // Sockets held unanswered while black-holed: connected at the kernel, never read or written.
  const unanswered = new Set<net.Socket>();

  const pause = (link: Link) => { link.client.pause(); link.upstream?.pause(); };
  const resume = (link: Link) => { link.client.resume(); link.upstream?.resume(); };

  const forward = (client: net.Socket) => {
    const link: Link = { client };
    links.add(link);
    const upstream = net.connect(target);
    link.upstream = upstream;
    // Either side ending or failing ends the pair, as a real broken link would.
    const cut = () => { links.delete(link); client.destroy(); upstream.destroy(); };
    client.on('close', cut);
    upstream.on('error', cut).on('close', cut);
    client.pipe(upstream).pipe(client);
    if (state === 'stalled') pause(link);
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    client.on('error', () => undefined); // a reset link is the point, not a failure
    if (state === 'down') {
      client.resetAndDestroy();
      return;
    }
    if (state === 'black-holed') {
      unanswered.add(client);
      client.on('close', () => unanswered.delete(client));
      return;
    }
    forward(client);
    if (state === 'up') client.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });

  return {
    port: (server.address() as AddressInfo).port,
    down() {
      state = 'down';
      for (const { client } of links) client.resetAndDestroy();
      for (const socket of unanswered) socket.resetAndDestroy();
    },
    stall() {
      state = 'stalled';
      for (const link of links) pause(link);
    },
    blackHole() {
      state = 'black-holed';
      for (const link of links) pause(link);
    },
    up() {
      state = 'up';
      for (const link of links) resume(link);
      for (const socket of unanswered) {
        unanswered.delete(socket);
        forward(socket);
        socket.resume();
      }
    },
    state: () => state,
    openConnections: () => links.size,
    async close() {
      for (const { client } of links) client.destroy();
      for (const socket of unanswered) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
