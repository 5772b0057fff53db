import type { DataSource, EntityManager } from 'typeorm';
import { fromPackedTextArray, packedTextArray } from '#platform/database/packed-text-array';
import { arrayLiteral } from '#platform/database/array-literal';
import { NotFoundError, ValidationError } from '#platform/errors/app-errors';
import type { LedgerExport } from './export-format.js';
import { buildLeaf, type Leaf } from './leaf.js';
import { LedgerCheckpoints } from './ledger-checkpoints.js';
import { exportLedger, type LedgerExportOptions } from './ledger-export.js';
import { consistencyProofAt, inclusionProofAt, rootAt } from './ledger-proofs.js';
import { checkInteger, frontierOf, toEntry, type EntryRow, type HeadRow } from './ledger-rows.js';
import type {
  AppendedEntry,
  ConsistencyProofResult,
  InclusionProofResult,
  LedgerHead,
  LedgerOptions,
  LedgerSigner,
  QueuedEntry,
  StoredCheckpoint,
  StoredEntry,
} from './ledger-types.js';
import { CommitSequencer, type SequencedBatch } from './sequencer.js';

/** When entries written together happened: a millisecond each, one time now, or one time given. */
export type LeafTime = 'distinct' | 'shared' | Date;
export type {
  AppendedEntry,
  ConsistencyProofResult,
  InclusionProofResult,
  LedgerHead,
  LedgerOptions,
  LedgerSigner,
  QueuedEntry,
  StoredCheckpoint,
  StoredEntry,
} from './ledger-types.js';
export { compactRange } from './ledger-rows.js';

/** Batches (newest first) and entries awaitSequenced looks through before searching the ledger. */
const RECENT_BATCHES = 64;
const RECENT_ENTRIES = 10_000;

// Sequences leaves in one statement (function of LedgerAppendFunction1700000009500): lock of the
// head, seqs, completed subtrees and new head; returns the first seq. The entries ($2) as
// `packedTextArray`.
const APPEND = `SELECT ledger_append($1::text[], ${fromPackedTextArray('$2')}, $3::bytea[], $4::timestamptz[]) AS first`;

/**
 * An append-only, RFC 9162 Merkle-tree ledger over PostgreSQL (tables of CreateLedger1700000005000).
 * Plain class: the federation and the partner node each build one over their own DataSource.
 *
 * Two ways to append in the caller's transaction, both gap-free and all-or-nothing with it:
 *
 * - `enqueue` (the one to use): inserts a ledger_queue row, nothing else, so concurrent
 *   transactions do not wait for one another; the sequencer (`sequencePending`, run after each
 *   such commit when `startSequencer` was called, and by the owner's timer) then moves committed
 *   rows into the tree in batches, one commit per batch, under the lock of the head. Seqs follow
 *   the order in which the sequencer finds committed rows (queue id order within a batch): an
 *   entry whose transaction committed before another's enqueue ran always comes first; entries of
 *   concurrent transactions may take either order. `awaitSequenced` gives the seq once it exists.
 * - `append`: locks the single ledger_head row FOR UPDATE, takes seq = size, folds the leaf into
 *   the stored frontier and writes leaf, completed subtrees and head, all in one statement (the
 *   ledger_append function: leaves are built and hashed here, before the lock). The lock is held
 *   until the caller's transaction ends, its WAL flush included, so appenders serialise (seqs in
 *   commit order): only for a caller that needs the seq inside its own transaction.
 */
export class LedgerService {
  private sequencer: CommitSequencer | undefined;
  private readonly recentBatches: SequencedBatch[] = [];
  private readonly checkpointStore: LedgerCheckpoints;

  constructor(
    private readonly dataSource: DataSource,
    readonly options: LedgerOptions,
  ) {
    this.checkpointStore = new LedgerCheckpoints(dataSource, options.origin);
  }

  /**
   * Appends an entry inside the caller's transaction and gives it its seq there. `entry` is a JSON
   * value, or JSON text that must already be RFC 8785 canonical (refused otherwise). The ledger
   * stays locked for other appenders until the transaction ends (its commit flush included): use
   * `enqueue` unless the seq is needed inside the transaction, and call it late in the transaction.
   */
  async append(manager: EntityManager, kind: string, entry: unknown): Promise<AppendedEntry> {
    requireTransaction(manager);
    const leaf = buildLeaf(kind, entry, new Date());
    const [seq] = await this.sequence(manager, [leaf]);
    return { seq: seq as number, leafHash: leaf.hash, appendedAt: leaf.at };
  }

  /**
   * Appends several entries inside the caller's transaction, in order: one lock of the head and
   * one write for all of them (a bulk change ledgers each of its records as one `append` would).
   * By default they share one time; `time: 'distinct'` gives each a millisecond of its own, as
   * `enqueueMany` does.
   */
  async appendMany(
    manager: EntityManager,
    entries: readonly { kind: string; entry: unknown }[],
    options: { time?: 'distinct' | 'shared' } = {},
  ): Promise<AppendedEntry[]> {
    requireTransaction(manager);
    if (entries.length === 0) return [];
    const leaves = leavesOf(entries, options.time ?? 'shared');
    const seqs = await this.sequence(manager, leaves);
    return leaves.map((leaf, i) => ({ seq: seqs[i] as number, leafHash: leaf.hash, appendedAt: leaf.at }));
  }

  /** append() in a transaction of its own. */
  appendNow(kind: string, entry: unknown): Promise<AppendedEntry> {
    return this.dataSource.transaction((manager) => this.append(manager, kind, entry));
  }

  /**
   * Appends an entry inside the caller's transaction without touching the ledger head (no lock,
   * no wait): a ledger_queue row that commits or rolls back with the caller's change; the
   * sequencer gives it its seq after the commit (at once with `startSequencer`). Committed queue
   * rows are durable: a crash only delays their sequencing. `entry` as for `append`.
   */
  async enqueue(manager: EntityManager, kind: string, entry: unknown): Promise<QueuedEntry> {
    const leaf = buildLeaf(kind, entry, new Date());
    const [row] = (await manager.query(
      `INSERT INTO ledger_queue (kind, entry, leaf_hash, appended_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [leaf.kind, leaf.text, Buffer.from(leaf.hash), leaf.at.toISOString()],
    )) as { id: string }[];
    this.sequencer?.queued(manager.queryRunner);
    return { queueId: Number(row?.id), leafHash: leaf.hash, appendedAt: leaf.at };
  }

  /**
   * enqueue() for several entries in one statement, in order. By default each entry gets a
   * millisecond of its own; `time: 'shared'` gives them all the same time, as `appendMany` does;
   * a Date gives them all that time (a file stored in several statements, one time for the file).
   */
  async enqueueMany(
    manager: EntityManager,
    entries: readonly { kind: string; entry: unknown }[],
    options: { time?: LeafTime } = {},
  ): Promise<void> {
    if (entries.length === 0) return;
    const leaves = leavesOf(entries, options.time ?? 'distinct');
    await manager.query(
      `INSERT INTO ledger_queue (kind, entry, leaf_hash, appended_at)
       SELECT k, e, h, a FROM unnest($1::text[], ${fromPackedTextArray('$2')}, $3::bytea[], $4::timestamptz[]) WITH ORDINALITY AS u(k, e, h, a, n)
        ORDER BY n`,
      leafParameters(leaves),
    );
    this.sequencer?.queued(manager.queryRunner);
  }

  /** Moves up to `limit` committed queue rows into the tree (in queue order); returns how many. */
  async sequencePending(limit = 2000): Promise<number> {
    return (await this.sequenceBatch(limit)).queueIds.length;
  }

  /**
   * sequencePending() that tells which queue rows it moved and their first seq. `probe: false`
   * skips the look for a committed row before the transaction (one statement): for the sequencer,
   * nudged by a commit that queued one.
   */
  async sequenceBatch(limit = 2000, options: { probe?: boolean } = {}): Promise<SequencedBatch> {
    if (options.probe ?? true) {
      // Nothing committed in the queue: no transaction (locking the head would cost a WAL flush).
      const [any] = (await this.dataSource.query(
        `SELECT id FROM ledger_queue ORDER BY id LIMIT 1`,
      )) as unknown[];
      if (!any) return { queueIds: [], firstSeq: -1, more: false };
    }
    // One statement (LedgerSequenceQueueFunction1700000010500): the head locked first (one
    // sequencer, and no appender, at a time; queue order kept), the oldest rows sequenced as they
    // were queued and deleted, without their entries leaving the database.
    const [row] = (await this.dataSource.query(`SELECT first_seq, queue_ids FROM ledger_sequence_queue($1)`, [
      limit,
    ])) as { first_seq: string; queue_ids: string[] }[];
    const queueIds = (row?.queue_ids ?? []).map(Number);
    const batch: SequencedBatch =
      queueIds.length === 0
        ? { queueIds: [], firstSeq: -1, more: false }
        : { queueIds, firstSeq: Number(row!.first_seq), more: queueIds.length === limit };
    // Committed: remembered for awaitSequenced (the latest batches only).
    if (batch.queueIds.length > 0) this.recentBatches.unshift(batch);
    if (this.recentBatches.length > RECENT_BATCHES) this.recentBatches.pop();
    return batch;
  }

  /**
   * Sequences promptly after the commit of every transaction of this process that enqueued (see
   * CommitSequencer), until `stopSequencer`. The owner's periodic `sequencePending` stays the
   * catch-up for other processes and restarts.
   */
  startSequencer(
    options: { onBatch?: (batch: SequencedBatch) => void; onError?: (error: unknown) => void } = {},
  ): void {
    if (this.sequencer) return;
    this.sequencer = new CommitSequencer(this.dataSource, {
      sequenceBatch: () => this.sequenceBatch(undefined, { probe: false }),
      ...options,
    });
  }

  /** Stops the commit-nudged sequencer (waits for a batch under way). */
  async stopSequencer(): Promise<void> {
    const sequencer = this.sequencer;
    this.sequencer = undefined;
    await sequencer?.stop();
  }

  /**
   * The seq of an entry `enqueue` returned, once its transaction has committed (call it after the
   * commit): sequences the queue up to it unless a sequencer already has, so that its inclusion
   * proof can be served at once. NotFoundError when it is neither queued nor in the tree (its
   * transaction rolled back).
   */
  async awaitSequenced(queued: QueuedEntry, timeoutMs = 10_000): Promise<AppendedEntry> {
    const done = (seq: number): AppendedEntry => ({
      seq,
      leafHash: queued.leafHash,
      appendedAt: queued.appendedAt,
    });
    const until = Date.now() + timeoutMs;
    for (;;) {
      const known = this.recentSeq(queued.queueId);
      if (known !== undefined) return done(known);
      const [row] = (await this.dataSource.query(`SELECT 1 FROM ledger_queue WHERE id = $1`, [
        queued.queueId,
      ])) as unknown[];
      if (!row) break; // sequenced (by another run or process), or never committed
      const batch = await this.sequenceBatch();
      if (batch.queueIds.length === 0) {
        if (Date.now() > until) {
          throw new Error(`ledger queue row ${queued.queueId} not sequenced after ${timeoutMs} ms`);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const seq = this.recentSeq(queued.queueId) ?? (await this.recentSeqOfLeafHash(queued.leafHash));
    if (seq === null) throw new NotFoundError('LedgerEntry', `queued as ${queued.queueId}`);
    return done(seq);
  }

  /** The seq this process's sequencing gave queue row `queueId`, if among the latest batches. */
  private recentSeq(queueId: number): number | undefined {
    for (const batch of this.recentBatches) {
      const i = batch.queueIds.indexOf(queueId);
      if (i >= 0) return batch.firstSeq + i;
    }
    return undefined;
  }

  /** The seq of a leaf sequenced lately (by seq range first, the whole ledger only if need be). */
  private async recentSeqOfLeafHash(leafHash: Uint8Array): Promise<number | null> {
    const { size } = await this.head();
    const [row] = (await this.dataSource.query(
      `SELECT seq FROM ledger_entry WHERE seq >= $1 AND leaf_hash = $2 ORDER BY seq LIMIT 1`,
      [Math.max(0, size - RECENT_ENTRIES), Buffer.from(leafHash)],
    )) as { seq: string }[];
    if (row) return Number(row.seq);
    return size > RECENT_ENTRIES ? this.seqOfLeafHash(leafHash) : null;
  }

  async pendingCount(): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*) AS n FROM ledger_queue`)) as { n: string }[];
    return Number(row?.n ?? 0);
  }

  /** Gives `leaves` the next seqs, in order, inside the caller's transaction (head locked until it ends). */
  private async sequence(manager: EntityManager, leaves: readonly Leaf[]): Promise<number[]> {
    const [row] = (await manager.query(APPEND, leafParameters(leaves))) as { first: string }[];
    const first = Number(row?.first);
    return leaves.map((_, i) => first + i);
  }

  /** The current (committed) size and root. */
  async head(manager: EntityManager = this.dataSource.manager): Promise<LedgerHead> {
    const [row] = (await manager.query(`SELECT size, frontier FROM ledger_head WHERE id`)) as HeadRow[];
    if (!row) throw new Error('ledger_head is missing: run the ledger migrations');
    const frontier = frontierOf(row);
    return { size: frontier.size, rootHash: frontier.root() };
  }

  /** The root of the tree of the first `size` entries (size ≤ current size). */
  async rootAt(size: number): Promise<Uint8Array> {
    checkInteger('size', size, 0);
    return rootAt(this.dataSource.manager, await this.head(), size);
  }

  /**
   * Signs a checkpoint of the current head with the owner's key. Returns null when there is
   * nothing new since the latest checkpoint (or nothing at all).
   */
  async checkpoint(signer: LedgerSigner): Promise<StoredCheckpoint | null> {
    const head = await this.head();
    const latest = await this.latestCheckpoint();
    if (head.size === 0 || (latest && latest.size >= head.size)) return null;
    return this.checkpointStore.sign(head, signer);
  }

  checkpointAt(size: number): Promise<StoredCheckpoint | null> {
    return this.checkpointStore.at(size);
  }

  latestCheckpoint(): Promise<StoredCheckpoint | null> {
    return this.checkpointStore.latest();
  }

  /** Checkpoints, newest first, those of size < `beforeSize` when given. */
  checkpoints(limit: number, beforeSize?: number): Promise<StoredCheckpoint[]> {
    return this.checkpointStore.list(limit, beforeSize);
  }

  async entry(seq: number): Promise<StoredEntry> {
    checkInteger('seq', seq, 0);
    const [row] = (await this.dataSource.query(
      `SELECT seq, kind, entry, leaf_hash, appended_at FROM ledger_entry WHERE seq = $1`,
      [seq],
    )) as EntryRow[];
    if (!row) throw new NotFoundError('LedgerEntry', String(seq));
    return toEntry(row);
  }

  /** The seq of the entry with this leaf hash (the first, should two leaves be equal), or null. */
  async seqOfLeafHash(leafHash: Uint8Array): Promise<number | null> {
    if (leafHash.length !== 32) throw new ValidationError('leafHash', 'must be a SHA-256 hash (32 bytes)');
    const [row] = (await this.dataSource.query(
      `SELECT seq FROM ledger_entry WHERE leaf_hash = $1 ORDER BY seq LIMIT 1`,
      [Buffer.from(leafHash)],
    )) as { seq: string }[];
    return row ? Number(row.seq) : null;
  }

  /** Entries in seq order, from `fromSeq` (inclusive), at most `limit`, below `toSize` if given. */
  async entries(fromSeq: number, limit: number, toSize?: number): Promise<StoredEntry[]> {
    const rows = (await this.dataSource.query(
      `SELECT seq, kind, entry, leaf_hash, appended_at FROM ledger_entry
        WHERE seq >= $1 AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq LIMIT $3`,
      [fromSeq, toSize ?? null, limit],
    )) as EntryRow[];
    return rows.map(toEntry);
  }

  /** RFC 9162 inclusion proof of entry `seq` in the tree of size `treeSize` (default: current size). */
  async inclusionProof(seq: number, treeSize?: number): Promise<InclusionProofResult> {
    checkInteger('seq', seq, 0);
    return inclusionProofAt(this.dataSource.manager, await this.head(), seq, treeSize);
  }

  /** RFC 9162 consistency proof between the trees of sizes `fromSize` and `toSize`. */
  async consistencyProof(fromSize: number, toSize?: number): Promise<ConsistencyProofResult> {
    checkInteger('from', fromSize, 0);
    return consistencyProofAt(this.dataSource.manager, await this.head(), fromSize, toSize);
  }

  /**
   * A self-contained export of entries [fromSeq, toSize) with the checkpoints in that range, their
   * keys and the consistency proofs between them. `toSize` defaults to the latest checkpoint (so
   * that every exported entry is covered by a signature), or the current size without one.
   * `jws` adds the keys of signatures embedded in entries.
   */
  export(options: LedgerExportOptions = {}): Promise<LedgerExport> {
    return exportLedger(
      {
        origin: this.options.origin,
        manager: this.dataSource.manager,
        checkpoints: this.checkpointStore,
        head: () => this.head(),
        entries: (fromSeq, limit, toSize) => this.entries(fromSeq, limit, toSize),
      },
      options,
    );
  }
}

/** `$1`–`$4` of APPEND and of the queue's INSERT: the leaves' kinds, texts (packed), hashes and times. */
function leafParameters(leaves: readonly Leaf[]): [string, string, string, string] {
  return [
    arrayLiteral(leaves.map((leaf) => leaf.kind)),
    packedTextArray(leaves.map((leaf) => leaf.text)),
    arrayLiteral(leaves.map((leaf) => leaf.hash)),
    arrayLiteral(leaves.map((leaf) => leaf.at.toISOString())),
  ];
}

/**
 * The leaves of a batch of entries. 'distinct': each entry its own millisecond, as one append at
 * a time would have given it (a time shared by a whole batch would join its entries: what issue
 * 16's audit of the federation looks for); 'shared': one time for all.
 */
/** Leaves for entries: a millisecond each from now ('distinct'), or one time for all (now, or the one given). */
function leavesOf(entries: readonly { kind: string; entry: unknown }[], time: LeafTime): Leaf[] {
  const at = time instanceof Date ? time.getTime() : Date.now();
  const step = time === 'distinct' ? 1 : 0;
  return entries.map(({ kind, entry }, i) => buildLeaf(kind, entry, new Date(at + i * step)));
}

function requireTransaction(manager: EntityManager): void {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('LedgerService.append must run inside a transaction (dataSource.transaction(…))');
  }
}
