import { randomBytes } from 'node:crypto';
import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  type InjectionToken,
  Module,
  type OnModuleDestroy,
} from '@nestjs/common';
import { createJobQueue } from './create-job-queue.js';
import { JOB_QUEUE, type JobQueue } from './job-queue.js';

@Injectable()
class JobQueueCloser implements OnModuleDestroy {
  constructor(@Inject(JOB_QUEUE) private readonly queue: JobQueue) {}
  /** First of the shutdown hooks: running jobs finish while the database is still open. */
  onModuleDestroy(): Promise<void> {
    return this.queue.close();
  }
}

/** What a process's queue is made from: its config, read through `inject`. */
export interface JobQueueModuleOptions {
  inject: InjectionToken[];
  settings: (...deps: never[]) => {
    redisUrl?: string;
    /** e.g. `concordia:<partner id>`. */
    prefix: string;
    /** Tests: a random part is added to the prefix and the keys are deleted at close. */
    test: boolean;
    /** false: an API-only process that enqueues for the worker processes (needs Redis). */
    workers?: boolean;
  };
}

/**
 * The process's job queue (queue port of #platform/queue): BullMQ on Redis when configured, in
 * process without it, closed first at shutdown. Test processes add a random part to the Redis
 * prefix and clean up at close, so test files running side by side never share queues. Global:
 * any feature module injects `@Inject(JOB_QUEUE) queue: JobQueue`.
 */
@Global()
@Module({})
export class JobQueueModule {
  static forRoot(options: JobQueueModuleOptions): DynamicModule {
    return {
      module: JobQueueModule,
      providers: [
        {
          provide: JOB_QUEUE,
          inject: options.inject,
          useFactory: (...deps: never[]): JobQueue => {
            const { redisUrl, prefix, test, workers } = options.settings(...deps);
            return createJobQueue({
              redisUrl,
              prefix: test ? `${prefix}:${randomBytes(4).toString('hex')}` : prefix,
              cleanOnClose: test,
              workers,
            });
          },
        },
        JobQueueCloser,
      ],
      exports: [JOB_QUEUE],
    };
  }
}
