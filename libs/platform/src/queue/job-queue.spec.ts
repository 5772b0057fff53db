import { afterEach, describe, expect, it } from '@jest/globals';
import { TEST_REDIS_URL, testRedisPrefix } from '../testing/test-database.js';
import { BullMqJobQueue } from './bullmq-queue.js';
import { createJobQueue } from './create-job-queue.js';
import { InProcessJobQueue } from './in-process-queue.js';
import { backoffDelay, defineQueue, type JobQueue, type QueuedJob } from './job-queue.js';

/** A queue of the contract's tests (its data type given where the test reads it). */
const q = <T = unknown>(name: string) => defineQueue<T>(name);

/** Waits until `check` holds (polling), or fails after `ms`. */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const drivers: [string, () => JobQueue][] = [
  ['in-process', () => new InProcessJobQueue()],
  [
    'bullmq (real Redis)',
    () => new BullMqJobQueue({ url: TEST_REDIS_URL, prefix: testRedisPrefix('queue'), cleanOnClose: true }),
  ],
];

describe('backoffDelay', () => {
  it('doubles from the base delay, as BullMQ does, or stays fixed', () => {
    const exp = { type: 'exponential' as const, delay: 100 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(exp, n))).toEqual([100, 200, 400, 800]);
    expect(backoffDelay({ type: 'fixed', delay: 50 }, 3)).toBe(50);
  });
});

describe.each(drivers)('job queue contract: %s', (_label, make) => {
  let queue: JobQueue;
  afterEach(async () => queue?.close());

  it('runs enqueued jobs with their data, before and after the handler is registered', async () => {
    queue = make();
    const seen: QueuedJob<{ n: number }>[] = [];
    await queue.enqueue(q('contract-basic'), { n: 1 });
    await queue.process(q<{ n: number }>('contract-basic'), async (job) => {
      seen.push(job);
    });
    await queue.enqueue(q('contract-basic'), { n: 2 });
    await until(() => seen.length === 2);
    expect(seen.map((j) => j.data.n).sort()).toEqual([1, 2]);
    expect(seen.every((j) => j.name === 'contract-basic' && j.attempt === 1 && j.maxAttempts === 3)).toBe(
      true,
    );
  });

  it('tells the depths of its queues: waiting, running and delayed jobs', async () => {
    queue = make();
    await queue.enqueue(q('contract-depth'), { n: 1 });
    await queue.enqueue(q('contract-depth'), { n: 2 }, { delay: 60_000 });
    const before = (await queue.depths()).find((d) => d.name === 'contract-depth');
    expect(before).toEqual({ name: 'contract-depth', waiting: 1, active: 0, delayed: 1 });
    let release: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    await queue.process(q('contract-depth'), async () => {
      started = true;
      await running;
    });
    await until(() => started);
    const during = (await queue.depths()).find((d) => d.name === 'contract-depth');
    expect(during).toEqual({ name: 'contract-depth', waiting: 0, active: 1, delayed: 1 });
    release();
  });

  it('is idempotent by job id while the job is pending, and frees the id when it is done', async () => {
    queue = make();
    const runs: string[] = [];
    const first = await queue.enqueue(q('contract-idem'), { v: 'a' }, { jobId: 'same-id', delay: 300 });
    const second = await queue.enqueue(q('contract-idem'), { v: 'b' }, { jobId: 'same-id' });
    expect(second).toBe(first);
    await queue.process(q<{ v: string }>('contract-idem'), async (job) => {
      runs.push(job.data.v);
    });
    await until(() => runs.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runs).toEqual(['a']);
    await queue.enqueue(q('contract-idem'), { v: 'c' }, { jobId: 'same-id' });
    await until(() => runs.length === 2);
    expect(runs).toEqual(['a', 'c']);
  });

  it('honours the delay', async () => {
    queue = make();
    let ranAt = 0;
    await queue.process(q('contract-delay'), async () => {
      ranAt = Date.now();
    });
    const start = Date.now();
    await queue.enqueue(q('contract-delay'), {}, { delay: 400 });
    await until(() => ranAt > 0);
    expect(ranAt - start).toBeGreaterThanOrEqual(380);
  });

  it('retries with exponential back-off, then reports the dead letter', async () => {
    queue = make();
    const tries: { attempt: number; at: number }[] = [];
    const failed: { job: QueuedJob; error: Error }[] = [];
    await queue.process(
      q('contract-retry'),
      async (job) => {
        tries.push({ attempt: job.attempt, at: Date.now() });
        throw new Error(`boom ${job.attempt}`);
      },
      { onFailed: (job, error) => void failed.push({ job, error }) },
    );
    await queue.enqueue(
      q('contract-retry'),
      { x: 1 },
      { attempts: 3, backoff: { type: 'exponential', delay: 150 } },
    );
    await until(() => failed.length === 1);
    expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
    expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(140);
    expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(290);
    expect(failed[0].error.message).toBe('boom 3');
    expect(failed[0].job.attempt).toBe(3);
  });

  it('succeeds on a retry without reporting a failure', async () => {
    queue = make();
    const failed: string[] = [];
    let done = false;
    await queue.process(
      q('contract-flaky'),
      async (job) => {
        if (job.attempt < 2) throw new Error('transient');
        done = true;
      },
      { onFailed: (job) => void failed.push(job.id) },
    );
    await queue.enqueue(q('contract-flaky'), {}, { backoff: { type: 'fixed', delay: 50 } });
    await until(() => done);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(failed).toEqual([]);
  });

  it('limits concurrency per queue', async () => {
    queue = make();
    let running = 0;
    let peak = 0;
    let finished = 0;
    await queue.process(
      q('contract-concurrency'),
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 60));
        running--;
        finished++;
      },
      { concurrency: 2 },
    );
    for (let i = 0; i < 6; i++) await queue.enqueue(q('contract-concurrency'), { i });
    await until(() => finished === 6);
    expect(peak).toBe(2);
  });

  it('runs scheduled jobs repeatedly until unscheduled', async () => {
    queue = make();
    const ticks: unknown[] = [];
    await queue.process(q('contract-schedule'), async (job) => {
      ticks.push(job.data);
    });
    await queue.schedule(q('contract-schedule'), 'every-second', { every: 1000, data: { tick: true } });
    await until(() => ticks.length >= 2, 5000);
    await queue.unschedule(q('contract-schedule'), 'every-second');
    const count = ticks.length;
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(ticks.length).toBeLessThanOrEqual(count + 1);
    expect(ticks[0]).toEqual({ tick: true });
  });

  it('refuses names and ids that BullMQ would refuse', async () => {
    queue = make();
    expect(() => defineQueue('bad:name')).toThrow(/queue name/);
    // A definition made without defineQueue is checked by the driver too.
    await expect(queue.enqueue({ name: 'bad:name' }, {})).rejects.toThrow(/queue name/);
    await expect(queue.enqueue(q('ok'), {}, { jobId: '123' })).rejects.toThrow(/integer/);
    await expect(queue.enqueue(q('ok'), {}, { jobId: 'a:b' })).rejects.toThrow(/job id/);
  });
});

describe('bullmq driver with Redis down', () => {
  it('refuses to enqueue after its timeout instead of hanging, and still closes', async () => {
    const queue = new BullMqJobQueue({
      url: 'redis://127.0.0.1:1',
      prefix: testRedisPrefix('down'),
      enqueueTimeoutMs: 300,
    });
    await expect(queue.enqueue(q('contract-down'), { n: 1 })).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    await queue.close();
  });

  it('closes workers that never reached Redis at once, leaving no lock timer or reconnection behind', async () => {
    // What keeps a process alive: timers and sockets (a node started with Redis down never exited).
    const running = () =>
      process.getActiveResourcesInfo().filter((type) => type === 'Timeout' || type.startsWith('TCP')).length;
    const before = running();
    const queue = new BullMqJobQueue({ url: 'redis://127.0.0.1:1', prefix: testRedisPrefix('down') });
    for (const name of ['down-a', 'down-b', 'down-c']) await queue.process(q(name), async () => undefined);
    await queue.schedule(q('down-a'), 'down-every-second', { every: 1000 });
    await until(() => running() >= before + 3);
    await queue.close();
    await until(() => running() <= before, 3000);
    expect(running()).toBeLessThanOrEqual(before);
  });
});

describe('enqueue-only queues (API replicas) and worker processes on one Redis', () => {
  const opened: JobQueue[] = [];
  afterEach(async () => {
    for (const queue of opened.splice(0)) await queue.close();
  });

  it('an API replica runs no handler; the worker process with the same prefix runs its jobs', async () => {
    const prefix = testRedisPrefix('split');
    const api = createJobQueue({ redisUrl: TEST_REDIS_URL, prefix, workers: false });
    const worker = createJobQueue({ redisUrl: TEST_REDIS_URL, prefix, cleanOnClose: true });
    opened.push(api, worker);
    const ranIn: string[] = [];
    await api.process(q<{ n: number }>('split-jobs'), async () => {
      ranIn.push('api');
    });
    await api.enqueue(q('split-jobs'), { n: 1 }, { jobId: 'one' });
    await api.enqueue(q('split-jobs'), { n: 2 }, { jobId: 'two' });
    await worker.process(q<{ n: number }>('split-jobs'), async (job) => {
      ranIn.push(`worker:${job.data.n}`);
    });
    await until(() => ranIn.length === 2);
    expect(ranIn.sort()).toEqual(['worker:1', 'worker:2']);
  });

  it('refuses an enqueue-only queue without Redis (its jobs would never run)', () => {
    expect(() => createJobQueue({ prefix: 'x', workers: false })).toThrow(/needs Redis/);
  });
});
