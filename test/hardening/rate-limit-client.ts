// JSON requests from a chosen loopback address (127.0.0.2, 127.0.0.3 …), so rate-limit tests can
// play several clients without trusting X-Forwarded-For: each address gets its own keep-alive agent.
import http from 'node:http';

export interface JsonResponse { status: number; headers: http.IncomingHttpHeaders; body: any } // eslint-disable-line @typescript-eslint/no-explicit-any

export function addressClient(baseUrl: string, localAddress: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  function request(method: string, path: string, json?: unknown, token?: string): Promise<JsonResponse> {
    const body = json === undefined ? undefined : JSON.stringify(json);
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Token ${token}`;
    return new Promise((resolve, reject) => {
      http.request(`${baseUrl}/api${path}`, { method, headers, agent, localAddress }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = text; }
          resolve({ status: res.statusCode!, headers: res.headers, body: parsed });
        });
      }).on('error', reject).end(body);
    });
  }
  return {
    request,
    post: (path: string, json?: unknown, token?: string) => request('POST', path, json, token),
    close: () => agent.destroy(),
  };
}

/** Signs in through the API from this client; resolves to the status and how long it took. */
export async function timedSignIn(client: ReturnType<typeof addressClient>, email: string, password: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await client.post('/users/login', { user: { email, password } });
  return { status: res.status, ms: performance.now() - started };
}
