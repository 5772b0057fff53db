import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isProtocolError, subjectToken, unverifiedKid, nowSeconds } from '#protocol';
import { LedgerService } from '#ledger';
import { AppError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import type { SharingAgreement } from '../agreements/agreement.entity.js';
import { AgreementsService } from '../agreements/agreements.service.js';
import { KeysService } from '../keys/keys.service.js';
import { isUnavailable } from '../network/federation-errors.js';
import { MemberStatus } from '../network/network.entities.js';
import { NetworkService } from '../network/network.service.js';
import type { PrivacyNotice } from '../privacy-notices/privacy-notice.entity.js';
import { PrivacyNoticesService } from '../privacy-notices/privacy-notices.service.js';
import {
  ConsentRegistrationsService,
  type PlannedRegistrations,
  type RegistrationConsent,
} from './consent-registrations.service.js';
import type { SigningContext } from './consent-registration-sender.js';
import type { DueRow } from './consent-registration-batches.js';
import { insertConsentsWithRegistrations } from './consent-rows.js';
import { consentTimes } from './consent-validity.js';
import { consentRow, receiptClaims, type CheckedConsent } from './consent-receipt.js';
import { RegistrationStatus, type Consent, type StoredSubjectToken } from './consent.entity.js';
import type { GiveConsentInput } from './consents.dto.js';
import { isUuid } from '#platform/validation/ids';

/** One consent of a bulk call and where it came from (a CSV line, an item of a list). */
export interface BulkConsentLine {
  line: number;
  input: GiveConsentInput;
}

/** A refused line: the input field and the rule (never the value itself). */
export interface BulkConsentProblem {
  line: number;
  field: string;
  reason: string;
}

export type BulkConsentOutcome =
  { ok: true; consentIds: string[] } | { ok: false; problems: BulkConsentProblem[]; badLines: number };

/** Consents per part of the store (one INSERT of consents with their registrations, one of their ledger entries). */
const STORE_ROWS = 2000;
const MAX_PROBLEMS = 1000;

/**
 * Consents already given (a CSV of the customers' answers, a list over GraphQL), at the speed of
 * the database: the same rules as `ConsentsService.give` for each line, checked with one read per
 * kind of thing (customers, notices, recipients, agreement keys) instead of one per consent; every
 * receipt signed; all stored in one transaction with their ledger entries and one registration per
 * recipient (issue 16), or nothing when any line is refused (each refusal with its line). The
 * registrations then leave like the interactive ones: per agreement pair, shuffled, within the
 * window, in batches.
 */
@Injectable()
export class ConsentsBulkService {
  private readonly logger = getLogger().child({ context: 'consents-bulk' });

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly network: NetworkService,
    private readonly agreements: AgreementsService,
    private readonly keys: KeysService,
    private readonly notices: PrivacyNoticesService,
    private readonly ledger: LedgerService,
    private readonly registrations: ConsentRegistrationsService,
  ) {}

  async giveMany(lines: readonly BulkConsentLine[], userId: string | null): Promise<BulkConsentOutcome> {
    const started = Date.now();
    const now = nowSeconds();
    const anchor = await this.network.requireActiveMember();
    const problems: BulkConsentProblem[] = [];
    let badLines = 0;
    const refuse = (line: number, field: string, reason: string): void => {
      if (problems.length < MAX_PROBLEMS) problems.push({ line, field, reason });
    };
    const identifiers = await this.agreements.customerIdentifiersMany(lines.map((l) => l.input.customerId));
    const notices = new Map<string, Promise<PrivacyNotice | AppError>>();
    const covering = new Map<string, Promise<SharingAgreement | string>>();
    const keys = new Map<string, Promise<Uint8Array>>();
    // Receipts are signed on the threadpool while the next lines are checked. The keys (and the
    // membership) are read once, here: what is signed later, once the transaction holds the
    // connection (the embedded database has one), reads nothing.
    const active = await this.keys.activeKeys();
    const read: SigningContext = { federationId: anchor.federationId, keys: active };
    const signing: { checked: CheckedConsent; receipt: Promise<string> }[] = [];

    for (const line of lines) {
      const { input } = line;
      const before = problems.length;
      const bad = (field: string, reason: string): void => refuse(line.line, field, reason);
      // 1. The subject.
      const ids = isUuid(input.customerId) ? identifiers.get(input.customerId) : undefined;
      if (!ids) bad('customerId', 'is not a customer of this node');
      else if (ids.length === 0) bad('customerId', 'has no e-mail address or phone number to name them by');
      // 2. The notice.
      let notice: PrivacyNotice | undefined;
      let read = notices.get(input.privacyNoticeId);
      if (!read) {
        read = this.notices
          .requirePublished(input.privacyNoticeId, 'privacyNoticeId')
          .catch((error: unknown) => (error instanceof AppError ? error : Promise.reject(error)));
        notices.set(input.privacyNoticeId, read);
      }
      const found = await read;
      if (found instanceof AppError) bad('privacyNoticeId', found.message.replace(/^privacyNoticeId: /, ''));
      else notice = found;
      const language = input.language ?? notice?.language;
      if (notice && language !== notice.language) {
        bad('language', `must be the language of the notice shown (${notice.language})`);
      }
      // 3. Validity.
      const { validFrom, validUntil, givenAt, problems: times } = consentTimes(input, now);
      for (const problem of times) bad(problem.field, problem.reason);
      // 4. Recipients, each with an agreement covering every purpose and category.
      const agreementIds: string[] = [];
      for (const recipient of input.recipients) {
        const key = `${recipient}|${[...input.purposes].sort().join(',')}|${[...input.categories].sort().join(',')}`;
        let agreement = covering.get(key);
        if (!agreement) {
          agreement = this.covering(recipient, input);
          covering.set(key, agreement);
        }
        const answer = await agreement;
        if (typeof answer === 'string') bad('recipients', answer);
        else agreementIds.push(answer.agreementId);
      }
      if (problems.length > before || !ids || !notice) {
        badLines += 1;
        continue;
      }
      // 5. Pseudonyms under each recipient's agreement key.
      const subjectTokens: StoredSubjectToken[] = [];
      for (const agreementId of agreementIds) {
        let key = keys.get(agreementId);
        if (!key) {
          key = this.agreements.pseudonymKey(agreementId);
          keys.set(agreementId, key);
        }
        const secret = await key;
        const unique = new Map<string, StoredSubjectToken>();
        for (const { kind, value } of ids) {
          try {
            const token = subjectToken(secret, kind, value);
            unique.set(`${kind}:${token}`, { kind, token, keyId: agreementId });
          } catch (error) {
            if (!isProtocolError(error, 'INVALID_IDENTIFIER')) throw error;
          }
        }
        subjectTokens.push(...unique.values());
      }
      if (subjectTokens.length === 0) {
        bad('customerId', 'has no e-mail address or phone number that can be normalised');
        badLines += 1;
        continue;
      }
      if (badLines > 0) continue;
      // 6. The receipt.
      const checked: CheckedConsent = {
        partnerId: this.config.partnerId,
        federationId: anchor.federationId,
        consentId: randomUUID(),
        input,
        subjectTokens,
        agreementIds,
        notice,
        language: language as string,
        now,
        givenAt,
        validFrom,
        validUntil,
      };
      signing.push({ checked, receipt: active.signOffThread('consent', receiptClaims(checked)) });
    }
    if (badLines > 0) {
      await Promise.allSettled(signing.map((s) => s.receipt));
      return { ok: false, problems, badLines };
    }
    const checked = Date.now();

    // 7. Stored together, in one transaction: consents, one registration per recipient, one ledger
    // entry each, in parts of STORE_ROWS (two statements a part, sent together: the consents with
    // their registrations, and their ledger entries). The next part's registrations are planned (and,
    // without a window, signed) while the database stores this one: one part ahead, not all at once
    // (planning every part first kept the event loop busy until the last, and the database waited).
    const prepare = async (
      from: number,
    ): Promise<{ rows: Partial<Consent>[]; planned: PlannedRegistrations }> => {
      const part = signing.slice(from, from + STORE_ROWS);
      const receipts = await Promise.all(part.map((s) => s.receipt));
      const rows = part.map(({ checked: c }, j) =>
        consentRow(c, { jws: receipts[j]!, kid: unverifiedKid(receipts[j]!)! }, userId),
      );
      return { rows, planned: await this.registrations.prepareMany(rows as RegistrationConsent[], read) };
    };
    const consentIds: string[] = [];
    // What the flush after the commit sends as it is (without a window, signed already).
    const leaving: DueRow[] = [];
    // One ledger time for the file, as one statement gave it.
    const at = new Date();
    // A receipt that failed to sign is reported by the part that awaits it; the rest must not go unhandled.
    for (const s of signing) s.receipt.catch(() => undefined);
    await this.dataSource.transaction(async (m) => {
      let next: ReturnType<typeof prepare> | undefined = signing.length > 0 ? prepare(0) : undefined;
      // Each registration's foreign key check looks its consent up by id with a plan the
      // connection caches. One cached while `consent` was small (a sequential scan is right for a
      // few rows) read the whole table once per registration after a file of consents (25 M rows
      // read for 5,000 consents, growing with the square of the file). Dropped here, it is planned
      // again at the end of the first part's statement, with that part's consents in the table:
      // by the primary key.
      await m.query('DISCARD PLANS');
      for (let from = 0; next; from += STORE_ROWS) {
        const { rows, planned } = await next;
        const after = from + STORE_ROWS;
        // Begun on the next turn of the event loop, once this part's INSERT has been sent: its
        // synchronous planning must not hold that statement back.
        next = after < signing.length ? nextTurn().then(() => prepare(after)) : undefined;
        // If this part's statements fail, the part prepared meanwhile is dropped unawaited.
        next?.catch(() => undefined);
        // The part's ledger entries are queued with its consents (no lock of the ledger head across
        // this commit; the sequencer gives them their seqs once committed), their statement sent
        // behind the INSERT without waiting for it: the connection runs it as soon as the INSERT is
        // done, where the answer used to wait for this event loop, busy preparing the next part
        // (40–70 ms a part). Their leaves are built while the database stores the part. Should the
        // INSERT fail, its error is the one reported (the other statement fails after it).
        await Promise.all([
          insertConsentsWithRegistrations(m, rows, planned),
          this.ledger.enqueueMany(
            m,
            rows.map((row) => ({
              kind: 'consent.given',
              entry: {
                consentId: row.id,
                receiptJws: row.receiptJws,
                registration: RegistrationStatus.PENDING_REGISTRATION,
              },
            })),
            { time: at },
          ),
        ]);
        for (const row of rows) consentIds.push(row.id!);
        planned.ids.forEach((id, i) =>
          leaving.push({
            registration_id: id,
            consent_id: planned.consentIds[i]!,
            recipient: planned.recipients[i]!,
            agreement_id: planned.agreementIds[i]!,
            registration_jws: planned.jwss[i],
          }),
        );
      }
    });
    const stored = Date.now();
    // Without a window they leave now, as the interactive path does; with one, within it.
    if (this.config.consentRegistrationWindowSeconds === 0 && this.network.configured) {
      await this.registrations.flushStored(leaving);
    } else {
      this.registrations.schedule();
    }
    // Where the time went (checked; signed and stored; registered): what a slow import is asked first.
    this.logger.info(
      {
        consents: consentIds.length,
        ms: Date.now() - started,
        checkMs: checked - started,
        storeMs: stored - checked,
        registerMs: Date.now() - stored,
      },
      'consents given in bulk',
    );
    return { ok: true, consentIds };
  }

  /** The agreement covering a line's recipient, purposes and categories, or why there is none. */
  private async covering(recipient: string, input: GiveConsentInput): Promise<SharingAgreement | string> {
    if (recipient === this.config.partnerId) return 'this node is the controller, not a recipient';
    const member = await this.network.member(recipient);
    if (!member || member.status !== MemberStatus.ACTIVE) {
      return `${recipient} is not an active member of the federation`;
    }
    let agreement = await this.agreements.coveringAgreement(recipient, input.purposes, input.categories);
    if (!agreement) {
      try {
        await this.agreements.refresh();
      } catch (error) {
        if (!isUnavailable(error)) throw error;
      }
      agreement = await this.agreements.coveringAgreement(recipient, input.purposes, input.categories);
    }
    return (
      agreement ??
      `no active agreement lets this node share with ${recipient} for these purposes and categories`
    );
  }
}
