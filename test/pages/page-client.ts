// A browser stand-in for page tests: fetch with a cookie jar, form posts, and the CSRF token
// read from the last page, without following redirects (so tests see them).
export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

export function pageClient(baseUrl: string) {
  const jar = new Map<string, string>();
  let lastToken = '';

  function remember(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now());
      if (!value || expired) jar.delete(name);
      else jar.set(name, value);
    }
  }

  async function request(method: string, path: string, form?: Record<string, string>): Promise<PageResponse> {
    const headers: Record<string, string> = {};
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (form) {
      body = new URLSearchParams(form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    remember(res.headers);
    const text = await res.text();
    const token = /name="_csrf" value="([^"]*)"/.exec(text)?.[1];
    if (token) lastToken = token;
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  return {
    jar,
    get: (path: string) => request('GET', path),
    /** Posts a form with the last page's CSRF token, unless the fields carry their own _csrf. */
    post: (path: string, fields: Record<string, string> = {}) => request('POST', path, { _csrf: lastToken, ...fields }),
    /** Posts a form exactly as given: no token added. */
    postRaw: (path: string, fields: Record<string, string>) => request('POST', path, fields),
    get csrfToken() { return lastToken; },
    async register(username: string, password = 'password123') {
      await request('GET', '/register');
      const res = await request('POST', '/register', { _csrf: lastToken, username, email: `${username}@example.com`, password });
      if (res.status !== 302) throw new Error(`register ${username}: ${res.status} ${res.text.slice(0, 500)}`);
      await request('GET', '/');
      return res;
    },
    async login(email: string, password = 'password123') {
      await request('GET', '/login');
      return request('POST', '/login', { _csrf: lastToken, email, password });
    },
  };
}

/** The text a person reads: tags stripped, whitespace collapsed. */
export function visibleText(html: string): string {
  return html.replace(/<head>[\s\S]*<\/head>/, '').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}
