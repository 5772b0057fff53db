import { Inject, Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { federationLedgerOrigin, FederationError } from '#federation-client';
import { importPublicJwk, noteVerifier, type NoteVerifier } from '#protocol';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import { JOB_QUEUE, defineQueue, type JobQueue } from '#platform/queue/job-queue';
import { NetworkService, type TrustAnchor } from '../network/network.service.js';
import { LedgerKeyring } from './ledger-keyring.js';
import { LEDGER_MODULE_OPTIONS, type LedgerModuleOptions } from './ledger.options.js';
import type { FederationCheckpoint } from './ledger.types.js';
import { NodeLedgerService } from './node-ledger.service.js';

export const FEDERATION_CHECKPOINT_QUEUE = defineQueue('ledger.federation-checkpoint');

/**
 * Nobody rewrites the federation's history unseen: a scheduled job (queue port,
 * LEDGER_FEDERATION_CHECK_INTERVAL_SECONDS) fetches the federation ledger's latest checkpoint,
 * verifies its signature against the federation keys this node pinned at first contact, asks for
 * the consistency proof from the last checkpoint it accepted, and records it
 * (NodeLedgerService.acceptFederationCheckpoint). An inconsistent checkpoint is stored as evidence
 * with an alert; one that does not verify raises an alert too. Both are queryable
 * (ledgerAlerts, ledgerFederationCheckpoints) and logged with ids and codes only.
 */
@Injectable()
export class FederationCheckpointWatch implements OnApplicationBootstrap {
  private readonly logger = getLogger().child({ context: 'ledger' });

  constructor(
    private readonly network: NetworkService,
    private readonly ledger: NodeLedgerService,
    private readonly keyring: LedgerKeyring,
    // Absent in the command-line tool, which runs no jobs.
    @Optional() @Inject(JOB_QUEUE) private readonly queue: JobQueue | undefined,
    @Inject(LEDGER_MODULE_OPTIONS) private readonly options: LedgerModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const seconds = this.options.federationCheckIntervalSeconds;
    if (!this.queue || !this.network.configured || seconds === 0) return;
    await this.queue.process(FEDERATION_CHECKPOINT_QUEUE, () => this.check(), {
      onFailed: (_job, error) =>
        this.logger.warn({ err: error.message }, 'federation checkpoint could not be fetched'),
    });
    await this.queue.schedule(FEDERATION_CHECKPOINT_QUEUE, 'federation-checkpoint-check', {
      every: Math.max(1, seconds) * 1000,
    });
  }

  /** One check; returns what was recorded (null: nothing new). Throws when the federation is unreachable. */
  async check(): Promise<FederationCheckpoint | null> {
    const first = await this.checkWith(await this.network.trustAnchor());
    if (first !== 'unverified') return first;
    // The federation may have rotated its key since we pinned it: follow its signed rotation
    // chain (from the keys we trust) once, and check again before raising an alert.
    const second = await this.checkWith(await this.network.refreshTrust(), true);
    return second === 'unverified' ? null : second;
  }

  private async checkWith(
    anchor: TrustAnchor,
    alertOnFailure = false,
  ): Promise<FederationCheckpoint | null | 'unverified'> {
    const origin = federationLedgerOrigin(anchor.federationId);
    const verifiers: NoteVerifier[] = anchor.jwks.keys
      .filter((key) => key.crv === 'Ed25519')
      .map((key) => noteVerifier(origin, importPublicJwk(key, 'Ed25519')));
    this.keyring.setFederationCheckpointKeys(verifiers, origin);
    const client = this.network.client();
    let checkpoint: Awaited<ReturnType<typeof client.ledgerCheckpoint>>;
    try {
      checkpoint = await client.ledgerCheckpoint();
    } catch (error) {
      if (error instanceof FederationError && error.status === 404) return null; // nothing signed yet
      throw error;
    }
    const previous = await this.ledger.lastFederationCheckpointSize(origin);
    let proof: string[] = [];
    if (previous !== undefined && previous !== checkpoint.size) {
      const [from, to] =
        previous < checkpoint.size ? [previous, checkpoint.size] : [checkpoint.size, previous];
      try {
        proof = (await client.ledgerConsistencyProof(from, to)).hashes;
      } catch (error) {
        // A federation that cannot prove it (e.g. it shrank below what we saw): an empty proof,
        // which the check finds inconsistent.
        if (!(error instanceof FederationError && error.status === 400)) throw error;
      }
    }
    try {
      return await this.ledger.acceptFederationCheckpoint(checkpoint.note, proof);
    } catch (error) {
      if (error instanceof RefusedMessageError) {
        if (!alertOnFailure) return 'unverified';
        await this.ledger.alertUnverifiedCheckpoint(origin, error.reason, error.message);
        return 'unverified';
      }
      throw error;
    }
  }
}
