import { randomUUID } from 'node:crypto';
import { getLogger } from '../logging/logger.js';
import {
  assertEnqueueOptions,
  assertQueueName,
  backoffDelay,
  DEFAULT_ATTEMPTS,
  type EnqueueOptions,
  type JobHandler,
  type JobQueue,
  type ProcessOptions,
  type QueuedJob,
  type ScheduleOptions,
  type QueueDefinition,
  type QueueDepth,
} from './job-queue.js';

interface PendingJob {
  job: QueuedJob;
  options: EnqueueOptions;
  timer?: NodeJS.Timeout;
}

interface Lane {
  handler?: JobHandler;
  options: ProcessOptions;
  ready: PendingJob[];
  running: number;
}

/**
 * The embedded driver of the queue port: jobs live in this process's memory and run on the event
 * loop (timers for delays and back-off). Same semantics as the BullMQ driver (job-queue.ts), minus
 * durability across restarts.
 */
export class InProcessJobQueue implements JobQueue {
  readonly driver = 'in-process' as const;
  private readonly lanes = new Map<string, Lane>();
  /** Pending jobs by `${queue}\u0000${id}`: what makes enqueue idempotent. */
  private readonly pending = new Map<string, PendingJob>();
  private readonly schedulers = new Map<string, NodeJS.Timeout>();
  private readonly active = new Set<Promise<void>>();
  private closed = false;

  async enqueue<T>({ name }: QueueDefinition<T>, data: T, options: EnqueueOptions = {}): Promise<string> {
    if (this.closed) throw new Error('the queue is closed');
    assertQueueName('queue name', name);
    assertEnqueueOptions(options);
    const id = options.jobId ?? randomUUID();
    const key = `${name}\u0000${id}`;
    if (this.pending.has(key)) return id;
    const entry: PendingJob = {
      job: {
        id,
        name,
        // A copy through JSON, as Redis would store it: the handler never shares the caller's object.
        data: JSON.parse(JSON.stringify(data ?? null)) as T,
        attempt: 1,
        maxAttempts: options.attempts ?? DEFAULT_ATTEMPTS,
      },
      options,
    };
    this.pending.set(key, entry);
    this.after(entry, options.delay ?? 0);
    return id;
  }

  async process<T>(
    { name }: QueueDefinition<T>,
    handler: JobHandler<T>,
    options: ProcessOptions<T> = {},
  ): Promise<void> {
    assertQueueName('queue name', name);
    const lane = this.lane(name);
    if (lane.handler) throw new Error(`queue ${name} already has a handler`);
    lane.handler = handler as JobHandler;
    lane.options = options as ProcessOptions;
    this.pump(name);
  }

  async schedule<T>(
    { name }: QueueDefinition<T>,
    schedulerId: string,
    options: ScheduleOptions<T>,
  ): Promise<void> {
    assertQueueName('queue name', name);
    assertQueueName('scheduler id', schedulerId);
    if (!(Number.isInteger(options.every) && options.every >= 1000))
      throw new Error('every must be ≥ 1000 ms');
    await this.unschedule({ name }, schedulerId);
    let run = 0;
    const timer = setInterval(() => {
      run++;
      this.enqueue<T | null>({ name }, options.data ?? null, { jobId: `${schedulerId}.${run}` }).catch(
        () => undefined,
      );
    }, options.every);
    timer.unref();
    this.schedulers.set(`${name}\u0000${schedulerId}`, timer);
  }

  async unschedule({ name }: QueueDefinition<unknown>, schedulerId: string): Promise<void> {
    const key = `${name}\u0000${schedulerId}`;
    clearInterval(this.schedulers.get(key));
    this.schedulers.delete(key);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.schedulers.values()) clearInterval(timer);
    this.schedulers.clear();
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    for (const lane of this.lanes.values()) lane.ready.length = 0;
    await Promise.allSettled([...this.active]);
    this.pending.clear();
  }

  async depths(): Promise<QueueDepth[]> {
    const depths = new Map<string, QueueDepth>();
    const of = (name: string) => {
      let depth = depths.get(name);
      if (!depth) depths.set(name, (depth = { name, waiting: 0, active: 0, delayed: 0 }));
      return depth;
    };
    // A pending job is delayed (a timer), running, or waiting (ready, or about to be).
    for (const entry of this.pending.values()) {
      if (entry.timer) of(entry.job.name).delayed++;
      else of(entry.job.name).waiting++;
    }
    for (const [name, lane] of this.lanes) {
      const depth = of(name);
      depth.active = lane.running;
      depth.waiting = Math.max(0, depth.waiting - lane.running);
    }
    return [...depths.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Resolves when no job is pending or running (for tests and graceful drains). */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0 && !this.closed) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private lane(name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = { options: {}, ready: [], running: 0 };
      this.lanes.set(name, lane);
    }
    return lane;
  }

  /** Makes the job ready after `ms` (at once for 0, still asynchronously). */
  private after(entry: PendingJob, ms: number): void {
    const ready = () => {
      entry.timer = undefined;
      if (this.closed) return;
      this.lane(entry.job.name).ready.push(entry);
      this.pump(entry.job.name);
    };
    if (ms > 0) entry.timer = setTimeout(ready, ms);
    else setImmediate(ready);
  }

  private pump(name: string): void {
    const lane = this.lane(name);
    const concurrency = Math.max(1, lane.options.concurrency ?? 1);
    while (!this.closed && lane.handler && lane.running < concurrency && lane.ready.length > 0) {
      const entry = lane.ready.shift()!;
      lane.running++;
      const run = this.run(lane, entry).finally(() => {
        lane.running--;
        this.active.delete(run);
        this.pump(name);
      });
      this.active.add(run);
    }
  }

  private async run(lane: Lane, entry: PendingJob): Promise<void> {
    const { job } = entry;
    const key = `${job.name}\u0000${job.id}`;
    try {
      await lane.handler!({ ...job });
      this.pending.delete(key);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (job.attempt < job.maxAttempts && !this.closed) {
        const wait = backoffDelay(entry.options.backoff, job.attempt);
        job.attempt++;
        this.after(entry, wait);
        return;
      }
      this.pending.delete(key);
      getLogger().warn({ queue: job.name, jobId: job.id, attempts: job.attempt }, 'job failed for good');
      try {
        await lane.options.onFailed?.({ ...job }, error);
      } catch (hookError) {
        getLogger().error({ queue: job.name, err: String(hookError) }, 'onFailed hook threw');
      }
    }
  }
}
