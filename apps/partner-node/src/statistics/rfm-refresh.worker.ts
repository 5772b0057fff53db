import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { getLogger } from '#platform/logging/logger';
import { JOB_QUEUE, type JobQueue } from '#platform/queue/job-queue';
import { RFM_REFRESH_DUE_QUEUE, RFM_REFRESH_QUEUE, RfmRefreshJob } from './rfm-refresh.job.js';

/**
 * Runs the RFM refreshes from the queue: asked for by a read that found its snapshot stale or by
 * refreshRfmDistribution, and scheduled (a repeatable job enqueues the keys due, every minute or
 * every interval if shorter).
 */
@Injectable()
export class RfmRefreshWorker implements OnApplicationBootstrap {
  constructor(
    private readonly job: RfmRefreshJob,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.process(RFM_REFRESH_QUEUE, (job) => this.job.refresh(job.data).then(() => undefined), {
      concurrency: 1,
      onFailed: (job, error) =>
        getLogger().error(
          { windowDays: job.data.windowDays, currency: job.data.currency, err: error.message },
          'RFM distribution refresh failed',
        ),
    });
    await this.queue.process(RFM_REFRESH_DUE_QUEUE, async () => {
      await this.job.enqueueDue();
    });
    await this.queue.schedule(RFM_REFRESH_DUE_QUEUE, 'statistics-rfm-refresh-due', {
      every: Math.min(60, this.job.intervalSeconds) * 1000,
    });
  }
}
