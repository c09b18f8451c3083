// API tokens must carry both an expiry and a subject: a token signed with the real secret but
// missing either (a leaked signing tool, a token minted by hand) is refused like a forged one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';

describe('token claims', () => {
  let server: TestServer;
  let publicId: string;
  const api = () => apiClient(server.url);
  const forge = (claims: { sub?: string; exp?: boolean }) => {
    let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
    if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
    if (claims.exp) jwt = jwt.setExpirationTime('1h');
    return jwt.sign(new TextEncoder().encode(server.deps.secret));
  };

  before(async () => {
    server = await startTestServer('sqlite');
    await api().register('claims_owner');
    const row = await server.deps.database.db.selectFrom('users').select('public_id')
      .where('username', '=', 'claims_owner').executeTakeFirstOrThrow();
    publicId = row.public_id;
  });
  after(async () => { await server.close(); });

  it('when a token has a subject and an expiry, then it is accepted (the forging itself is sound)', async () => {
    assert.equal((await api().get('/user', await forge({ sub: publicId, exp: true }))).status, 200);
  });

  it('when a token signed with the real secret has no exp, then 401', async () => {
    const res = await api().get('/user', await forge({ sub: publicId }));
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { errors: { token: ['is invalid'] } });
  });

  it('when a token signed with the real secret has no sub, then 401', async () => {
    assert.equal((await api().get('/user', await forge({ exp: true }))).status, 401);
    assert.equal((await api().get('/user', await forge({}))).status, 401);
  });
});
