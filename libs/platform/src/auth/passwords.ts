import { randomBytes, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { passwordChecks } from './password-limiter.js';
import { ScryptWorkers } from './scrypt-workers.js';

/**
 * scrypt on low-priority worker threads (as many as password checks may run at once), so hashing
 * never takes libuv's shared pool nor wins the CPU over the event loop. Logins also pass through the
 * limiter (password-login.ts), which bounds how many wait.
 */
const workers = new ScryptWorkers(passwordChecks.concurrency);
const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  workers.run({ password, salt, keylen, options });

// N=2^15, r=8, p=1: about 50 ms on this class of machine; stored with the hash so it can grow later.
const PARAMS = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

/** `scrypt$N$r$p$salt$key`, base64url parts. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(actual, expected);
}
