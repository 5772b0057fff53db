import { Module } from '@nestjs/common';
import { JobQueueModule } from '#platform/queue/job-queue.module';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';

/**
 * The node's job queue (JobQueueModule of #platform/queue): BullMQ on REDIS_URL, in process
 * without it, Redis keys prefixed REDIS_PREFIX (default `concordia:<partner id>`; test nodes add a
 * random part). QUEUE_WORKERS=false makes an API-only replica that enqueues for the worker
 * processes. Any feature module injects `@Inject(JOB_QUEUE) queue: JobQueue`.
 */
@Module({
  imports: [
    JobQueueModule.forRoot({
      inject: [PARTNER_NODE_CONFIG],
      settings: (config: PartnerNodeConfig) => ({
        redisUrl: config.redisUrl,
        prefix: config.env === 'test' ? `concordia-test:${config.partnerId}` : config.redisPrefix,
        test: config.env === 'test',
        workers: config.queueWorkers,
      }),
    }),
  ],
})
export class NodeQueueModule {}
