import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isProtocolError, openCheckpoint } from '#protocol';
import {
  b64,
  checkFederationCheckpoint,
  checkpointView,
  connectionOf,
  decodeProof,
  LedgerReader,
  LedgerService,
  type LedgerCheckpoint,
  type LedgerConsistencyProof,
  type LedgerEntry,
  type LedgerEntryProof,
  type LedgerHeadView as LedgerHead,
} from '#ledger';
import { ConflictError, RefusedMessageError, ValidationError } from '#platform/errors/app-errors';
import { decodeCursor, pageSize, type ConnectionShape, type PageArgs } from '#platform/graphql/connection';
import { getLogger } from '#platform/logging/logger';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import type { PartnerNodeConfig } from '../config.js';
import { KeysService } from '../keys/keys.service.js';
import { LedgerKeyring } from './ledger-keyring.js';
import { LEDGER_MODULE_OPTIONS, type LedgerModuleOptions } from './ledger.options.js';
import { LedgerSigningKey } from './ledger-signing-key.js';
import {
  FederationCheckpoint,
  FederationCheckpointStatus,
  LedgerAlert,
  LedgerAlertKind,
} from './ledger.types.js';

export function ledgerOrigin(config: PartnerNodeConfig): string {
  return `concordia/${config.partnerId}/ledger`;
}

/**
 * The partner node's ledger: the shared LedgerService over the node's database, signed by the
 * node's checkpoint key, with periodic checkpoints, the group-commit sequencer, the record of the
 * federation's checkpoints and the alerts. Other modules append through LedgerService directly,
 * `ledger.enqueue(manager, kind, entry)` inside their own transaction: the sequencer runs right
 * after each such commit (LedgerService.startSequencer) and on the timer (`sequenceIntervalMs`,
 * the catch-up for other processes); `sequenceNow` and `checkpointNow` sequence what is committed
 * before they return.
 */
@Injectable()
export class NodeLedgerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = getLogger().child({ context: 'ledger' });
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastCheckpointAttempt = 0;
  private readonly reader: LedgerReader;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly signingKey: LedgerSigningKey,
    private readonly keyring: LedgerKeyring,
    private readonly keys: KeysService,
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @Inject(LEDGER_MODULE_OPTIONS) private readonly options: LedgerModuleOptions,
  ) {
    this.reader = new LedgerReader(ledger);
  }

  get origin(): string {
    return ledgerOrigin(this.config);
  }

  onApplicationBootstrap(): void {
    const { checkpointIntervalSeconds, sequenceIntervalMs } = this.options;
    if (sequenceIntervalMs > 0) {
      this.ledger.startSequencer({
        onError: (error) =>
          this.logger.error(
            { err: error instanceof Error ? error.message : String(error) },
            'ledger sequencer run failed',
          ),
      });
    }
    if (checkpointIntervalSeconds === 0 && sequenceIntervalMs === 0) return;
    this.lastCheckpointAttempt = Date.now();
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all([this.running, this.ledger.stopSequencer()]);
  }

  private schedule(): void {
    if (this.stopped) return;
    const { checkpointIntervalSeconds, sequenceIntervalMs } = this.options;
    const delay = sequenceIntervalMs > 0 ? sequenceIntervalMs : checkpointIntervalSeconds * 1000;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, delay);
    this.timer.unref();
  }

  /** One timer run: sequence what is queued, then checkpoint when the interval has passed. */
  private async tick(): Promise<void> {
    try {
      if (this.options.sequenceIntervalMs > 0) {
        while (!this.stopped && (await this.ledger.sequencePending()) > 0) {
          // drain the queue batch by batch
        }
      }
      const interval = this.options.checkpointIntervalSeconds * 1000;
      if (interval > 0 && Date.now() - this.lastCheckpointAttempt >= interval && !this.stopped) {
        this.lastCheckpointAttempt = Date.now();
        await this.checkpointNow();
      }
    } catch (error) {
      this.logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'ledger timer run failed',
      );
    }
  }

  /** Gives every committed queued entry its seq (batch by batch); returns how many. */
  async sequenceNow(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.ledger.sequencePending();
      if (moved === 0) return total;
      total += moved;
    }
  }

  /**
   * Sequences what is committed, then signs a checkpoint of the head unless nothing is new;
   * returns the latest checkpoint (so that it covers every entry committed before the call).
   */
  async checkpointNow(): Promise<LedgerCheckpoint | null> {
    await this.sequenceNow();
    const created = await this.ledger.checkpoint(await this.signingKey.signer(this.origin));
    if (created) this.logger.info({ size: created.size }, 'ledger checkpoint signed');
    const latest = created ?? (await this.ledger.latestCheckpoint());
    return latest ? checkpointView(latest) : null;
  }

  async head(): Promise<LedgerHead> {
    return this.reader.head(await this.signingKey.verifierKey(this.origin));
  }

  entries(args: PageArgs): Promise<ConnectionShape<LedgerEntry>> {
    return this.reader.entries(args);
  }

  entryWithProof(seq: number, treeSize?: number): Promise<LedgerEntryProof> {
    return this.reader.entryWithProof(seq, treeSize);
  }

  checkpoints(args: PageArgs): Promise<ConnectionShape<LedgerCheckpoint>> {
    return this.reader.checkpoints(args);
  }

  consistencyProof(from: number, to?: number): Promise<LedgerConsistencyProof> {
    return this.reader.consistencyProof(from, to);
  }

  /**
   * The export document (JSON text) for `audit verify`. Signs a checkpoint of the current head
   * first, so that every exported entry is covered by a signature.
   */
  async exportLedger(fromSeq?: number, toSize?: number): Promise<string> {
    // Default end: that checkpoint, not the head, which may have grown meanwhile.
    const latest = await this.checkpointNow();
    const from = fromSeq ?? 0;
    const to = toSize ?? latest?.size ?? 0;
    if (Number.isSafeInteger(from) && Number.isSafeInteger(to) && to - from > this.options.maxExportEntries) {
      throw new ValidationError(
        'toSize',
        `at most ${this.options.maxExportEntries} entries per export: export the ledger in ranges`,
      );
    }
    // Keys for the JWS in entries: this node's (active and retired) and those registered by others.
    // Kept evidence (sharing): the signed messages entries name by hash, and the federation's keys
    // that verify the membership statements among them.
    const evidence = this.keyring.evidenceSource();
    const [own, others, extra] = await Promise.all([
      this.keys.allPublicKeys(),
      this.keyring.jwsKeys(),
      evidence ? evidence.keys() : { keys: [] },
    ]);
    const jws = [...own.keys];
    for (const key of [...others.keys, ...extra.keys]) if (!jws.some((k) => k.kid === key.kid)) jws.push(key);
    const doc = await this.ledger.export({
      fromSeq: from,
      toSize: to,
      jws: { keys: jws },
      ...(evidence ? { messages: (entries) => evidence.messages(entries) } : {}),
    });
    return JSON.stringify(doc);
  }

  /**
   * Records a checkpoint of the federation's ledger, checking it against the last consistent one
   * seen (RFC 9162 consistency `proof`, base64 hashes or bytes). An authentic checkpoint that is
   * not consistent is stored as evidence and raises an alert. To be called by the federation
   * client each time it fetches the federation's checkpoint.
   */
  async acceptFederationCheckpoint(
    note: string,
    proof: readonly string[] | readonly Uint8Array[],
  ): Promise<FederationCheckpoint | null> {
    const { verifiers, origin } = this.keyring.federationCheckpointKeys();
    if (verifiers.length === 0) throw new ConflictError('no federation checkpoint key is known yet');
    let hashes: Uint8Array[];
    let logOrigin: string;
    try {
      hashes = proof.map((p) => (typeof p === 'string' ? (decodeProof([p])[0] as Uint8Array) : p));
      logOrigin = openCheckpoint(note, verifiers, { origin }).checkpoint.origin;
    } catch (error) {
      if (isProtocolError(error))
        throw new RefusedMessageError(error.code, `federation checkpoint refused: ${error.message}`);
      throw error;
    }
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('ledger_federation_checkpoint'))`);
      const [previous] = (await manager.query(
        `SELECT size, root_hash FROM ledger_federation_checkpoint
          WHERE origin = $1 AND status <> 'inconsistent' ORDER BY size DESC LIMIT 1`,
        [logOrigin],
      )) as { size: string; root_hash: Buffer }[];
      const verdict = checkFederationCheckpoint(
        previous ? { size: Number(previous.size), rootHash: previous.root_hash } : undefined,
        note,
        hashes,
        verifiers,
        { origin: logOrigin },
      );
      if (verdict.status === 'same' || verdict.status === 'stale') return null;
      const [row] = (await manager.query(
        `INSERT INTO ledger_federation_checkpoint (origin, size, root_hash, note, status)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (origin, size, root_hash) DO NOTHING
         RETURNING id, origin, size, root_hash, note, status, received_at`,
        [logOrigin, verdict.checkpoint.size, Buffer.from(verdict.checkpoint.rootHash), note, verdict.status],
      )) as FederationCheckpointRow[];
      if (!row) return null; // already recorded
      if (verdict.status === 'inconsistent') {
        const message = `federation checkpoint of size ${verdict.checkpoint.size} is not consistent with the one of size ${previous?.size}: ${verdict.reason}`;
        await manager.query(
          `INSERT INTO ledger_alert (kind, message, federation_checkpoint_id) VALUES ($1, $2, $3)`,
          [LedgerAlertKind.FEDERATION_CHECKPOINT_INCONSISTENT, message, row.id],
        );
        this.logger.warn(
          {
            origin: logOrigin,
            size: verdict.checkpoint.size,
            previousSize: Number(previous?.size),
            checkpointId: row.id,
          },
          'ALERT: inconsistent federation checkpoint',
        );
      }
      return toFederationCheckpoint(row);
    });
  }

  /** Size of the last federation checkpoint accepted as consistent (the base of the next proof). */
  async lastFederationCheckpointSize(origin: string): Promise<number | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT size FROM ledger_federation_checkpoint
        WHERE origin = $1 AND status <> 'inconsistent' ORDER BY size DESC LIMIT 1`,
      [origin],
    )) as { size: string }[];
    return row ? Number(row.size) : undefined;
  }

  /**
   * Records that the federation served a checkpoint that does not verify (signature, key, origin
   * or form: `code`); once for a run of the same failure. Logs ids and codes only.
   */
  async alertUnverifiedCheckpoint(origin: string, code: string, message: string): Promise<void> {
    const text = `federation checkpoint of ${origin} refused (${code}): ${message}`.slice(0, 1000);
    const inserted = (await this.dataSource.query(
      `INSERT INTO ledger_alert (kind, message)
       SELECT $1, $2 WHERE NOT EXISTS (
         SELECT 1 FROM (SELECT kind, message FROM ledger_alert ORDER BY created_at DESC, id DESC LIMIT 1) last
          WHERE last.kind = $1 AND last.message = $2)
       RETURNING id`,
      [LedgerAlertKind.FEDERATION_CHECKPOINT_UNVERIFIED, text],
    )) as { id: string }[];
    if (inserted.length > 0) {
      this.logger.warn(
        { origin, code, alertId: inserted[0]?.id },
        'ALERT: federation checkpoint does not verify',
      );
    }
  }

  async federationCheckpoints(args: PageArgs): Promise<ConnectionShape<FederationCheckpoint>> {
    const size = pageSize(args.first);
    const [receivedAt, id] = args.after ? decodeCursor(args.after, 2) : [null, null];
    const rows = (await this.dataSource.query(
      `SELECT id, origin, size, root_hash, note, status, received_at, received_at::text AS cursor_at
         FROM ledger_federation_checkpoint
        WHERE $1::timestamptz IS NULL OR (received_at, id) < ($1::timestamptz, $2::uuid)
        ORDER BY received_at DESC, id DESC LIMIT $3`,
      [receivedAt, id, size + 1],
    )) as FederationCheckpointRow[];
    const cursorAt = new Map(rows.map((r) => [r.id, r.cursor_at]));
    return connectionOf(rows.map(toFederationCheckpoint), size, (c) => [cursorAt.get(c.id), c.id]);
  }

  async alerts(args: PageArgs): Promise<ConnectionShape<LedgerAlert>> {
    const size = pageSize(args.first);
    const [createdAt, id] = args.after ? decodeCursor(args.after, 2) : [null, null];
    const rows = (await this.dataSource.query(
      `SELECT id, kind, message, federation_checkpoint_id, created_at, created_at::text AS cursor_at
         FROM ledger_alert
        WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [createdAt, id, size + 1],
    )) as {
      id: string;
      kind: LedgerAlertKind;
      message: string;
      federation_checkpoint_id: string | null;
      created_at: Date;
      cursor_at: string;
    }[];
    const cursorAt = new Map(rows.map((r) => [r.id, r.cursor_at]));
    return connectionOf(
      rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        message: r.message,
        federationCheckpointId: r.federation_checkpoint_id,
        createdAt: r.created_at,
      })),
      size,
      (a) => [cursorAt.get(a.id), a.id],
    );
  }
}

interface FederationCheckpointRow {
  id: string;
  origin: string;
  size: string;
  root_hash: Buffer;
  note: string;
  status: FederationCheckpointStatus;
  received_at: Date;
  cursor_at?: string;
}

function toFederationCheckpoint(row: FederationCheckpointRow): FederationCheckpoint {
  return {
    id: row.id,
    origin: row.origin,
    size: Number(row.size),
    rootHash: b64(row.root_hash),
    note: row.note,
    status: row.status,
    receivedAt: row.received_at,
  };
}
