import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { LedgerService } from '#ledger';
import { ConflictError, NotFoundError } from '#platform/errors/app-errors';
import { paginate, type ConnectionShape, type PageArgs } from '#platform/graphql/connection';
import { inTransaction } from '#platform/database/transaction';
import { getLogger } from '#platform/logging/logger';
import { ConsentsService, type PendingWithdrawal } from '../consents/consents.service.js';
import { CampaignAudienceErasureRepository } from '../campaigns/campaign-audience-erasure.repository.js';
import { CareCaseSubjectRepository } from '../care-cases/care-case-subject.repository.js';
import { CompanyLinkSubjectRepository } from '../companies/company-link-subject.repository.js';
import { ConsentDisclosureRepository } from '../consents/consent-disclosure.repository.js';
import { CustomerSubjectRepository } from '../customers/customer-subject.repository.js';
import { InteractionSubjectRepository } from '../interactions/interaction-subject.repository.js';
import { LeadSubjectRepository } from '../leads/lead-subject.repository.js';
import { OrderSubjectRepository } from '../orders/order-subject.repository.js';
import { SegmentReferencesRepository } from '../segments/segment-references.repository.js';
import { OutboxService } from '../sharing/outbox.service.js';
import { SharingDisclosureRepository } from '../sharing/sharing-disclosure.repository.js';
import { ErasurePurgeStatus, ErasureRequest, type ErasureRecipient } from './compliance.types.js';
import { isUuid } from '#platform/validation/ids';

const TOMBSTONE_NAME = 'erased';

/**
 * The owners of what an erasure deletes, each deleting its own rows of the customer in the
 * erasure's transaction: children first (interactions before their care cases), in the order of
 * the `erased` counts.
 */
@Injectable()
export class ErasureOwners {
  constructor(
    readonly customers: CustomerSubjectRepository,
    readonly consentRows: ConsentDisclosureRepository,
    readonly sharing: SharingDisclosureRepository,
    private readonly interactions: InteractionSubjectRepository,
    private readonly careCases: CareCaseSubjectRepository,
    private readonly orders: OrderSubjectRepository,
    private readonly leads: LeadSubjectRepository,
    private readonly companyLinks: CompanyLinkSubjectRepository,
    private readonly segments: SegmentReferencesRepository,
    private readonly campaignAudiences: CampaignAudienceErasureRepository,
  ) {}

  /** Deletes the customer's personal data, owner by owner; how many rows of each kind. */
  async erase(m: EntityManager, customerId: string): Promise<Record<string, number>> {
    const caseIds = await this.careCases.idsOfCustomer(m, customerId);
    const erased: Record<string, number> = {};
    erased.interactions = await this.interactions.eraseOfCustomer(m, customerId, caseIds);
    erased.careCases = await this.careCases.eraseOfCustomer(m, customerId);
    erased.orders = await this.orders.eraseOfCustomer(m, customerId);
    erased.leads = await this.leads.eraseOfCustomer(m, customerId);
    const contacts = await this.customers.eraseContacts(m, customerId);
    erased.emails = contacts.emails;
    erased.phones = contacts.phones;
    erased.companyLinks = await this.companyLinks.eraseOfCustomer(m, customerId);
    erased.segmentMemberships = await this.segments.eraseMembershipsOfCustomer(m, customerId);
    erased.campaignAudiences = await this.campaignAudiences.eraseOfCustomer(m, customerId);
    erased.sharedCopies = await this.sharing.eraseReceivedOfCustomer(m, customerId);
    erased.subjectTokens = await this.sharing.eraseSubjectTokensOfCustomer(m, customerId);
    return erased;
  }
}

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
    private readonly owners: ErasureOwners,
  ) {}

  async erase(customerId: string, reason: string, userId: string | null): Promise<ErasureRequest> {
    if (!isUuid(customerId)) throw new NotFoundError('Customer', customerId);
    const { request, withdrawals } = await inTransaction(this.dataSource, async (m) => {
      const { customers, consentRows } = this.owners;
      if (!(await customers.lockForErasure(m, customerId))) throw new NotFoundError('Customer', customerId);
      const done: unknown[] = await m.query(`SELECT 1 FROM erasure_request WHERE customer_id = $1`, [
        customerId,
      ]);
      if (done.length > 0) {
        throw new ConflictError('This customer was already erased', { reason: 'ALREADY_ERASED' });
      }
      const all = await consentRows.ofCustomer(customerId, m);
      const withdrawals: PendingWithdrawal[] = [];
      for (const consent of all.filter((c) => c.live)) {
        withdrawals.push(
          await this.consents.withdrawIn(m, consent.id, 'customer erased (GDPR Art. 17)', userId),
        );
      }
      const erased = await this.owners.erase(m, customerId);
      await customers.tombstone(m, customerId, TOMBSTONE_NAME);
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
    const recipients = await this.owners.consentRows.recipientsOf(consentIds);
    const purges = new Map(
      (await this.owners.sharing.purgesOf(consentIds)).map((p) => [`${p.consent_id} ${p.recipient}`, p]),
    );
    const rows = recipients.map((r) => {
      const p = purges.get(`${r.consent_id} ${r.recipient}`);
      return {
        ...r,
        status: p?.status ?? null,
        records_purged: p?.records_purged ?? null,
        receipt_jws: p?.receipt_jws ?? null,
        confirmed_at: p?.confirmed_at ?? null,
        last_error: p?.last_error ?? null,
      };
    });
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
