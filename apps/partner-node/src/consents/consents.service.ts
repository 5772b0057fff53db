import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { unverifiedKid, nowSeconds } from '#protocol';
import { LedgerService } from '#ledger';
import { ConflictError, NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { paginate, type ConnectionShape } from '#platform/graphql/connection';
import { getLogger } from '#platform/logging/logger';
import type { PartnerNodeConfig } from '../config.js';
import { CustomerSubjectRepository } from '../customers/customer-subject.repository.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { AgreementState } from '../agreements/agreement.enums.js';
import type { SharingAgreement } from '../agreements/agreement.entity.js';
import { AgreementsService } from '../agreements/agreements.service.js';
import { KeysService } from '../keys/keys.service.js';
import { isUnavailable } from '../network/federation-errors.js';
import { MemberStatus } from '../network/network.entities.js';
import { NetworkService, type MemberEntry, type TrustAnchor } from '../network/network.service.js';
import { PrivacyNoticesService } from '../privacy-notices/privacy-notices.service.js';
import { ConsentRegistrationsService, type RegistrationConsent } from './consent-registrations.service.js';
import type { ConsentPartner } from './consent-partner.js';
import { insertConsentsWithRegistrations } from './consent-rows.js';
import { consentTimes } from './consent-validity.js';
import { consentRow, receiptClaims, receiptDocument, type CheckedConsent } from './consent-receipt.js';
import { Consent, RegistrationStatus, type StoredSubjectToken } from './consent.entity.js';
import type { CustomerConsentsArgs, GiveConsentInput } from './consents.dto.js';
import { isUuid } from '#platform/validation/ids';

/** A withdrawal stored in a transaction, to be registered with the federation once committed. */
export interface PendingWithdrawal {
  consentId: string;
  jws: string;
  registered: boolean;
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);
/** A withdrawal stays verifiable (and un-replayable) at the federation for this long. */
const WITHDRAWAL_TTL_SECONDS = 30 * 86_400;

/**
 * Consent capture (invariant 3). A consent names the subject by pseudonyms under each recipient's
 * agreement key (invariant 4), the purposes, categories, recipients, validity and the exact
 * published notice version; it is signed by this node (the receipt, which stays here), stored,
 * put in the ledger, and registered with the federation as one unlinkable registration per
 * recipient (ConsentRegistrationsService, issue 16). Withdrawal is as easy: signed, stored,
 * registered per registration.
 *
 * Registrations leave after a random delay within the configured window; when the federation
 * cannot be reached they stay PENDING_REGISTRATION and leave on a later flush (a timer, the start,
 * the next consent call). A registration the federation refuses is REFUSED: no share uses it.
 */
@Injectable()
export class ConsentsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = getLogger().child({ context: 'consents' });
  private stopped = false;

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly network: NetworkService,
    private readonly agreements: AgreementsService,
    private readonly keys: KeysService,
    private readonly notices: PrivacyNoticesService,
    private readonly ledger: LedgerService,
    private readonly registrations: ConsentRegistrationsService,
    private readonly customerRows: CustomerSubjectRepository,
  ) {}

  get partnerId(): string {
    return this.config.partnerId;
  }

  /** Active agreements with their partners' directory names (ids when the directory cannot be read). */
  async partners(): Promise<ConsentPartner[]> {
    const page = await this.agreements.list({ state: AgreementState.ACTIVE, first: 200 });
    const names = new Map<string, string>();
    try {
      for (const member of await this.network.directory()) names.set(member.partnerId, member.name);
    } catch {
      // Without the directory the desk still shows the partners, by id.
    }
    return page.nodes.map((a) => ({
      partnerId: a.partnerId,
      name: names.get(a.partnerId) ?? a.partnerId,
      agreementId: a.agreementId,
      direction: this.agreements.direction(a),
      purposes: a.purposes,
      categories: a.categories,
      retentionDays: a.retentionDays,
    }));
  }

  onApplicationBootstrap(): void {
    this.scheduleRetry();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** Per notice version: consents given under it, and those still held (not withdrawn, still valid). */
  async countsByNotice(noticeIds: readonly string[]): Promise<{ given: number; held: number }[]> {
    const rows = (await this.dataSource.query(
      `SELECT privacy_notice_id AS id, count(*)::int AS given,
              (count(*) FILTER (WHERE withdrawn_at IS NULL AND valid_until > now()))::int AS held
         FROM consent WHERE privacy_notice_id = ANY($1::uuid[]) GROUP BY privacy_notice_id`,
      [noticeIds],
    )) as { id: string; given: number; held: number }[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return noticeIds.map((id) => byId.get(id) ?? { given: 0, held: 0 });
  }

  async get(consentId: string): Promise<Consent> {
    const found = isUuid(consentId)
      ? await this.dataSource.getRepository(Consent).findOneBy({ id: consentId })
      : null;
    if (!found) throw new NotFoundError('Consent', consentId);
    return found;
  }

  /** The customer's whole consent history, newest first (soft-deleted customers included). */
  async forCustomer(args: CustomerConsentsArgs): Promise<ConnectionShape<Consent>> {
    this.scheduleRetry();
    if (!(await this.customerRows.exists(args.customerId)))
      throw new NotFoundError('Customer', args.customerId);
    const query = this.dataSource
      .getRepository(Consent)
      .createQueryBuilder('c')
      .where('c.customer_id = :customerId', { customerId: args.customerId });
    return paginate(
      query,
      {
        column: 'c.created_at',
        value: (c) => c.createdAt,
        direction: 'DESC',
        idColumn: 'c.id',
        id: (c) => c.id,
      },
      args,
    );
  }

  // ---- give ----------------------------------------------------------------------------------

  async give(input: GiveConsentInput, userId: string | null): Promise<Consent> {
    this.scheduleRetryUnlessFlushingAtEnd();
    const now = nowSeconds();
    // 1. The subject: a live customer with at least one e-mail or phone.
    const identifiers = await this.agreements.customerIdentifiers(input.customerId);
    if (identifiers.length === 0) {
      throw new ValidationError('customerId', 'has no e-mail address or phone number to name them by', {
        reason: 'NO_IDENTIFIERS',
      });
    }
    // 2. The notice: an exact published version, in the language given.
    const notice = await this.notices.requirePublished(input.privacyNoticeId, 'privacyNoticeId');
    const language = input.language ?? notice.language;
    if (language !== notice.language) {
      throw new ValidationError('language', `must be the language of the notice shown (${notice.language})`);
    }
    // 3. Validity.
    const { validFrom, validUntil, givenAt, problems } = consentTimes(input, now);
    const [first] = problems;
    if (first)
      throw new ValidationError(first.field, first.reason, first.code ? { reason: first.code } : undefined);
    // 4. Recipients: active members with an active agreement covering every purpose and category
    // (their directory entries and agreements read once for all recipients).
    const { anchor, agreements: byRecipient, members } = await this.agreementsFor(input);
    // 5. Pseudonyms under each recipient's agreement key, derived from the rows just read and this
    // node's active keys, read once for the whole call (the receipt and the registrations are
    // signed with the same key; a rotation is followed by the next call).
    const keys = await this.keys.activeKeys();
    const subjectTokens: StoredSubjectToken[] = [];
    for (const recipient of input.recipients) {
      const agreement = byRecipient.get(recipient) as SharingAgreement;
      const key = this.agreements.pseudonymKeyFrom(agreement, members.get(recipient), keys);
      subjectTokens.push(
        ...this.agreements.subjectTokensUnder(input.customerId, identifiers, agreement.agreementId, key),
      );
    }
    if (subjectTokens.length === 0) {
      throw new ValidationError(
        'customerId',
        'has no e-mail address or phone number that can be normalised',
        {
          reason: 'NO_IDENTIFIERS',
        },
      );
    }
    // 6. Sign the receipt.
    const agreementIds = input.recipients.map((r) => (byRecipient.get(r) as SharingAgreement).agreementId);
    const checked: CheckedConsent = {
      partnerId: this.partnerId,
      federationId: anchor.federationId,
      consentId: randomUUID(),
      input,
      subjectTokens,
      agreementIds,
      notice,
      language,
      now,
      givenAt,
      validFrom,
      validUntil,
    };
    const { consentId } = checked;
    const receipt = keys.sign('consent', receiptClaims(checked));
    const row = consentRow(checked, { jws: receipt, kid: unverifiedKid(receipt)! }, userId);
    // 7. Store, with its ledger entry and one registration per recipient (issue 16); they leave
    // for the federation after a random delay within the window (at once without one: then they
    // are signed here, before the transaction, and written once, as a bulk file's are).
    const planned = await this.registrations.prepareMany([row as RegistrationConsent], {
      federationId: anchor.federationId,
      keys,
    });
    await this.dataSource.transaction(async (m) => {
      // The consent and its registrations in one statement, then its ledger entry.
      await insertConsentsWithRegistrations(m, [row], planned);
      await this.ledger.enqueue(m, 'consent.given', {
        consentId,
        receiptJws: receipt,
        registration: RegistrationStatus.PENDING_REGISTRATION,
      });
    });
    await this.registerNowIfNoWindow();
    this.logger.info({ consentId }, 'consent given');
    return this.get(consentId);
  }

  /** Without a window, registrations (and withdrawals) leave at once, as the call that made them returns. */
  private async registerNowIfNoWindow(): Promise<void> {
    if (!this.flushesAtEnd) return;
    await this.registrations.flush();
  }

  private get flushesAtEnd(): boolean {
    return this.config.consentRegistrationWindowSeconds === 0 && this.network.configured;
  }

  /**
   * What is pending leaves in the background, except when the call ends with a flush of its own
   * (no window): that flush sends it too, and one started here would only make it wait behind it
   * (a consent's p95 doubled).
   */
  private scheduleRetryUnlessFlushingAtEnd(): void {
    if (!this.flushesAtEnd) this.scheduleRetry();
  }

  /**
   * Checks that this node is an active member and finds, per recipient, the agreement that covers
   * the consent (refreshing the mirror once) and the recipient's verified directory entry: the
   * membership and the entries in one statement, the agreements in one, for all recipients. The checks and
   * their order are per recipient, as given.
   */
  private async agreementsFor(input: GiveConsentInput): Promise<{
    anchor: TrustAnchor;
    agreements: Map<string, SharingAgreement>;
    members: Map<string, MemberEntry>;
  }> {
    const others = input.recipients.filter((r) => r !== this.partnerId);
    // This node must be an active member (first: NOT_A_MEMBER before any recipient's check).
    const { anchor, members } = await this.network.activeMembershipWith(others);
    const { purposes, categories } = input;
    let agreements = await this.agreements.coveringAgreements(others, purposes, categories);
    const missing = (r: string): boolean => {
      const member = members.get(r);
      return member?.status === MemberStatus.ACTIVE && !agreements.has(r);
    };
    if (others.some(missing)) {
      try {
        await this.agreements.refresh();
      } catch (error) {
        if (!isUnavailable(error)) throw error;
      }
      agreements = await this.agreements.coveringAgreements(others, purposes, categories);
    }
    for (const recipient of input.recipients) {
      if (recipient === this.partnerId) {
        throw new ValidationError('recipients', 'this node is the controller, not a recipient', {
          reason: 'RECIPIENT_IS_CONTROLLER',
        });
      }
      const member = members.get(recipient);
      if (!member || member.status !== MemberStatus.ACTIVE) {
        throw new ValidationError('recipients', `${recipient} is not an active member of the federation`, {
          reason: 'RECIPIENT_NOT_MEMBER',
          recipient,
        });
      }
      if (!agreements.has(recipient)) {
        throw new ValidationError(
          'recipients',
          `no active agreement lets this node share with ${recipient} for these purposes and categories`,
          { reason: 'NO_ACTIVE_AGREEMENT', recipient },
        );
      }
    }
    return { anchor, agreements, members };
  }

  // ---- withdraw ------------------------------------------------------------------------------

  async withdraw(consentId: string, reason: string | undefined, userId: string | null): Promise<Consent> {
    this.scheduleRetryUnlessFlushingAtEnd();
    if (!isUuid(consentId)) throw new NotFoundError('Consent', consentId);
    const withdrawal = await this.dataSource.transaction((m) =>
      this.withdrawIn(m, consentId, reason ?? null, userId),
    );
    // Withdrawal takes effect here at once; the federation learns it now, or on a retry.
    await this.afterWithdrawal(withdrawal);
    return this.get(consentId);
  }

  /**
   * The withdrawal inside the caller's transaction (signed, stored, ledger entry); the caller
   * passes the result to `afterWithdrawal` once committed. Used by the erasure of a customer.
   */
  async withdrawIn(
    m: EntityManager,
    consentId: string,
    reason: string | null,
    userId: string | null,
  ): Promise<PendingWithdrawal> {
    const membership = await this.network.membershipRow(m);
    const consent = await m
      .getRepository(Consent)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :consentId', { consentId })
      .getOne();
    if (!consent) throw new NotFoundError('Consent', consentId);
    if (consent.withdrawnAt) {
      throw new ConflictError('This consent is already withdrawn', { reason: 'CONSENT_WITHDRAWN' });
    }
    const now = nowSeconds();
    const jws = await this.keys.sign(
      'consent-withdrawal',
      {
        iss: this.partnerId,
        aud: membership ? [membership.federationId, ...consent.recipients] : consent.recipients,
        iat: now,
        exp: now + WITHDRAWAL_TTL_SECONDS,
        consentId,
        withdrawnAt: now,
      },
      m,
    );
    await m.getRepository(Consent).update(
      { id: consentId },
      {
        withdrawnAt: new Date(now * 1000),
        withdrawalReason: reason,
        withdrawalJws: jws,
        withdrawalRegistrationStatus:
          consent.registrationStatus === RegistrationStatus.REFUSED
            ? RegistrationStatus.NOT_NEEDED
            : RegistrationStatus.PENDING_REGISTRATION,
        withdrawnBy: userId,
      },
    );
    await this.registrations.planWithdrawal(m, consentId);
    await this.ledger.enqueue(m, 'consent.withdrawn', { consentId, withdrawalJws: jws });
    return { consentId, jws, registered: consent.registrationStatus === RegistrationStatus.REGISTERED };
  }

  /**
   * After the withdrawal's transaction committed: its per-registration withdrawals leave for the
   * federation (at once without a window, else within it).
   */
  async afterWithdrawal(withdrawal: PendingWithdrawal): Promise<void> {
    await this.registerNowIfNoWindow();
    this.logger.info({ consentId: withdrawal.consentId }, 'consent withdrawn');
  }

  // ---- retry ---------------------------------------------------------------------------------

  /** Starts a flush of the registrations and withdrawals that are due, in the background. */
  scheduleRetry(): void {
    if (this.stopped) return;
    this.registrations.schedule();
  }

  /**
   * Sends every pending registration and withdrawal now (the window's delay skipped), per
   * agreement pair and shuffled; stops at the first outage.
   */
  async retryPending(): Promise<{ registered: number; withdrawals: number; pending: number }> {
    const { registered, withdrawals, pending } = await this.registrations.flush({ all: true });
    return { registered, withdrawals, pending };
  }

  // ---- export --------------------------------------------------------------------------------

  /**
   * What the customer needs to verify the receipt without trusting this node: the receipt (and
   * withdrawal) JWS, this node's JWKS (retired keys included), the federation's membership
   * statement binding this node to those keys, the federation's keys, and the notice shown.
   */
  async exportReceipt(consentId: string): Promise<string> {
    const consent = await this.get(consentId);
    // The receipt must verify under this node's keys (a rotated-out key still verifies it).
    await this.keys.verifyOwn('consent', consent.receiptJws, {
      audience: null,
      now: seconds(consent.createdAt),
    });
    return receiptDocument({
      consent,
      controller: this.partnerId,
      controllerJwks: await this.keys.allPublicKeys(),
      notice: await this.notices.get(consent.privacyNoticeId),
      membership: await this.network.membershipRow(),
    });
  }
}
