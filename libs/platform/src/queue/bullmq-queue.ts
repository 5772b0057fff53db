import { setImmediate as nextTurn } from 'node:timers/promises';
import { Queue, Worker, type Job } from 'bullmq';
import { ServiceUnavailableError } from '../errors/app-errors.js';
import { getLogger } from '../logging/logger.js';
import {
  assertEnqueueOptions,
  assertQueueName,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF,
  type EnqueueOptions,
  type JobHandler,
  type JobQueue,
  type ProcessOptions,
  type QueuedJob,
  type ScheduleOptions,
  type QueueDefinition,
  type QueueDepth,
} from './job-queue.js';

/** How long close() waits for Redis before it drops the connections. */
const CLOSE_GRACE_MS = 5000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Whether a queue's or worker's connections are up: they are when its readiness has settled by the next turn. */
const hasReachedRedis = (client: Queue | Worker): Promise<boolean> =>
  Promise.race([
    client.waitUntilReady().then(
      () => true,
      () => false,
    ),
    nextTurn().then(() => false),
  ]);

export interface BullMqJobQueueOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Key prefix of every queue (tests use one of their own, see `testRedisPrefix`). */
  prefix: string;
  /** Deletes the queues' keys at close (tests). */
  cleanOnClose?: boolean;
  /** How long enqueue() waits for Redis before it refuses (default 5 s). */
  enqueueTimeoutMs?: number;
}

/**
 * The Redis driver of the queue port: one BullMQ Queue (and, when processed here, one Worker) per
 * queue name. Finished jobs are removed at once, so a job id is free again after its job ended,
 * as in the in-process driver.
 */
export class BullMqJobQueue implements JobQueue {
  readonly driver = 'bullmq' as const;
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();
  private closed = false;

  constructor(private readonly options: BullMqJobQueueOptions) {}

  private get connection() {
    // Workers block on Redis: BullMQ wants no per-request retry limit on their connections.
    return { url: this.options.url, maxRetriesPerRequest: null };
  }

  private queue(name: string): Queue {
    if (this.closed) throw new Error('the queue is closed');
    assertQueueName('queue name', name);
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.options.prefix });
      queue.on('error', (err) => getLogger().error({ queue: name, err: err.message }, 'queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<T>({ name }: QueueDefinition<T>, data: T, options: EnqueueOptions = {}): Promise<string> {
    assertEnqueueOptions(options);
    const adding = this.queue(name).add(name, data ?? null, {
      jobId: options.jobId,
      delay: options.delay,
      attempts: options.attempts ?? DEFAULT_ATTEMPTS,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      removeOnComplete: true,
      removeOnFail: true,
    });
    // With Redis down BullMQ would wait for it forever and hang the caller (a GraphQL request, say):
    // refuse after a while instead. Work that must not be lost is kept by its caller (the outbox)
    // and enqueued again later; a late add is harmless, jobs being idempotent by id.
    const timeoutMs = this.options.enqueueTimeoutMs ?? 5000;
    const job = await Promise.race([
      adding,
      delay(timeoutMs).then(() => {
        adding.catch(() => undefined);
        throw new ServiceUnavailableError(`the job queue (Redis) did not answer within ${timeoutMs} ms`);
      }),
    ]);
    return job.id!;
  }

  async depths(): Promise<QueueDepth[]> {
    const names = [...new Set([...this.queues.keys(), ...this.workers.keys()])].sort();
    return Promise.all(
      names.map(async (name) => {
        const counts = await this.queue(name).getJobCounts('waiting', 'prioritized', 'active', 'delayed');
        return {
          name,
          waiting: (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0),
          active: counts['active'] ?? 0,
          delayed: counts['delayed'] ?? 0,
        };
      }),
    );
  }

  async process<T>(
    { name }: QueueDefinition<T>,
    handler: JobHandler<T>,
    options: ProcessOptions<T> = {},
  ): Promise<void> {
    this.queue(name); // validates the name and makes sure the queue exists
    if (this.workers.has(name)) throw new Error(`queue ${name} already has a handler`);
    const toJob = (job: Job): QueuedJob<T> => ({
      id: job.id!,
      name,
      data: job.data as T,
      attempt: job.attemptsMade + 1,
      maxAttempts: job.opts.attempts ?? 1,
    });
    const worker = new Worker(name, async (job: Job) => handler(toJob(job)), {
      connection: this.connection,
      prefix: this.options.prefix,
      concurrency: Math.max(1, options.concurrency ?? 1),
    });
    worker.on('error', (err) => getLogger().error({ queue: name, err: err.message }, 'worker error'));
    worker.on('failed', (job, error) => {
      if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      getLogger().warn({ queue: name, jobId: job.id, attempts: job.attemptsMade }, 'job failed for good');
      Promise.resolve()
        .then(() => options.onFailed?.({ ...toJob(job), attempt: job.attemptsMade }, error))
        .catch((hookError) =>
          getLogger().error({ queue: name, err: String(hookError) }, 'onFailed hook threw'),
        );
    });
    this.workers.set(name, worker);
    // Not awaited: with Redis down the node still starts (health says so) and the worker
    // connects when Redis is back; jobs are delayed, never lost.
    worker
      .waitUntilReady()
      .catch((err: Error) => getLogger().warn({ queue: name, err: err.message }, 'worker not ready'));
  }

  async schedule<T>(
    { name }: QueueDefinition<T>,
    schedulerId: string,
    options: ScheduleOptions<T>,
  ): Promise<void> {
    assertQueueName('scheduler id', schedulerId);
    if (!(Number.isInteger(options.every) && options.every >= 1000))
      throw new Error('every must be ≥ 1000 ms');
    const queue = this.queue(name);
    const upsert = () => this.upsertScheduler(queue, name, schedulerId, options);
    // Registered in the background for the same reason: a down Redis must not block start-up.
    void upsert();
    // A Redis that restarts empty has forgotten the schedule: register it again on every reconnection.
    // (The backend says 'ready' at each connection; a repeated upsert is harmless.)
    queue.getBackend().on('ready', () => void upsert());
  }

  private upsertScheduler<T>(
    queue: Queue,
    name: string,
    schedulerId: string,
    options: ScheduleOptions<T>,
  ): Promise<unknown> {
    return queue
      .upsertJobScheduler(
        schedulerId,
        { every: options.every },
        {
          name,
          data: options.data ?? null,
          opts: {
            removeOnComplete: true,
            removeOnFail: true,
            attempts: DEFAULT_ATTEMPTS,
            backoff: DEFAULT_BACKOFF,
          },
        },
      )
      .catch((err: Error) => getLogger().warn({ queue: name, err: err.message }, 'scheduler not registered'));
  }

  async unschedule({ name }: QueueDefinition<unknown>, schedulerId: string): Promise<void> {
    await this.queue(name).removeJobScheduler(schedulerId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const workers = [...this.workers.values()];
    const queues = [...this.queues.values()];
    // A worker that never reached Redis has no job to finish, and its graceful close would wait for
    // Redis forever, its lock timer and its connections' reconnections left running (a process
    // started with Redis down then never exited): it is closed at once, and such a queue's keys
    // are not cleaned (there is nothing to reach).
    const [workersReached, queuesReached] = await Promise.all([
      Promise.all(workers.map(hasReachedRedis)),
      Promise.all(queues.map(hasReachedRedis)),
    ]);
    // With Redis up, running jobs finish and the queues close cleanly. With Redis gone since, BullMQ
    // would wait for it forever: after a grace period the connections are dropped instead.
    const graceful = (async () => {
      await Promise.allSettled(workers.map((worker, i) => worker.close(!workersReached[i])));
      if (this.options.cleanOnClose) {
        const reachable = queues.filter((_, i) => queuesReached[i]);
        await Promise.allSettled(reachable.map((queue) => queue.obliterate({ force: true })));
      }
      await Promise.allSettled(queues.map((queue) => queue.close()));
    })();
    const finished = await Promise.race([graceful.then(() => true), delay(CLOSE_GRACE_MS).then(() => false)]);
    if (!finished) {
      getLogger().warn(
        { workers: workers.length, queues: queues.length },
        'queue close timed out; disconnecting',
      );
      // Not awaited either: a disconnect can itself wait on the dead connection.
      for (const worker of workers) void worker.disconnect().catch(() => undefined);
      for (const queue of queues) void queue.disconnect().catch(() => undefined);
    }
    this.workers.clear();
    this.queues.clear();
  }
}
