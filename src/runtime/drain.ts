// An HTTP server that can be drained without losing a request: stop accepting, let in-flight
// requests finish, then close each keep-alive socket the way nginx's lingering_close does — send
// FIN, keep reading (and ignoring) what the client had already sent, close when the client does.
// Destroying the socket instead (Node's default) answers a request written at that instant with a
// reset; after a FIN the client sees a clean end and sends the request again on a new connection,
// which reaches another worker.
import http from 'node:http';
import type { Socket } from 'node:net';

/** How long a closing socket waits for the client's FIN before it is destroyed. */
const LINGER_MS = 2000;

export interface DrainableServer {
  server: http.Server;
  /** Stops accepting and closes every connection once idle; forced after timeoutMs. */
  drain(timeoutMs: number): Promise<{ forced: boolean }>;
}

export function createDrainableServer(handler: http.RequestListener): DrainableServer {
  const inFlight = new Map<Socket, number>();
  let draining = false;

  const linger = (socket: Socket) => {
    if (socket.destroyed || socket.writableEnded) return;
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };

  const server = http.createServer((req, res) => {
    const socket = req.socket;
    // Written after our FIN: unanswered, so the client sends it again on a new connection.
    if (socket.writableEnded) return void req.resume();
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    // Tells nginx and well-behaved clients not to send another request on this socket.
    if (draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      if (draining && left === 0) linger(socket);
    });
    handler(req, res);
  });

  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
    // Node ends a "Connection: close" response with destroySoon(), which resets the socket when
    // the client has already sent more; linger instead.
    socket.destroySoon = () => linger(socket);
  });

  // http.Server#close() calls closeIdleConnections(), which destroys idle sockets outright.
  server.closeIdleConnections = () => {
    for (const [socket, count] of inFlight) if (count === 0) linger(socket);
  };

  return {
    server,
    async drain(timeoutMs) {
      draining = true;
      let forced = false;
      const timer = setTimeout(() => {
        forced = true;
        for (const socket of inFlight.keys()) socket.destroy();
      }, timeoutMs);
      // The callback runs once the listener is closed and the last connection has ended.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearTimeout(timer);
      return { forced };
    },
  };
}
