import type { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';

/** One batch the sequencer moved from ledger_queue into the tree (in one committed transaction). */
export interface SequencedBatch {
  /** The queue ids moved, in the order of their seqs. */
  queueIds: number[];
  /** The seq of the first of them (the others follow, gap-free). */
  firstSeq: number;
  /** A full batch: more rows may be queued (a smaller one took every row committed when it ran). */
  more?: boolean;
}

export interface CommitSequencerOptions {
  /** Moves up to one batch of committed queue rows into the tree (LedgerService.sequenceBatch). */
  sequenceBatch: () => Promise<SequencedBatch>;
  /** Called after each committed batch (monitoring, the bench's latency to provable). */
  onBatch?: (batch: SequencedBatch) => void;
  /** A failed run (the next commit or the caller's timer tries again). */
  onError?: (error: unknown) => void;
}

/**
 * Runs the ledger's sequencer promptly after the commit of every transaction that enqueued an
 * entry in this process, so that queued entries are provable within a sequencer round trip instead
 * of a timer period. The nudge is taken from TypeORM's afterTransactionCommit (outermost commit
 * only: a released savepoint is not a commit); a rolled-back transaction nudges nothing. Nudges
 * coalesce: while a run is under way, any number of commits make one more run after it, which
 * moves all they committed in one batch (one transaction, one WAL flush).
 *
 * Not LISTEN/NOTIFY on purpose: PostgreSQL serialises the commits of transactions that sent a
 * NOTIFY (a database-wide lock held through each one's commit), which is the very wait the queue
 * removes. Entries committed by other processes are moved by their own nudges, by any run here
 * (a run moves every committed row), and by the owner's periodic timer.
 */
export class CommitSequencer {
  private readonly queuedIn = new WeakSet<QueryRunner>();
  private readonly subscriber: EntitySubscriberInterface;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: CommitSequencerOptions,
  ) {
    this.subscriber = {
      afterTransactionCommit: ({ queryRunner }) => {
        // Synchronous on purpose: TypeORM awaits a returned promise before the caller's
        // transaction() resolves, and the caller must not wait for the sequencer.
        if (!queryRunner.isTransactionActive && this.queuedIn.delete(queryRunner)) this.nudge();
      },
      afterTransactionRollback: ({ queryRunner }) => {
        if (!queryRunner.isTransactionActive) this.queuedIn.delete(queryRunner);
      },
    };
    dataSource.subscribers.push(this.subscriber);
  }

  /**
   * Called by enqueue, inside the caller's transaction: sequence once it commits. Outside a
   * transaction the row is already committed: sequence now.
   */
  queued(queryRunner: QueryRunner | undefined): void {
    if (queryRunner?.isTransactionActive) this.queuedIn.add(queryRunner);
    else this.nudge();
  }

  /** Starts a run now, or one more after the current one. */
  nudge(): void {
    if (this.stopped) return;
    this.again = true;
    if (!this.running) this.running = this.loop();
  }

  private async loop(): Promise<void> {
    while (this.again && !this.stopped) {
      this.again = false;
      try {
        for (;;) {
          const batch = await this.options.sequenceBatch();
          if (batch.queueIds.length === 0) break;
          this.options.onBatch?.(batch);
          // A batch that was not full took every row committed before it read them: rows committed
          // since in this process nudged (`again`), and other processes sequence their own.
          if (this.stopped || batch.more === false) break;
        }
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    // Same tick as the last look at `again`: a nudge after this starts a new run.
    this.running = undefined;
  }

  /** Stops nudging (a run under way finishes its batch) and leaves the DataSource's subscribers. */
  async stop(): Promise<void> {
    this.stopped = true;
    const i = this.dataSource.subscribers.indexOf(this.subscriber);
    if (i >= 0) this.dataSource.subscribers.splice(i, 1);
    await this.running;
  }
}
