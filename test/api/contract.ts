// The API suite, defined once and run on each database by contract.<dialect>.test.ts: the
// RealWorld contract (shared/REALWORLD.md), concurrent writes, and hostile input.
import { describe } from 'node:test';
import type { TestDialect } from '../../support/server.js';
import { useServer } from './harness.js';
import { articleContract } from './suites/articles.js';
import { badInputContract } from './suites/bad-input.js';
import { commentContract } from './suites/comments.js';
import { concurrencyContract } from './suites/concurrency.js';
import { injectionContract } from './suites/injection.js';
import { listContract } from './suites/lists.js';
import { profileContract } from './suites/profiles.js';
import { userContract } from './suites/users.js';

export function defineContractSuite(dialect: TestDialect, opts: { skip?: string } = {}): void {
  describe(`API on ${dialect}`, { skip: opts.skip }, () => {
    const suite = useServer(dialect);
    userContract(suite);
    profileContract(suite);
    articleContract(suite);
    listContract(suite);
    commentContract(suite);
    concurrencyContract(suite);
    badInputContract(suite);
    injectionContract(suite);
  });
}
