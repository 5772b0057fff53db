import { randomBytes } from 'node:crypto';
import { Global, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { createJobQueue } from '#platform/queue/create-job-queue';
import { JOB_QUEUE, type JobQueue } from '#platform/queue/job-queue';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';

@Injectable()
class JobQueueCloser implements OnModuleDestroy {
  constructor(@Inject(JOB_QUEUE) private readonly queue: JobQueue) {}
  /** First of the shutdown hooks: running jobs finish while the database is still open. */
  onModuleDestroy(): Promise<void> {
    return this.queue.close();
  }
}

/**
 * The node's job queue (queue port of #platform/queue): BullMQ on REDIS_URL, in process without it.
 * Redis keys are prefixed REDIS_PREFIX (default `concordia:<partner id>`); test nodes add a random part and clean up
 * at close, so test files running side by side never share queues. Global: any feature module
 * injects `@Inject(JOB_QUEUE) queue: JobQueue`.
 */
@Global()
@Module({
  providers: [
    {
      provide: JOB_QUEUE,
      inject: [PARTNER_NODE_CONFIG],
      useFactory: (config: PartnerNodeConfig): JobQueue => {
        const test = config.env === 'test';
        return createJobQueue({
          redisUrl: config.redisUrl,
          prefix: test
            ? `concordia-test:${config.partnerId}:${randomBytes(4).toString('hex')}`
            : config.redisPrefix,
          cleanOnClose: test,
          workers: config.queueWorkers,
        });
      },
    },
    JobQueueCloser,
  ],
  exports: [JOB_QUEUE],
})
export class NodeQueueModule {}
