import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { getLogger } from '#platform/logging/logger';
import { JOB_QUEUE, type JobQueue } from '#platform/queue/job-queue';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { MergeManifestJob } from './merge-manifest.job.js';
import { MergeSyncService } from './merge-sync.service.js';
import { MergedSegmentsService } from './merged-segments.service.js';
import { MERGE_MANIFEST_QUEUE, MERGE_SYNC_QUEUE } from './segment-merges.service.js';

/**
 * Runs segment-merge work from the queue: the manifest of an accepted merge (built and streamed
 * off the request), and, on a schedule, the synchronisation with the federation (incoming
 * proposals, acceptances, results; re-enqueues manifests whose job was lost) and the refresh of
 * merged segments (withdrawn consents leave them).
 */
@Injectable()
export class SegmentMergesWorker implements OnApplicationBootstrap {
  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    private readonly manifests: MergeManifestJob,
    private readonly sync: MergeSyncService,
    private readonly merged: MergedSegmentsService,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.process(MERGE_MANIFEST_QUEUE, (job) => this.manifests.sendManifest(job.data.mergeId), {
      concurrency: 1,
      onFailed: (job, error) =>
        getLogger().error({ mergeId: job.data.mergeId, err: error.message }, 'segment merge manifest failed'),
    });
    if (!this.config.federationUrl) return;
    await this.queue.process(MERGE_SYNC_QUEUE, async () => {
      try {
        await this.sync.sync();
        await this.merged.refreshAllMerged();
      } catch (error) {
        // Not a member yet, or the federation is away: the next run tries again.
        getLogger().info(
          { err: error instanceof Error ? error.message : String(error) },
          'segment merge sync skipped',
        );
      }
    });
    await this.queue.schedule(MERGE_SYNC_QUEUE, 'segment-merge-sync', {
      every: this.config.segmentMergeSyncMs,
    });
  }
}
