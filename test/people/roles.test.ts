// Every role × every action, through the JSON API and through the pages: each answer, and whether
// the change was made, must be what the capability table (src/users/roles.ts) says. The expectation
// is read from the table, so the walk follows it; a few fixed answers at the end keep a wrong table
// from passing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccountStatus, Role } from '../../src/core/state.js';
import { can, ROLES, type Capability } from '../../src/users/roles.js';
import { apiClient, type ApiResponse } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { assertError, uniq } from '../api/harness.js';
import type { PageResponse } from '../pages/page-client.js';
import { assertEditorRefused, assertPageRefused, setAccount, signedInPage, userIdOf, type PageClient } from './accounts.js';

interface Account { username: string; email: string; token: string }
interface Actor extends Account { label: string; role: Role; status: AccountStatus; page: PageClient }

/** Who acts: one account per role, and a suspended author (who may sign in and read, nothing more). */
const CAST: { label: string; role: Role; status: AccountStatus }[] = [
  { label: 'a reader', role: 'reader', status: 'active' },
  { label: 'a contributor', role: 'contributor', status: 'active' },
  { label: 'an author', role: 'author', status: 'active' },
  { label: 'an editor', role: 'editor', status: 'active' },
  { label: 'an admin', role: 'admin', status: 'active' },
  { label: 'a suspended author', role: 'author', status: 'suspended' },
];

let server: TestServer;
let api: ReturnType<typeof apiClient>;
/** An author whose articles and comments the others act on. */
let owner: Account;
const actors = new Map<string, Actor>();

/** What one action acts on, made afresh for each channel so neither sees the other's change. */
interface Fixture { slug: string; title: string; commentId: number; text: string; target: string }

interface Action {
  /** "creates an article", read after the actor's label. */
  name: string;
  capability: Capability;
  /** The status the API answers when the table allows it. */
  apiStatus: number;
  /** The field the API's 403 names. */
  thing: string;
  prepare(actor: Actor): Promise<Fixture>;
  viaApi(actor: Actor, f: Fixture): Promise<ApiResponse>;
  viaPage(actor: Actor, f: Fixture): Promise<PageResponse>;
  /** Where the page redirects when the action is done. */
  pageLocation(actor: Actor, f: Fixture): string | RegExp;
  /** Whether the action's change is there to be read. */
  happened(actor: Actor, f: Fixture): Promise<boolean>;
}

const ARTICLE_TEXT = { description: 'A description', body: 'The first body' };

async function ownerArticle(): Promise<Fixture> {
  const title = uniq('Walk ');
  const res = await api.post('/articles', { article: { title, ...ARTICLE_TEXT } }, owner.token);
  assert.equal(res.status, 201, res.text);
  return { slug: res.body.article.slug, title, commentId: 0, text: uniq('text '), target: owner.username };
}

async function articleBody(slug: string): Promise<string> {
  const res = await api.get(`/articles/${slug}`, owner.token);
  assert.equal(res.status, 200, res.text);
  return res.body.article.body;
}

/** Posts a form from the page it sits on, so the session's CSRF token is the page's. */
async function postFrom(actor: Actor, pagePath: string, action: string, fields: Record<string, string> = {}): Promise<PageResponse> {
  const shown = await actor.page.get(pagePath);
  assert.equal(shown.status, 200, `${actor.label} can read ${pagePath}`);
  return actor.page.post(action, fields);
}

const editorFields = (f: Fixture) => ({ title: f.title, description: ARTICLE_TEXT.description, body: f.text, tags: '' });
const articlePath = (f: Fixture) => `/article/${encodeURIComponent(f.slug)}`;

const editing = { apiStatus: 200, thing: 'article',
  viaApi: (actor: Actor, f: Fixture) => api.put(`/articles/${f.slug}`, { article: { body: f.text } }, actor.token),
  viaPage: (actor: Actor, f: Fixture) => postFrom(actor, articlePath(f), `/editor/${encodeURIComponent(f.slug)}`, editorFields(f)),
  pageLocation: (_actor: Actor, f: Fixture) => articlePath(f),
  happened: async (_actor: Actor, f: Fixture) => (await articleBody(f.slug)) === f.text,
};

const ACTIONS: Action[] = [
  {
    name: 'creates an article', capability: 'publish_own', apiStatus: 201, thing: 'article',
    prepare: async () => ({ slug: '', title: uniq('Created '), commentId: 0, text: '', target: '' }),
    viaApi: (actor, f) => api.post('/articles', { article: { title: f.title, ...ARTICLE_TEXT } }, actor.token),
    viaPage: (actor, f) => postFrom(actor, '/editor', '/editor', { title: f.title, ...ARTICLE_TEXT, tags: '' }),
    pageLocation: () => /^\/article\/[^/?#]+$/,
    happened: async (actor, f) => {
      const rows = await server.deps.database.db.selectFrom('articles').select('author_id').where('title', '=', f.title).execute();
      if (rows.length) assert.deepEqual(rows.map((r) => Number(r.author_id)), [await userIdOf(server.deps.database.db, actor.username)]);
      return rows.length > 0;
    },
  },
  {
    ...editing, name: 'edits their own article', capability: 'edit_own',
    async prepare(actor) {
      // Written by the owner and then given to the actor: a reader or contributor cannot write one.
      const f = await ownerArticle();
      const { db } = server.deps.database;
      await db.updateTable('articles').set({ author_id: await userIdOf(db, actor.username) }).where('slug', '=', f.slug).execute();
      return f;
    },
  },
  { ...editing, name: "edits another writer's article", capability: 'edit_any', prepare: ownerArticle },
  {
    name: "deletes another writer's article", capability: 'delete_any_article', apiStatus: 204, thing: 'article',
    prepare: ownerArticle,
    viaApi: (actor, f) => api.del(`/articles/${f.slug}`, actor.token),
    viaPage: (actor, f) => postFrom(actor, articlePath(f), `/editor/${encodeURIComponent(f.slug)}/delete`),
    pageLocation: (actor) => `/@${encodeURIComponent(actor.username)}`,
    happened: async (_actor, f) => (await api.get(`/articles/${f.slug}`)).status === 404,
  },
  {
    name: 'comments on an article', capability: 'comment', apiStatus: 201, thing: 'comment',
    prepare: ownerArticle,
    viaApi: (actor, f) => api.post(`/articles/${f.slug}/comments`, { comment: { body: f.text } }, actor.token),
    viaPage: (actor, f) => postFrom(actor, articlePath(f), `${articlePath(f)}/comments`, { body: f.text }),
    pageLocation: (_actor, f) => new RegExp(`^${articlePath(f)}#comment-\\d+$`),
    happened: async (_actor, f) => {
      const res = await api.get(`/articles/${f.slug}/comments`);
      return (res.body.comments as { body: string }[]).some((c) => c.body === f.text);
    },
  },
  {
    name: "deletes another writer's comment", capability: 'moderate_comments', apiStatus: 204, thing: 'comment',
    async prepare() {
      const f = await ownerArticle();
      const res = await api.post(`/articles/${f.slug}/comments`, { comment: { body: f.text } }, owner.token);
      assert.equal(res.status, 201, res.text);
      return { ...f, commentId: res.body.comment.id };
    },
    viaApi: (actor, f) => api.del(`/articles/${f.slug}/comments/${f.commentId}`, actor.token),
    viaPage: (actor, f) => postFrom(actor, articlePath(f), `${articlePath(f)}/comments/${f.commentId}/delete`),
    pageLocation: (_actor, f) => `${articlePath(f)}#comments`,
    happened: async (_actor, f) => {
      const res = await api.get(`/articles/${f.slug}/comments`);
      return !(res.body.comments as { id: number }[]).some((c) => c.id === f.commentId);
    },
  },
  {
    name: 'favourites an article', capability: 'favorite', apiStatus: 200, thing: 'article',
    prepare: ownerArticle,
    viaApi: (actor, f) => api.post(`/articles/${f.slug}/favorite`, undefined, actor.token),
    viaPage: (actor, f) => postFrom(actor, articlePath(f), `${articlePath(f)}/favorite`),
    pageLocation: (_actor, f) => articlePath(f),
    happened: async (actor, f) => (await api.get(`/articles/${f.slug}`, actor.token)).body.article.favorited === true,
  },
  {
    name: 'follows a writer', capability: 'follow', apiStatus: 200, thing: 'profile',
    // A writer of its own each time, so following through one channel is not seen by the other.
    prepare: async () => ({ slug: '', title: '', commentId: 0, text: '', target: (await api.register(uniq('followed'))).username }),
    viaApi: (actor, f) => api.post(`/profiles/${f.target}/follow`, undefined, actor.token),
    viaPage: (actor, f) => postFrom(actor, `/@${f.target}`, `/@${f.target}/follow`),
    pageLocation: (_actor, f) => `/@${f.target}`,
    happened: async (actor, f) => (await api.get(`/profiles/${f.target}`, actor.token)).body.profile.following === true,
  },
];

function assertPageDone(res: PageResponse, location: string | RegExp, what: string) {
  assert.equal(res.status, 302, `${what}: expected a redirect, got ${res.status} ${res.text.slice(0, 300)}`);
  if (typeof location === 'string') assert.equal(res.location, location, what);
  else assert.match(res.location ?? '', location, what);
}

const actor = (label: string): Actor => {
  const found = actors.get(label);
  assert.ok(found, `${label} was made in before()`);
  return found;
};

describe('every role × action, through the API and the pages', () => {
  before(async () => {
    // One writer makes two articles for each of ~100 cases: far past the write limits, which are not what this tests.
    server = await startTestServer('sqlite', { WRITE_LIMIT_PER_ACCOUNT: '100000', WRITE_LIMIT_PER_ADDRESS: '100000' });
    api = apiClient(server.url, {
      onResponse: (res, method, path) => assert.ok(res.status < 500, `${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`),
    });
    const { db } = server.deps.database;
    // The site's first account is its admin: registered before anyone else.
    const cast = [CAST.find((c) => c.role === 'admin')!, ...CAST.filter((c) => c.role !== 'admin')];
    for (const member of cast) {
      const account = await api.register(uniq(member.role.slice(0, 4)));
      await setAccount(db, account.username, { role: member.role, status: member.status });
      actors.set(member.label, { ...member, ...account, page: await signedInPage(server.url, account.email) });
    }
    owner = await api.register(uniq('owner'));
    const roles = await db.selectFrom('users').select(['username', 'role']).orderBy('id').execute();
    assert.equal(roles[0]!.role, 'admin', 'the first account is the admin');
    assert.equal(roles.at(-1)!.role, 'author', 'later sign-ups get signup_role, author by default');
  });
  after(() => server?.close());

  test('when the walk is listed, then it holds every role of the table and a suspended account', () => {
    assert.deepEqual([...new Set(CAST.map((c) => c.role))].sort(), [...ROLES].sort());
    assert.ok(CAST.some((c) => c.status === 'suspended'));
  });

  for (const member of CAST) {
    describe(`as ${member.label}`, () => {
      for (const action of ACTIONS) {
        const allowed = can(member, action.capability);
        const verdict = allowed ? 'both allow it' : 'both refuse it and change nothing';
        test(`when ${member.label} ${action.name}, then the API and the page ${verdict} (${action.capability})`, async () => {
          const who = actor(member.label);
          const what = `${member.label} ${action.name}`;

          const viaApi = await action.prepare(who);
          const res = await action.viaApi(who, viaApi);
          if (allowed) assert.equal(res.status, action.apiStatus, `API: ${what}: ${res.text.slice(0, 300)}`);
          else assertError(res, 403, action.thing);
          assert.equal(await action.happened(who, viaApi), allowed, `API: ${what}: the change is ${allowed ? 'made' : 'not made'}`);

          const viaPage = await action.prepare(who);
          const page = await action.viaPage(who, viaPage);
          if (allowed) assertPageDone(page, action.pageLocation(who, viaPage), `page: ${what}`);
          // A new article refused shows the editor again, with the text and why; every other refusal is the 403 page.
          else if (action.name === 'creates an article') assertEditorRefused(page, `page: ${what}`, viaPage.title, 'cannot be published by');
          else assertPageRefused(page, `page: ${what}`, `${action.thing} forbidden`);
          assert.equal(await action.happened(who, viaPage), allowed, `page: ${what}: the change is ${allowed ? 'made' : 'not made'}`);
        });
      }
    });
  }

  // Fixed answers, written out: were the table itself wrong, the walk above would follow it.
  describe('fixed answers that do not come from the table', () => {
    const run = (label: string, name: string) => {
      const found = ACTIONS.find((a) => a.name === name);
      assert.ok(found, name);
      return async () => {
        const who = actor(label);
        const f = await found.prepare(who);
        return { api: await found.viaApi(who, f), page: await found.viaPage(who, await found.prepare(who)) };
      };
    };

    test('when a contributor publishes, then the API and the editor page answer 403', async () => {
      const { api: res, page } = await run('a contributor', 'creates an article')();
      assertError(res, 403, 'article', 'cannot be published by a contributor');
      assertEditorRefused(page, 'contributor at /editor', 'Created ', 'cannot be published by a contributor');
    });

    test("when an editor deletes another writer's article, then the API answers 204 and the page redirects", async () => {
      const { api: res, page } = await run('an editor', "deletes another writer's article")();
      assert.equal(res.status, 204, res.text);
      assert.equal(page.status, 302);
    });

    test("when an author edits another writer's article, then the API and the page answer 403", async () => {
      const { api: res, page } = await run('an author', "edits another writer's article")();
      assertError(res, 403, 'article');
      assertPageRefused(page, 'author editing another');
    });

    test('when a reader comments, favourites and follows, then each is done; when they publish, then 403', async () => {
      for (const name of ['comments on an article', 'favourites an article', 'follows a writer']) {
        const { api: res, page } = await run('a reader', name)();
        assert.ok(res.status === 200 || res.status === 201, `${name}: ${res.status}`);
        assert.equal(page.status, 302, name);
      }
      assertError((await run('a reader', 'creates an article')()).api, 403, 'article');
    });

    test("when an admin deletes another writer's comment, then 204; when a suspended author comments, then 403", async () => {
      assert.equal((await run('an admin', "deletes another writer's comment")()).api.status, 204);
      const suspended = await run('a suspended author', 'comments on an article')();
      assertError(suspended.api, 403, 'comment');
      assertPageRefused(suspended.page, 'suspended author commenting');
    });
  });
});
