// `quire nginx` writes configs that nginx itself accepts, for every method and server option.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BALANCING_METHODS, buildNginxConfig, NginxConfigError, parseUpstreamServer, type NginxOptions } from '../../src/cli/nginx-config.js';
import { makePrefix, needNginx, nginxTest } from './nginx-harness.js';
import fs from 'node:fs';

const base = (over: Partial<NginxOptions> = {}): NginxOptions => ({
  servers: [parseUpstreamServer('127.0.0.1:3000'), parseUpstreamServer('127.0.0.1:3001')],
  method: 'round-robin',
  listen: '127.0.0.1:8080',
  serverName: '_',
  publicDir: path.resolve('public'),
  bodyLimitBytes: 1024 * 1024,
  keepalive: 32,
  staticExpires: '1h',
  workerProcesses: 'auto',
  ...over,
});

describe('quire nginx: the config it writes', () => {
  test('when a server spec uses nginx syntax, then every parameter is kept', () => {
    assert.deepEqual(parseUpstreamServer('10.0.0.2:3000 weight=3 max_fails=2 fail_timeout=5s backup'),
      { address: '10.0.0.2:3000', weight: 3, maxFails: 2, failTimeout: '5s', backup: true });
    assert.deepEqual(parseUpstreamServer('[::1]:3000 down'), { address: '[::1]:3000', down: true });
    assert.throws(() => parseUpstreamServer('10.0.0.2'), NginxConfigError);
    assert.throws(() => parseUpstreamServer('10.0.0.2:3000 weight=0'), NginxConfigError);
    assert.throws(() => parseUpstreamServer('10.0.0.2:3000 evil;'), NginxConfigError);
  });

  test('when backup is asked for with a hashing or random method, then it is refused as nginx would', () => {
    for (const method of ['ip_hash', 'hash', 'random'] as const) {
      assert.throws(() => buildNginxConfig(base({ method, servers: [parseUpstreamServer('127.0.0.1:1'), parseUpstreamServer('127.0.0.1:2 backup')] })), /backup/);
    }
  });

  test('when built, then it names the method, the body limit, keepalive, forwarded headers and safe retries', () => {
    const text = buildNginxConfig(base({ method: 'hash', bodyLimitBytes: 2 * 1024 * 1024 }));
    for (const line of ['hash $remote_addr consistent;', 'client_max_body_size 2097152;', 'keepalive 32;', 'proxy_http_version 1.1;',
      'proxy_set_header Connection "";', 'proxy_set_header X-Forwarded-For $remote_addr;', 'proxy_set_header X-Forwarded-Proto $scheme;',
      'proxy_set_header X-Forwarded-Host $host;', 'proxy_next_upstream error timeout http_502 http_503 http_504;', 'gzip on;', 'try_files $uri @quire;']) {
      assert.ok(text.includes(line), `missing: ${line}`);
    }
    assert.doesNotMatch(text, /^\s*proxy_next_upstream [^;#]*non_idempotent/m, 'POSTs must never be retried on another server');
    assert.ok(buildNginxConfig(base({ method: 'random' })).includes('random two least_conn;'));
  });

  test('when nginx -t checks every config quire nginx can write, then each one passes', { timeout: 120_000 }, async (t) => {
    const skip = needNginx();
    if (skip) return t.skip(skip);
    const prefix = makePrefix();
    try {
      const serverSets = [
        ['127.0.0.1:3000'],
        ['127.0.0.1:3000 weight=5', '127.0.0.1:3001 weight=1 max_fails=3 fail_timeout=30s', '127.0.0.1:3002 down'],
        ['127.0.0.1:3000 max_fails=0', 'localhost:3001', '[::1]:3002 weight=2'],
        ['127.0.0.1:3000', '127.0.0.1:3001 backup', '127.0.0.1:3002 backup max_fails=1 fail_timeout=1s'],
      ];
      let checked = 0;
      for (const method of BALANCING_METHODS) {
        for (const specs of serverSets) {
          for (const extra of [{}, { prefix, keepalive: 4, staticExpires: '7d', workerProcesses: '2', listen: '8081', serverName: 'blog.example.org www.example.org' }]) {
            const options = base({ method, servers: specs.map(parseUpstreamServer), ...extra });
            let text: string;
            try {
              text = buildNginxConfig(options);
            } catch (err) {
              assert.ok(err instanceof NginxConfigError && /backup/.test(err.message), `unexpected refusal: ${String(err)}`);
              continue;
            }
            const result = await nginxTest(text);
            assert.ok(result.ok, `nginx -t failed for ${method} ${JSON.stringify(specs)}:\n${result.output}\n${text}`);
            checked += 1;
          }
        }
      }
      t.diagnostic(`nginx -t passed on ${checked} configs`);
      assert.ok(checked >= 30);
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  });
});
