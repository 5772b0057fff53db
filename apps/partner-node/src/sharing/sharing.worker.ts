import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { getLogger } from '#platform/logging/logger';
import { JOB_QUEUE, type JobQueue } from '#platform/queue/job-queue';
import { DELIVER_QUEUE, DeliveryJob } from './delivery.job.js';
import { DRAIN_QUEUE, OutboxService, RETENTION_QUEUE, SWEEP_QUEUE } from './outbox.service.js';
import { PurgeService } from './purge.service.js';
import { SHARING_OPTIONS, type SharingOptions } from './sharing.options.js';
import { WITHDRAWAL_QUEUE, WithdrawalsJob } from './withdrawals.job.js';

/** Registers the sharing jobs on the queue port and their schedules (sweep, retention). */
@Injectable()
export class SharingWorker implements OnApplicationBootstrap {
  private readonly logger = getLogger().child({ context: 'sharing-worker' });

  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(SHARING_OPTIONS) private readonly options: SharingOptions,
    private readonly outbox: OutboxService,
    private readonly deliveries: DeliveryJob,
    private readonly withdrawals: WithdrawalsJob,
    private readonly purges: PurgeService,
  ) {}

  /**
   * Registration does not hold up the start: with Redis down the node still boots (and its health
   * says so); the jobs start when the queue answers, and the sweep then catches up from PostgreSQL.
   */
  onApplicationBootstrap(): void {
    this.ready = this.register().catch((error: unknown) => {
      this.logger.error({ err: String(error) }, 'sharing jobs could not be registered');
    });
  }

  /** Resolves once the jobs are registered (or registration failed); for tests. */
  ready: Promise<void> = Promise.resolve();

  private async register(): Promise<void> {
    await this.queue.process(DRAIN_QUEUE, async () => this.outbox.drain());
    await this.queue.process(DELIVER_QUEUE, async (job) => this.deliveries.deliver(job.data.deliveryId), {
      concurrency: 4,
      onFailed: (job, error) => this.deliveries.markDead(job.data.deliveryId, error),
    });
    await this.queue.process(
      WITHDRAWAL_QUEUE,
      async (job) => this.withdrawals.relayWithdrawal(job.data.consentId),
      {
        concurrency: 2,
        onFailed: (job) =>
          this.logger.warn({ consentId: job.data.consentId }, 'purge not confirmed yet; swept again'),
      },
    );
    await this.queue.process(SWEEP_QUEUE, async () => this.outbox.sweep());
    await this.queue.process(RETENTION_QUEUE, async () => this.purges.purgeExpired());
    await this.queue.schedule(SWEEP_QUEUE, 'sharing-sweep', { every: this.options.sweepMs });
    await this.queue.schedule(RETENTION_QUEUE, 'sharing-retention', { every: this.options.retentionSweepMs });
    // Whatever a previous process left pending is picked up by the first sweep (one interval in).
  }
}
