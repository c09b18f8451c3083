// A small JSON client for API tests: fetch against the test server, with an optional token; and
// rawRequest, for tests that must see exactly the headers and bytes the server sent.
import http from 'node:http';

export interface RawResponse { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

/** One request through node:http (no fetch decoding, no added headers), on a connection of its own. */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; localAddress?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, localAddress: opts.localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}
export interface ApiResponse<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** onResponse sees every response, e.g. to check that no body leaks a field it should not. */
export function apiClient(baseUrl: string, hooks: { onResponse?: (res: ApiResponse, method: string, path: string) => void } = {}) {
  async function request(method: string, path: string, opts: { token?: string; json?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Token ${opts.token}`;
    let body: string | Uint8Array | undefined;
    if (opts.json !== undefined) { body = JSON.stringify(opts.json); headers['content-type'] ??= 'application/json'; }
    if (opts.raw !== undefined) { body = opts.raw; headers['content-type'] ??= 'application/json'; }
    const res = await fetch(`${baseUrl}/api${path}`, { method, headers, body: body as BodyInit | undefined });
    const text = await res.text();
    let parsed: unknown;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
    const response = { status: res.status, headers: res.headers, body: parsed, text };
    hooks.onResponse?.(response, method, path);
    return response;
  }
  return {
    request,
    get: (path: string, token?: string) => request('GET', path, { token }),
    post: (path: string, json?: unknown, token?: string) => request('POST', path, { json, token }),
    put: (path: string, json?: unknown, token?: string) => request('PUT', path, { json, token }),
    del: (path: string, token?: string) => request('DELETE', path, { token }),
    async register(username: string, password = 'password123') {
      const res = await request('POST', '/users', { json: { user: { username, email: `${username}@example.com`, password } } });
      if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${res.text}`);
      return res.body.user as { token: string; username: string; email: string };
    },
  };
}
