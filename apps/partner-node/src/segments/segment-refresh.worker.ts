import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { getLogger } from '#platform/logging/logger';
import { JOB_QUEUE, type JobQueue } from '#platform/queue/job-queue';
import { SEGMENT_REFRESH_DUE_QUEUE, SEGMENT_REFRESH_QUEUE, SegmentsService } from './segments.service.js';

/** How often the scheduler looks for segments whose scheduled refresh is due. */
export const DUE_CHECK_EVERY_MS = 60_000;

/**
 * Runs segment refreshes from the queue: on demand (createSegment, updateSegment with a new rule,
 * refreshSegment) and scheduled (a repeatable job enqueues the due ones every minute). Jobs are
 * idempotent: a refresh that finds the segment refreshed since its request does nothing.
 */
@Injectable()
export class SegmentRefreshWorker implements OnApplicationBootstrap {
  constructor(
    private readonly segments: SegmentsService,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.process(
      SEGMENT_REFRESH_QUEUE,
      async (job) => {
        await this.segments.refresh(job.data.segmentId, new Date(job.data.requestedAt));
      },
      {
        concurrency: 2,
        onFailed: (job) =>
          getLogger().error(
            { segmentId: job.data.segmentId, attempts: job.attempt },
            'segment refresh failed',
          ),
      },
    );
    await this.queue.process(SEGMENT_REFRESH_DUE_QUEUE, async () => {
      for (const due of await this.segments.claimDueRefreshes())
        await this.segments.enqueueRefresh(due.id, due.requestedAt);
    });
    await this.queue.schedule(SEGMENT_REFRESH_DUE_QUEUE, 'segment-refresh-due', {
      every: DUE_CHECK_EVERY_MS,
    });
  }
}
