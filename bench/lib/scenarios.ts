// What is requested in each scenario. Reads rotate over the newest articles and the busiest tags,
// as readers do; the write mix creates articles, comments and favourites as several users.
import type autocannon from 'autocannon';
import type { LoadSpec } from './load.js';
import { signIn, type SiteFacts } from './site.js';

export type ScenarioName = 'home page' | 'home page, no gzip' | 'article page' | 'tag page' | 'API list' | 'API article' | 'signed-in feed' | 'write mix';

/**
 * Reads ask as a browser does: every browser sends Accept-Encoding with gzip, and Quire (or nginx in
 * front) answers pages over 1 KB gzipped. The baseline gets the same header. "home page, no gzip"
 * measures the same page sent whole, for a client that asks for identity.
 */
export const BROWSER = { 'accept-encoding': 'gzip, deflate, br' };

export interface Scenario {
  name: ScenarioName;
  /** A read that wrk can repeat too (one address, no body). */
  wrk: boolean;
  /** Undefined when the build has no such page: the row is skipped with a note. */
  spec(origin: string): Promise<LoadSpec | undefined>;
}

function rotating(paths: string[], headers: Record<string, string> = BROWSER): autocannon.Request[] {
  return paths.map((path) => ({ method: 'GET', path, headers }));
}

async function hasHtmlPage(origin: string, path: string): Promise<boolean> {
  const res = await fetch(`${origin}${path}`);
  await res.arrayBuffer();
  return res.status === 200 && (res.headers.get('content-type') ?? '').includes('text/html');
}

export function scenarios(site: SiteFacts): Scenario[] {
  const slugs = site.slugs.slice(0, 100);
  let counter = 0;
  return [
    {
      name: 'home page', wrk: true,
      spec: async (origin) => ((await hasHtmlPage(origin, '/')) ? { origin, path: '/', headers: BROWSER } : undefined),
    },
    {
      name: 'home page, no gzip', wrk: true,
      spec: async (origin) => ((await hasHtmlPage(origin, '/')) ? { origin, path: '/' } : undefined),
    },
    {
      name: 'article page', wrk: true,
      spec: async (origin) => ((await hasHtmlPage(origin, `/article/${slugs[0]}`))
        ? { origin, path: `/article/${slugs[0]}`, headers: BROWSER, requests: rotating(slugs.map((s) => `/article/${s}`)) } : undefined),
    },
    {
      name: 'tag page', wrk: true,
      spec: async (origin) => ((await hasHtmlPage(origin, `/tag/${site.tags[0]}`))
        ? { origin, path: `/tag/${site.tags[0]}`, headers: BROWSER, requests: rotating(site.tags.map((t) => `/tag/${t}`)) } : undefined),
    },
    { name: 'API list', wrk: true, spec: async (origin) => ({ origin, path: '/api/articles?limit=20', headers: BROWSER }) },
    {
      name: 'API article', wrk: true,
      spec: async (origin) => ({ origin, path: `/api/articles/${slugs[0]}`, headers: BROWSER, requests: rotating(slugs.map((s) => `/api/articles/${s}`)) }),
    },
    {
      name: 'signed-in feed', wrk: true,
      spec: async (origin) => ({ origin, path: '/api/articles/feed?limit=20', headers: { ...BROWSER, authorization: `Token ${await signIn(origin, site.reader)}` } }),
    },
    {
      name: 'write mix', wrk: false,
      spec: async (origin) => {
        const tokens: string[] = [];
        for (const email of site.writers) tokens.push(await signIn(origin, email));
        const auth = () => ({ 'content-type': 'application/json', authorization: `Token ${tokens[counter % tokens.length]}` });
        const slug = () => slugs[(counter * 7) % slugs.length];
        const requests: autocannon.Request[] = [
          {
            method: 'POST', path: '/api/articles',
            setupRequest: (req) => {
              counter++;
              const body = `# Bench post ${counter}\n\nWritten under load, with **markdown** and a [link](https://example.com/${counter}).`;
              return { ...req, headers: auth(), body: JSON.stringify({ article: { title: `Bench post ${counter}`, description: 'Written by the bench', body, tagList: ['bench', 'performance'] } }) };
            },
          },
          {
            method: 'POST',
            setupRequest: (req) => ({ ...req, path: `/api/articles/${slug()}/comments`, headers: auth(), body: JSON.stringify({ comment: { body: `Comment ${counter} from the bench` } }) }),
          },
          {
            method: 'POST',
            setupRequest: (req) => ({ ...req, path: `/api/articles/${slug()}/favorite`, headers: auth() }),
          },
        ];
        return { origin, path: '/api/articles', requests };
      },
    },
  ];
}
