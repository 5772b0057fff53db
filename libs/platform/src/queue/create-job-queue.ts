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
}

/** The queue port's factory: BullMQ when Redis is configured, in process otherwise. */
export function createJobQueue(settings: JobQueueSettings): JobQueue {
  return settings.redisUrl
    ? new BullMqJobQueue({
        url: settings.redisUrl,
        prefix: settings.prefix,
        cleanOnClose: settings.cleanOnClose,
      })
    : new InProcessJobQueue();
}
