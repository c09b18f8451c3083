// When the environment holds a bad value, then loadConfig names the variable in one line, without
// echoing anything that may be a secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.js';

test('when TRUST_PROXY holds a host name, then the start stops with a ConfigError naming it', () => {
  assert.throws(() => loadConfig({ TRUST_PROXY: 'localhost' }), (err: Error) => err instanceof ConfigError && /^invalid TRUST_PROXY="localhost": /.test(err.message));
  assert.deepEqual(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).TRUST_PROXY, ['127.0.0.1', '10.0.0.0/8', '::1']);
  assert.throws(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' }), ConfigError);
});

test('when a secret or URL is invalid, then its value is not echoed', () => {
  assert.throws(() => loadConfig({ QUIRE_SECRET: 'short-secret' }), (err: Error) => err.message.startsWith('invalid QUIRE_SECRET:') && !err.message.includes('short-secret'));
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://u:hunter2@h/db' }), (err: Error) => !err.message.includes('hunter2'));
});

test('when a rotation interval does not divide its unit, then it is refused', () => {
  assert.throws(() => loadConfig({ LOG_ROTATE_INTERVAL: '7h' }), /LOG_ROTATE_INTERVAL/);
  assert.equal(loadConfig({ LOG_ROTATE_INTERVAL: '6h' }).LOG_ROTATE_INTERVAL, '6h');
  assert.equal(loadConfig({ PORT: '8080' }).PORT, 8080);
  assert.throws(() => loadConfig({ PORT: 'abc' }), /invalid PORT="abc"/);
});
