import { availableParallelism } from 'node:os';
import { TooManyRequestsError } from '../errors/app-errors.js';

/**
 * Runs password hashing (scrypt, ~50 ms of CPU each) a few at a time. Without it a flood of login
 * attempts fills libuv's thread pool (4 threads, shared with file and DNS work) and every core
 * with scrypt, and every other request of the process waits. At most `concurrency` checks run at
 * once, at most `maxQueued` wait; beyond that the attempt is refused with TOO_MANY_REQUESTS —
 * after `refusalDelayMs`, a pause that costs no CPU but holds the caller's connection, so that a
 * flood with a fixed number of connections cannot turn refusals into a busy loop of its own.
 */
export class PasswordCheckLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
    private readonly refusalDelayMs = 1000,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxQueued) {
        if (this.refusalDelayMs > 0) await new Promise((pause) => setTimeout(pause, this.refusalDelayMs));
        throw new TooManyRequestsError('Too many sign-in attempts at once; try again in a moment', 1);
      }
      await new Promise<void>((resume) => this.waiting.push(resume));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter; otherwise it is freed.
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * The process's limiter: half the cores (at least one, at most two) so that requests that are not
 * logins always keep a core; PASSWORD_HASH_CONCURRENCY overrides it.
 */
export const passwordChecks = new PasswordCheckLimiter(
  Number(process.env.PASSWORD_HASH_CONCURRENCY) ||
    Math.max(1, Math.min(2, Math.floor(availableParallelism() / 2))),
  Number(process.env.PASSWORD_HASH_QUEUE) || 16,
);
