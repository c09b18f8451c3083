// A TCP forwarder for outage tests: the app connects to a shared service (MariaDB, Redis) through
// it, and a test cuts the link and restores it without stopping the service others are using.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** The port to connect to instead of the target's, on 127.0.0.1. */
  port: number;
  /** Resets every open connection, and every new one until up(): to the app the service is gone. */
  down(): void;
  /** Forwards new connections again. */
  up(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let forwarding = true;
  const clients = new Set<net.Socket>();

  const server = net.createServer((client) => {
    client.on('error', () => undefined); // a reset link is the point, not a failure
    if (!forwarding) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target);
    clients.add(client);
    // Either side ending or failing ends the pair, as a real broken link would.
    const cut = () => { clients.delete(client); client.destroy(); upstream.destroy(); };
    client.on('close', cut);
    upstream.on('error', cut).on('close', cut);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });

  return {
    port: (server.address() as AddressInfo).port,
    down() {
      forwarding = false;
      for (const client of clients) client.resetAndDestroy();
    },
    up() {
      forwarding = true;
    },
    async close() {
      for (const client of clients) client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
