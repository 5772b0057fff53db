import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  checkpointView,
  LedgerReader,
  LedgerService,
  messageHashes,
  parseLeaf,
  type ExportedEntry,
  type ExportedMessage,
  type LedgerCheckpoint,
  type LedgerEntryProof,
  type LedgerExport,
  type LedgerHeadView,
  type LedgerSigner,
} from '#ledger';
import { formatVerifierKey, noteVerifier, toPublicJwk } from '#protocol';
import { NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import { JOB_QUEUE, defineQueue, type JobQueue } from '#platform/queue/job-queue';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { FederationKeysService } from '../keys/federation-keys.service.js';
import { MembersRepository } from '../members/members.repository.js';
import { LedgerMessagesRepository } from './ledger-messages.repository.js';

export const LEDGER_SEQUENCE_QUEUE = defineQueue('federation-ledger.sequence');
export const LEDGER_CHECKPOINT_QUEUE = defineQueue('federation-ledger.checkpoint');

/**
 * The federation's tamper-evident ledger (DESIGN.md invariant 5) on the shared LedgerService:
 * EventsService queues an entry with every accepted change (group commit, see there); this
 * service sequences them right after each such commit of this process (LedgerService.startSequencer)
 * and signs C2SP checkpoints with the federation's current key (published in its JWKS), both as
 * scheduled jobs of the queue port (LEDGER_SEQUENCE_INTERVAL_MS: the sequencer's catch-up for
 * other replicas and restarts; LEDGER_CHECKPOINT_INTERVAL_SECONDS) and on demand, and serves proofs and exports that carry the
 * signed messages the entries name by hash and the keys to verify them.
 */
@Injectable()
export class FederationLedgerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = getLogger().child({ context: 'federation-ledger' });
  readonly reader: LedgerReader;

  constructor(
    readonly ledger: LedgerService,
    private readonly keys: FederationKeysService,
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly members: MembersRepository,
    private readonly messages: LedgerMessagesRepository,
  ) {
    this.reader = new LedgerReader(ledger);
  }

  get origin(): string {
    return this.ledger.options.origin;
  }

  async onApplicationBootstrap(): Promise<void> {
    const onFailed = (job: { name: string }, error: Error) =>
      this.logger.error({ queue: job.name, err: error.message }, 'ledger job failed');
    await this.queue.process(LEDGER_SEQUENCE_QUEUE, () => this.sequence(), { onFailed });
    await this.queue.process(LEDGER_CHECKPOINT_QUEUE, () => this.checkpointNow(), { onFailed });
    const { sequenceIntervalMs, checkpointIntervalSeconds } = this.config.ledger;
    if (sequenceIntervalMs > 0) {
      this.ledger.startSequencer({
        onError: (error) =>
          this.logger.error(
            { err: error instanceof Error ? error.message : String(error) },
            'ledger sequencer run failed',
          ),
      });
      await this.queue.schedule(LEDGER_SEQUENCE_QUEUE, 'federation-ledger-sequence', {
        every: sequenceIntervalMs,
      });
    } else await this.queue.unschedule(LEDGER_SEQUENCE_QUEUE, 'federation-ledger-sequence');
    if (checkpointIntervalSeconds > 0) {
      await this.queue.schedule(LEDGER_CHECKPOINT_QUEUE, 'federation-ledger-checkpoint', {
        every: checkpointIntervalSeconds * 1000,
      });
    } else await this.queue.unschedule(LEDGER_CHECKPOINT_QUEUE, 'federation-ledger-checkpoint');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ledger.stopSequencer();
  }

  /** Gives every committed queued entry its seq (batch by batch); returns how many. */
  async sequence(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.ledger.sequencePending();
      if (moved === 0) return total;
      total += moved;
    }
  }

  private async signer(): Promise<LedgerSigner> {
    return { name: this.origin, privateJwk: await this.keys.signingKey() };
  }

  /** Sequences what is queued, then signs a checkpoint unless nothing is new; returns the latest. */
  async checkpointNow(): Promise<LedgerCheckpoint | null> {
    await this.sequence();
    const created = await this.ledger.checkpoint(await this.signer());
    if (created)
      this.logger.info({ size: created.size, kid: created.signer.publicJwk.kid }, 'ledger checkpoint signed');
    const latest = created ?? (await this.ledger.latestCheckpoint());
    return latest ? checkpointView(latest) : null;
  }

  async latestCheckpoint(): Promise<LedgerCheckpoint> {
    const latest = await this.ledger.latestCheckpoint();
    if (!latest) throw new NotFoundError('LedgerCheckpoint', 'latest');
    return checkpointView(latest);
  }

  async head(): Promise<LedgerHeadView> {
    const signer = await this.signer();
    return this.reader.head(formatVerifierKey(noteVerifier(signer.name, toPublicJwk(signer.privateJwk))));
  }

  /** An entry (by seq, or by its base64 leaf hash) with its inclusion proof in the tree of treeSize. */
  async inclusionProof(query: {
    seq?: number;
    leafHash?: string;
    treeSize?: number;
  }): Promise<LedgerEntryProof> {
    let seq = query.seq;
    if (query.leafHash !== undefined) {
      if (seq !== undefined) throw new ValidationError('leafHash', 'give either seq or leafHash, not both');
      if (!/^[A-Za-z0-9+/]{43}=$/.test(query.leafHash)) {
        throw new ValidationError('leafHash', 'must be a base64 SHA-256 hash', { reason: 'NOT_A_HASH' });
      }
      const found = await this.ledger.seqOfLeafHash(Buffer.from(query.leafHash, 'base64'));
      if (found === null) throw new NotFoundError('LedgerEntry', query.leafHash);
      seq = found;
    }
    if (seq === undefined) throw new ValidationError('seq', 'give seq or leafHash');
    return this.reader.entryWithProof(seq, query.treeSize);
  }

  /**
   * The export of entries [fromSeq, toSize) for `audit verify`: signs a checkpoint of the current
   * head first (so that, by default, every entry is covered by a signature), and carries the
   * signed messages the entries name and the keys to verify them (the federation's keys and every
   * member key it ever registered).
   */
  async export(fromSeq?: number, toSize?: number): Promise<LedgerExport> {
    const latest = await this.checkpointNow();
    const from = fromSeq ?? 0;
    const to = toSize ?? latest?.size ?? 0;
    const max = this.config.ledger.maxExportEntries;
    if (Number.isSafeInteger(from) && Number.isSafeInteger(to) && to - from > max) {
      throw new ValidationError('toSize', `at most ${max} entries per export: export the ledger in ranges`, {
        reason: 'EXPORT_TOO_LARGE',
      });
    }
    const [{ jwks }, members] = await Promise.all([this.keys.jwks(), this.members.everyKeyJwk()]);
    const kids = new Set(jwks.keys.map((k) => k.kid));
    const memberKeys = members.filter((k) => !kids.has(k.kid) && kids.add(k.kid));
    return this.ledger.export({
      fromSeq: from,
      toSize: to,
      jws: { keys: [...jwks.keys, ...memberKeys] },
      messages: (entries) => this.messagesOf(entries),
    });
  }

  /** The stored signed messages that these entries name by hash, in entry order. */
  private async messagesOf(entries: readonly ExportedEntry[]): Promise<ExportedMessage[]> {
    const named = entries.flatMap((e) =>
      messageHashes(parseLeaf(e.entry).data).map(([field, hash]) => ({ seq: e.seq, field, hash })),
    );
    const byHash = new Map<string, string>();
    const hashes = [...new Set(named.map((n) => n.hash))];
    for (let i = 0; i < hashes.length; i += 5000) {
      const rows = await this.messages.byHash(hashes.slice(i, i + 5000));
      for (const row of rows) byHash.set(row.hash, row.jws);
    }
    return named.flatMap(({ seq, field, hash }) => {
      const jws = byHash.get(hash);
      return jws ? [{ seq, field, jws }] : [];
    });
  }
}
