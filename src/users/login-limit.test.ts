// The sign-in rate limit: per client address and email, 429 once the budget is spent, shared by
// every instance through Redis when REDIS_URL is set, and through the database otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import SQLite from 'better-sqlite3';
import { apiClient } from '../../support/client.js';
import { startTestServer } from '../../support/server.js';
import { createMysqlDatabase, MYSQL_ADMIN_URL, needService, REDIS_TEST_URL } from '../../support/services.js';

const rateLimitRows = (file: string) => {
  const sqlite = new SQLite(file, { readonly: true });
  try {
    return (sqlite.prepare('select count(*) as n from rate_limits').get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
};

const login = (url: string, email: string, password: string) => apiClient(url).post('/users/login', { user: { email, password } });

test('when one address keeps guessing a password, then it gets 429 after LOGIN_MAX_ATTEMPTS, other emails do not, and a success starts over', async () => {
  const server = await startTestServer('sqlite', { LOGIN_MAX_ATTEMPTS: '3' });
  try {
    const api = apiClient(server.url);
    await api.register('victim');
    await api.register('other');
    for (let i = 0; i < 3; i++) assert.equal((await login(server.url, 'victim@example.com', 'wrong-password')).status, 401);
    const limited = await login(server.url, 'victim@example.com', 'password123');
    assert.equal(limited.status, 429);
    assert.deepEqual(limited.body, { errors: { credentials: ['too many attempts, try again later'] } });
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await login(server.url, 'other@example.com', 'password123')).status, 200);
    // A success resets the count for that email.
    for (let i = 0; i < 2; i++) assert.equal((await login(server.url, 'other@example.com', 'nope-nope')).status, 401);
    assert.equal((await login(server.url, 'other@example.com', 'password123')).status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await login(server.url, 'other@example.com', 'nope-nope')).status, 401);
  } finally {
    await server.close();
  }
});

async function attemptsCountAcross(env: Record<string, string>) {
  const a = await startTestServer('sqlite', env);
  const b = await startTestServer('sqlite', env);
  try {
    await apiClient(a.url).register('shared');
    assert.equal((await login(a.url, 'shared@example.com', 'wrong-password')).status, 401);
    assert.equal((await login(b.url, 'shared@example.com', 'wrong-password')).status, 401);
    assert.equal((await login(a.url, 'shared@example.com', 'password123')).status, 429);
    assert.equal((await login(b.url, 'shared@example.com', 'password123')).status, 429);
  } finally {
    await a.close();
    await b.close();
  }
}

test('when two instances share one SQLite file and no Redis, then attempts on one count on the other', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-limit-'));
  try {
    await attemptsCountAcross({ LOGIN_MAX_ATTEMPTS: '2', DATABASE_URL: `sqlite:${path.join(dir, 'q.db')}` });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('when two instances share one MariaDB and no Redis, then attempts on one count on the other', async (t) => {
  const skip = await needService('MariaDB', MYSQL_ADMIN_URL);
  if (skip) return t.skip(skip);
  const database = await createMysqlDatabase('quire_limit');
  try {
    await attemptsCountAcross({ LOGIN_MAX_ATTEMPTS: '2', DATABASE_URL: database.url });
  } finally {
    await database.drop();
  }
});

test('when two instances share Redis, then attempts on one count on the other', async (t) => {
  const skip = await needService('Redis', REDIS_TEST_URL);
  if (skip) return t.skip(skip);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-limit-'));
  const prefix = `quire-test-${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(REDIS_TEST_URL);
  try {
    await attemptsCountAcross({ LOGIN_MAX_ATTEMPTS: '2', REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: prefix, DATABASE_URL: `sqlite:${path.join(dir, 'q.db')}` });
    assert.ok((await redis.keys(`${prefix}login:*`)).length > 0, 'the attempts were counted in Redis');
    assert.equal(await rateLimitRows(path.join(dir, 'q.db')), 0, 'and not in the database');
  } finally {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
