// Password hashing with scrypt on libuv's thread pool, so hashing never blocks the event loop; and
// the cap on sign-in checks in flight, so a flood of them cannot starve real users of that pool.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../core/errors.js';

const params = { N: 16384, r: 8, p: 1, keylen: 32 };

function derive(password: string, salt: Buffer, opts: ScryptOptions & { keylen: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, opts.keylen, { N: opts.N, r: opts.r, p: opts.p, maxmem: 64 * 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Returns "scrypt$N$r$p$salt$hash" (base64url), self-describing so parameters can change later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n), r: Number(r), p: Number(p), keylen: expected.length,
  });
  return timingSafeEqual(key, expected);
}

/** No password-check slot was free: 503, though the attempt was made (and counts, as a guess would). */
export class PasswordChecksBusy extends AppError {
  constructor() {
    super('unavailable', { credentials: ['too many sign-ins at once, try again in a moment'] });
  }
}

/**
 * Caps the password checks in flight: in all (libuv runs four at a time; more only queue) and per
 * client, so a flood from one address holds at most PER_CLIENT of them and a real user's sign-in
 * still finds a free one. Beyond either cap the check is refused at once with 503, not queued
 * behind the flood's hashes. Per process: it guards this worker's threads, not a shared budget.
 */
export class PasswordCheckSlots {
  static readonly PER_CLIENT = 2;
  private inFlight = 0;
  private readonly byClient = new Map<string, number>();

  constructor(private readonly max: number) {}

  async run<T>(client: string, check: () => Promise<T>): Promise<T> {
    const mine = this.byClient.get(client) ?? 0;
    if (this.inFlight >= this.max || mine >= PasswordCheckSlots.PER_CLIENT) throw new PasswordChecksBusy();
    this.inFlight++;
    this.byClient.set(client, mine + 1);
    try {
      return await check();
    } finally {
      this.inFlight--;
      const left = (this.byClient.get(client) ?? 1) - 1;
      if (left > 0) this.byClient.set(client, left);
      else this.byClient.delete(client);
    }
  }
}
