/**
 * The queue port: every piece of asynchronous work of a Concordia process goes through this small
 * interface, so that the same code runs on BullMQ + Redis (`REDIS_URL` set: durable, shared by all
 * the processes of a node, scales out) and in process (the embedded default: nothing but Node).
 *
 * Each queue is a `QueueDefinition<T>` made once with `defineQueue<T>(name)` beside the code that owns
 * it: what is enqueued and what the handler receives are the one type `T` (the compiler checks both
 * ends), as Twenty's typed message queues do.
 *
 * Semantics, identical in both drivers (see `job-queue.spec.ts`, which runs the same contract
 * against each):
 *
 * - `enqueue(name, data, options)` adds a job to the queue `name`. `data` must be plain JSON.
 *   With a `jobId`, the call is idempotent: while a job with that id is pending (waiting, delayed,
 *   running or waiting for a retry), enqueueing it again does nothing and returns the same id. Once
 *   the job has finished (done, or failed for good) the id is free again.
 * - `process(name, handler, { concurrency })` registers the one handler of a queue; it receives
 *   jobs enqueued before or after. At most `concurrency` jobs of that queue run at once (per process).
 * - A handler that throws is retried until `attempts` (default 3) are spent, waiting
 *   `backoff.delay × 2^(attempt − 1)` ms between attempts (exponential; `fixed` waits `delay`).
 *   After the last attempt the job is dropped and `onFailed` (if given) is told: callers that must
 *   not lose work keep their own durable record (e.g. the outbox table) and re-enqueue from it.
 * - `schedule(name, schedulerId, { every, data })` creates or updates a repeatable job that
 *   enqueues `data` on `name` every `every` ms (first run after one interval). `unschedule` stops it.
 *   In BullMQ the schedule lives in Redis (one per id, whatever the number of processes); in
 *   process it lives with the process.
 * - `close()` stops taking jobs, waits for running ones and releases connections and timers.
 *   The in-process driver loses jobs still pending at close: it is the embedded, single-process
 *   mode, whose durable state is in PostgreSQL.
 *
 * Queue names and job ids are `[A-Za-z0-9_.@=+-]`, at most 200 characters, and a job id is never
 * an integer (BullMQ's rules, enforced by both drivers so code that works embedded works on Redis).
 */
export interface EnqueueOptions {
  /** Idempotency key: a second enqueue with the same id while the first is pending is a no-op. */
  jobId?: string;
  /** Milliseconds to wait before the job may run. */
  delay?: number;
  /** Total tries, including the first (default 3). */
  attempts?: number;
  /** Wait between tries (default exponential from 1000 ms). */
  backoff?: { type: 'exponential' | 'fixed'; delay: number };
}

export interface QueuedJob<T = unknown> {
  id: string;
  name: string;
  data: T;
  /** 1 for the first try, 2 for the first retry… */
  attempt: number;
  maxAttempts: number;
}

export type JobHandler<T = unknown> = (job: QueuedJob<T>) => Promise<unknown>;

export interface ProcessOptions<T = unknown> {
  /** Jobs of this queue run at once in this process (default 1). */
  concurrency?: number;
  /** Told when a job failed its last attempt (the dead letter); errors thrown here are logged. */
  onFailed?: (job: QueuedJob<T>, error: Error) => void | Promise<void>;
}

export interface ScheduleOptions<T = unknown> {
  /** Interval in milliseconds (at least 1000). */
  every: number;
  data?: T;
}

/** A queue and the type of its jobs' data (`defineQueue`). */
export interface QueueDefinition<T> {
  readonly name: string;
  /** Never set: carries the type of the data, so enqueue and process are checked against it. */
  readonly jobData?: T;
}

/** Data of a job that carries nothing (a sweep, a scheduled check). */
export type NoData = Record<string, never> | null;

/** Defines a queue: its name (see the rules above) and, as the type argument, its jobs' data. */
export function defineQueue<T = NoData>(name: string): QueueDefinition<T> {
  assertQueueName('queue name', name);
  return { name };
}

/** How many jobs of one queue wait, run and wait for a delay or a retry (the operations screen). */
export interface QueueDepth {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
}

export interface JobQueue {
  readonly driver: 'bullmq' | 'in-process';
  enqueue<T>(queue: QueueDefinition<T>, data: NoInfer<T>, options?: EnqueueOptions): Promise<string>;
  process<T>(queue: QueueDefinition<T>, handler: JobHandler<T>, options?: ProcessOptions<T>): Promise<void>;
  schedule<T>(queue: QueueDefinition<T>, schedulerId: string, options: ScheduleOptions<T>): Promise<void>;
  unschedule(queue: QueueDefinition<unknown>, schedulerId: string): Promise<void>;
  /** Depths of the queues this process knows (enqueued to or processing), by name. */
  depths(): Promise<QueueDepth[]>;
  close(): Promise<void>;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF = { type: 'exponential', delay: 1000 } as const;

const NAME = /^[A-Za-z0-9_.@=+-]{1,200}$/;

/** Throws when a queue name or job id would be refused by BullMQ (so both drivers refuse it). */
export function assertQueueName(kind: 'queue name' | 'job id' | 'scheduler id', value: string): void {
  if (!NAME.test(value)) {
    throw new Error(`${kind} "${value.slice(0, 50)}" must be 1-200 letters, digits or _ . @ = + -`);
  }
  if (kind === 'job id' && /^\d+$/.test(value)) throw new Error(`job id "${value}" must not be an integer`);
}

export function assertEnqueueOptions(options: EnqueueOptions): void {
  if (options.jobId !== undefined) assertQueueName('job id', options.jobId);
  if (options.delay !== undefined && !(Number.isInteger(options.delay) && options.delay >= 0)) {
    throw new Error('delay must be a non-negative integer (ms)');
  }
  if (options.attempts !== undefined && !(Number.isInteger(options.attempts) && options.attempts >= 1)) {
    throw new Error('attempts must be an integer ≥ 1');
  }
  if (options.backoff && !(Number.isInteger(options.backoff.delay) && options.backoff.delay >= 0)) {
    throw new Error('backoff.delay must be a non-negative integer (ms)');
  }
}

/** Milliseconds to wait after the `attemptsMade`-th failed try (1-based), as BullMQ computes it. */
export function backoffDelay(backoff: EnqueueOptions['backoff'], attemptsMade: number): number {
  const { type, delay } = backoff ?? DEFAULT_BACKOFF;
  return type === 'fixed' ? delay : Math.round(2 ** (attemptsMade - 1) * delay);
}

/** Injection token of the process's JobQueue: `@Inject(JOB_QUEUE) queue: JobQueue`. */
export const JOB_QUEUE = Symbol('JOB_QUEUE');
