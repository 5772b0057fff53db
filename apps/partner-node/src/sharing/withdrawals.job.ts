import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LedgerService } from '#ledger';
import { ConflictError } from '#platform/errors/app-errors';
import { JOB_QUEUE, defineQueue, type JobQueue } from '#platform/queue/job-queue';
import { RELAY_PATHS, type WithdrawalRelayResponse } from '#federation-client';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { ConsentRegistrationsService } from '../consents/consent-registrations.service.js';
import { ConsentsRepository } from '../consents/consents.repository.js';
import { ConsentsService } from '../consents/consents.service.js';
import { RegistrationWithdrawalsRepository } from '../consents/registration-withdrawals.repository.js';
import { FederationPacer } from '../network/federation-pacer.js';
import { NetworkService } from '../network/network.service.js';
import { RelayClient } from './relay-client.js';
import { ShareEvidenceService } from './share-evidence.service.js';
import { SHARING_OPTIONS, type SharingOptions } from './sharing.options.js';

/** What the job of WITHDRAWAL_QUEUE is given: the consent whose withdrawal is relayed. */
export interface WithdrawalJobData {
  consentId: string;
}

/** Relays one withdrawal until every recipient confirmed its purge. */
export const WITHDRAWAL_QUEUE = defineQueue<WithdrawalJobData>('sharing.withdrawal');

/**
 * Withdrawals on the holding side: customers erased here have every consent withdrawn (which
 * queues the purges), and the job of WITHDRAWAL_QUEUE relays each withdrawal until every recipient
 * confirmed its purge with a signed receipt, kept as evidence.
 */
@Injectable()
export class WithdrawalsJob {
  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @Inject(SHARING_OPTIONS) private readonly options: SharingOptions,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: RelayClient,
    private readonly network: NetworkService,
    private readonly ledger: LedgerService,
    private readonly consents: ConsentsService,
    private readonly consentRows: ConsentsRepository,
    private readonly evidence: ShareEvidenceService,
    private readonly registrations: ConsentRegistrationsService,
    private readonly registrationRows: RegistrationWithdrawalsRepository,
    private readonly pacer: FederationPacer,
  ) {}

  /** Enqueues the relay of the consent's withdrawal (one job per consent). */
  enqueue(consentId: string): Promise<string> {
    return this.queue.enqueue(
      WITHDRAWAL_QUEUE,
      { consentId },
      {
        jobId: `withdrawal-${consentId}`,
        attempts: this.options.deliveryAttempts,
        backoff: { type: 'exponential', delay: this.options.backoffMs },
      },
    );
  }

  /**
   * Customers erased here: every consent they gave is withdrawn (signed and registered by the
   * consents module), which queues the purge at every recipient. Idempotent.
   */
  async eraseCustomers(): Promise<number> {
    const rows: { seq: string; customer_id: string }[] = await this.dataSource.query(
      `SELECT seq, customer_id FROM share_outbox WHERE processed_at IS NULL AND kind = 'erasure' ORDER BY seq LIMIT 100`,
    );
    for (const row of rows) {
      for (const consentId of await this.consentRows.notWithdrawnOfCustomer(row.customer_id)) {
        try {
          await this.consents.withdraw(consentId, 'customer erased', null);
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error; // withdrawn meanwhile
        }
      }
      await this.dataSource.query(`UPDATE share_outbox SET processed_at = now() WHERE seq = $1`, [row.seq]);
    }
    return rows.length;
  }

  /**
   * Relays the withdrawal of each of the consent's registrations to its one recipient (issue 16:
   * each registration is withdrawn on its own, by its own id) and stores their purge receipts.
   */
  async relayWithdrawal(consentId: string): Promise<{ confirmed: number; pending: number }> {
    const consent = await this.consentRows.withdrawal(consentId);
    if (!consent?.withdrawal_jws) return { confirmed: 0, pending: 0 };
    if (consent.withdrawal_registration_status === 'not_needed') {
      await this.dataSource.query(
        `UPDATE share_purge SET last_error = 'consent never registered: nothing was shared' WHERE consent_id = $1`,
        [consentId],
      );
      return { confirmed: 0, pending: 0 };
    }
    const requested: { recipient: string }[] = await this.dataSource.query(
      `SELECT recipient FROM share_purge WHERE consent_id = $1 AND status = 'requested' ORDER BY random()`,
      [consentId],
    );
    if (requested.length === 0) return { confirmed: 0, pending: 0 };
    // Each purge with the withdrawal of the consent's registration at its recipient (the consents
    // module's), if any.
    const registrations = await this.registrationRows.withdrawalsAt(
      consentId,
      requested.map((purge) => purge.recipient),
    );
    const open = requested.map(({ recipient }) => {
      const registration = registrations.get(recipient);
      return {
        recipient,
        registration_id: registration?.registration_id ?? null,
        withdrawal_jws: registration?.withdrawal_jws ?? null,
        withdrawal_status: registration?.withdrawal_status ?? null,
      };
    });
    // Purges start once every withdrawal of the consent is at the federation (they leave within
    // the window), more than a second after the last: no second holds one of them and a purge.
    if (open.some((purge) => purge.withdrawal_status === 'pending')) {
      throw new Error(`the withdrawals of consent ${consentId} are not all at the federation yet`);
    }
    let confirmed = 0;
    for (const purge of open) {
      // Its withdrawal is not at the federation yet (it leaves within the window): a later try.
      if (purge.withdrawal_status !== 'registered' || !purge.withdrawal_jws) continue;
      // With a window, one recipient's purge is relayed (and its receipt ledgered) in a step of its
      // own: in another second than the next purge, the withdrawals' batches and pushed envelopes.
      const response = await this.pacer.run(this.registrations.windowed, () =>
        this.relay.post<WithdrawalRelayResponse>(
          RELAY_PATHS.withdrawals,
          { withdrawal: purge.withdrawal_jws },
          30_000,
        ),
      );
      const result = response.results.find((r) => r.recipient === purge.recipient);
      if (!result) continue;
      if (result.status !== 'purged' || !result.receipt) {
        await this.dataSource.query(
          `UPDATE share_purge SET last_error = $3 WHERE consent_id = $1 AND recipient = $2`,
          [consentId, result.recipient, `${result.status}: ${result.error?.code ?? ''}`.slice(0, 500)],
        );
        continue;
      }
      const { claims } = await this.network.verifyMemberMessage(
        'purge-receipt',
        result.receipt,
        { audience: this.config.partnerId },
        'sharing-purge',
      );
      if (claims.iss !== result.recipient || claims.consentId !== purge.registration_id) continue;
      await this.dataSource.transaction(async (m) => {
        await m.query(
          `UPDATE share_purge SET status = 'confirmed', receipt_jws = $3, records_purged = $4, withdrawal_id = $5,
                  confirmed_at = now(), last_error = NULL
            WHERE consent_id = $1 AND recipient = $2 AND status = 'requested'`,
          [consentId, result.recipient, result.receipt, claims.recordsPurged, claims.withdrawalId ?? null],
        );
        // The recipient's signed receipt is kept as evidence, with the statement vouching for its key.
        const signerStatementHash = await this.evidence.keepStatementOf(m, result.recipient, false);
        await this.ledger.enqueue(m, 'share.purge-confirmed', {
          consentId,
          registrationId: purge.registration_id,
          recipient: result.recipient,
          recordsPurged: claims.recordsPurged,
          receiptId: claims.jti,
          receiptHash: await this.evidence.keep(m, 'purge-receipt', result.receipt!),
          ...(signerStatementHash ? { signerStatementHash } : {}),
        });
      });
      confirmed += 1;
    }
    const pending = open.length - confirmed;
    if (pending > 0)
      throw new Error(`${pending} recipient(s) have not confirmed the purge of consent ${consentId} yet`);
    return { confirmed, pending };
  }
}
