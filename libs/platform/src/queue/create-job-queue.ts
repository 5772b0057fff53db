import { BullMqJobQueue } from './bullmq-queue.js';
import { InProcessJobQueue } from './in-process-queue.js';
import type { JobQueue } from './job-queue.js';

export interface JobQueueSettings {
  /** When set, jobs go through BullMQ on this Redis; otherwise they run in this process. */
  redisUrl?: string;
  /** Redis key prefix (BullMQ only), e.g. `concordia:<partner id>`. */
  prefix: string;
  /** Deletes the queues' Redis keys at close (tests). */
  cleanOnClose?: boolean;
  /**
   * false: this process only enqueues (an API replica); handlers registered with `process()` run
   * in the worker processes on the same Redis and prefix. Needs Redis. Default true.
   */
  workers?: boolean;
}

/** A queue that enqueues and schedules but runs no handler here: they run in worker processes. */
class EnqueueOnlyJobQueue implements JobQueue {
  readonly driver: JobQueue['driver'];
  constructor(private readonly inner: JobQueue) {
    this.driver = inner.driver;
  }
  enqueue: JobQueue['enqueue'] = (name, data, options) => this.inner.enqueue(name, data, options);
  process: JobQueue['process'] = async () => undefined;
  depths: JobQueue['depths'] = () => this.inner.depths();
  schedule: JobQueue['schedule'] = (name, id, options) => this.inner.schedule(name, id, options);
  unschedule: JobQueue['unschedule'] = (name, id) => this.inner.unschedule(name, id);
  close = () => this.inner.close();
}

/** The queue port's factory: BullMQ when Redis is configured, in process otherwise. */
export function createJobQueue(settings: JobQueueSettings): JobQueue {
  if (!settings.redisUrl) {
    if (settings.workers === false)
      throw new Error('an enqueue-only queue needs Redis: jobs would never run');
    return new InProcessJobQueue();
  }
  const queue = new BullMqJobQueue({
    url: settings.redisUrl,
    prefix: settings.prefix,
    cleanOnClose: settings.cleanOnClose,
  });
  return settings.workers === false ? new EnqueueOnlyJobQueue(queue) : queue;
}
