import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LedgerService } from '#ledger';
import { ConflictError, NotFoundError } from '#platform/errors/app-errors';
import { paginate, type ConnectionShape, type PageArgs } from '#platform/graphql/connection';
import { inTransaction } from '#platform/database/transaction';
import { getLogger } from '#platform/logging/logger';
import { ConsentsService, type PendingWithdrawal } from '../consents/consents.service.js';
import { OutboxService } from '../sharing/outbox.service.js';
import { ErasurePurgeStatus, ErasureRequest, type ErasureRecipient } from './compliance.types.js';
import { isUuid } from '#platform/validation/ids';

const TOMBSTONE_NAME = 'erased';

/**
 * What an erasure deletes, in order (children first). Each statement takes the customer id as $1
 * and returns the rows it deleted.
 */
const ERASE: readonly [string, string][] = [
  [
    'interactions',
    `DELETE FROM interaction WHERE customer_id = $1
        OR care_case_id IN (SELECT id FROM care_case WHERE customer_id = $1) RETURNING 1`,
  ],
  ['careCases', `DELETE FROM care_case WHERE customer_id = $1 RETURNING 1`],
  ['orders', `DELETE FROM customer_order WHERE customer_id = $1 RETURNING 1`],
  ['leads', `DELETE FROM lead WHERE customer_id = $1 RETURNING 1`],
  ['emails', `DELETE FROM customer_email WHERE customer_id = $1 RETURNING 1`],
  ['phones', `DELETE FROM customer_phone WHERE customer_id = $1 RETURNING 1`],
  ['companyLinks', `DELETE FROM customer_company WHERE customer_id = $1 RETURNING 1`],
  ['segmentMemberships', `DELETE FROM segment_member WHERE customer_id = $1 RETURNING 1`],
  ['campaignAudiences', `DELETE FROM campaign_audience WHERE customer_id = $1 RETURNING 1`],
  ['sharedCopies', `DELETE FROM shared_record WHERE customer_id = $1 RETURNING 1`],
  ['subjectTokens', `DELETE FROM shared_subject WHERE customer_id = $1 RETURNING 1`],
];

/**
 * Erasure of a customer at this node (GDPR Art. 17), in one transaction: every live consent of
 * theirs is withdrawn (signed, ledger entry; the withdrawal trigger queues the purge at every
 * recipient through the sharing outbox), their personal data is deleted, the customer row becomes
 * a tombstone (id, times, "erased" names, nothing else) that cannot be restored, and a
 * `customer.erased` ledger entry names what was erased (counts and ids only).
 *
 * What remains, and why: the tombstone (so that ids in the ledger and logs still resolve to
 * "erased"); the consent receipts and withdrawals (signed proof of what the customer agreed to and
 * withdrew, Art. 7(1); they name the subject by keyed pseudonyms only); the access log of shared
 * data (ids only); the ledger, which never held personal data (ids, pseudonyms inside signed acts).
 */
@Injectable()
export class ErasureService {
  private readonly logger = getLogger().child({ context: 'erasure' });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly consents: ConsentsService,
    private readonly outbox: OutboxService,
    private readonly ledger: LedgerService,
  ) {}

  async erase(customerId: string, reason: string, userId: string | null): Promise<ErasureRequest> {
    if (!isUuid(customerId)) throw new NotFoundError('Customer', customerId);
    const { request, withdrawals } = await inTransaction(this.dataSource, async (m) => {
      const [customer]: { id: string }[] = await m.query(`SELECT id FROM customer WHERE id = $1 FOR UPDATE`, [
        customerId,
      ]);
      if (!customer) throw new NotFoundError('Customer', customerId);
      const done: unknown[] = await m.query(`SELECT 1 FROM erasure_request WHERE customer_id = $1`, [
        customerId,
      ]);
      if (done.length > 0) {
        throw new ConflictError('This customer was already erased', { reason: 'ALREADY_ERASED' });
      }
      const all: { id: string; live: boolean }[] = await m.query(
        `SELECT id, withdrawn_at IS NULL AS live FROM consent WHERE customer_id = $1 ORDER BY created_at, id`,
        [customerId],
      );
      const withdrawals: PendingWithdrawal[] = [];
      for (const consent of all.filter((c) => c.live)) {
        withdrawals.push(
          await this.consents.withdrawIn(m, consent.id, 'customer erased (GDPR Art. 17)', userId),
        );
      }
      const erased: Record<string, number> = {};
      for (const [what, sql] of ERASE) {
        const [gone]: { n: number }[] = await m.query(
          `WITH gone AS (${sql}) SELECT count(*)::int AS n FROM gone`,
          [customerId],
        );
        erased[what] = gone?.n ?? 0;
      }
      await m.query(
        `UPDATE customer SET first_name = $2, last_name = $2, address_line1 = NULL, address_line2 = NULL,
                  address_postal_code = NULL, address_city = NULL, address_region = NULL, address_country = NULL,
                  language = NULL, owner_id = NULL, tags = '{}', attributes = '{}', external_id = NULL,
                  updated_at = now(), deleted_at = COALESCE(deleted_at, now())
            WHERE id = $1`,
        [customerId, TOMBSTONE_NAME],
      );
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO erasure_request (customer_id, reason, requested_by, consent_ids, withdrawn_consent_ids, erased)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [customerId, reason, userId, all.map((c) => c.id), withdrawals.map((w) => w.consentId), erased],
      );
      await this.ledger.enqueue(m, 'customer.erased', {
        erasureId: row!.id,
        customerId,
        userId,
        consentIds: all.map((c) => c.id),
        withdrawnConsentIds: withdrawals.map((w) => w.consentId),
        erased,
      });
      return { request: row!.id, withdrawals };
    });
    this.logger.info({ customerId, erasureId: request, consents: withdrawals.length }, 'customer erased');
    // Committed: the federation learns the withdrawals, and the purges go out now (or on the sweep).
    for (const withdrawal of withdrawals) {
      try {
        await this.consents.afterWithdrawal(withdrawal);
      } catch (error) {
        this.logger.warn({ consentId: withdrawal.consentId, err: String(error) }, 'withdrawal left pending');
      }
    }
    try {
      await this.outbox.drain();
    } catch (error) {
      this.logger.warn({ erasureId: request, err: String(error) }, 'purges left to the sharing sweep');
    }
    return this.get(request);
  }

  async get(id: string): Promise<ErasureRequest> {
    const found = isUuid(id) ? await this.dataSource.getRepository(ErasureRequest).findOneBy({ id }) : null;
    if (!found) throw new NotFoundError('ErasureRequest', id);
    return found;
  }

  list(args: PageArgs): Promise<ConnectionShape<ErasureRequest>> {
    return paginate(
      this.dataSource.getRepository(ErasureRequest).createQueryBuilder('e'),
      {
        column: 'e.requested_at',
        value: (e) => e.requestedAt,
        direction: 'DESC',
        idColumn: 'e.id',
        id: (e) => e.id,
      },
      args,
    );
  }

  /** Per erasure: per consent and recipient, is the signed purge receipt back? (batched) */
  async recipients(requests: readonly ErasureRequest[]): Promise<ErasureRecipient[][]> {
    const consentIds = [...new Set(requests.flatMap((r) => r.consentIds))];
    const rows: {
      consent_id: string;
      recipient: string;
      not_needed: boolean;
      status: string | null;
      records_purged: number | null;
      receipt_jws: string | null;
      confirmed_at: Date | null;
      last_error: string | null;
    }[] = consentIds.length
      ? await this.dataSource.query(
          `SELECT c.id AS consent_id, r.recipient,
                  c.registration_status = 'refused' OR c.withdrawal_registration_status = 'not_needed' AS not_needed,
                  p.status, p.records_purged, p.receipt_jws, p.confirmed_at, p.last_error
             FROM consent c CROSS JOIN LATERAL unnest(c.recipients) AS r(recipient)
             LEFT JOIN share_purge p ON p.consent_id = c.id AND p.recipient = r.recipient
            WHERE c.id = ANY ($1::uuid[]) ORDER BY c.created_at, c.id, r.recipient`,
          [consentIds],
        )
      : [];
    return requests.map((request) =>
      rows
        .filter((r) => request.consentIds.includes(r.consent_id))
        .map((r) => ({
          consentId: r.consent_id,
          recipient: r.recipient,
          status:
            r.status === 'confirmed'
              ? ErasurePurgeStatus.CONFIRMED
              : r.not_needed
                ? ErasurePurgeStatus.NOT_NEEDED
                : ErasurePurgeStatus.REQUESTED,
          recordsPurged: r.records_purged,
          receiptJws: r.receipt_jws,
          confirmedAt: r.confirmed_at,
          lastError: r.last_error,
        })),
    );
  }
}
