import { describe, expect, it } from '@jest/globals';
import { TooManyRequestsError } from '../errors/app-errors.js';
import { PasswordCheckLimiter } from './password-limiter.js';

describe('PasswordCheckLimiter', () => {
  it('runs at most `concurrency` checks at once, queues a bounded number, refuses the rest', async () => {
    const limiter = new PasswordCheckLimiter(2, 3, 0);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const work = () =>
      new Promise<string>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        releases.push(() => {
          running--;
          resolve('done');
        });
      });
    const accepted = Array.from({ length: 5 }, () => limiter.run(work));
    await expect(limiter.run(work)).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(running).toBe(2);
    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(accepted)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(peak).toBe(2);
  });

  it('frees the slot when a check fails', async () => {
    const limiter = new PasswordCheckLimiter(1, 0, 0);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve(1))).resolves.toBe(1);
  });
});
