import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  tripleKey,
  type RegistrationClaims as ConsentRegistrationClaims,
  type RegistrationFacts,
} from './consent-checks.js';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { arrayLiteral } from '#platform/database/array-literal';
import { CONSENT_REGISTRY_QUERIES as Q } from './consent-registry.queries.js';

/** A live-consent question: recipient, purpose and category (and the controller, for `liveTokens`). */
export interface LiveConsentQuery {
  recipient: string;
  purpose: string;
  category: string;
}

/** A registration as its withdrawal checks it. */
export interface LockedRegistration {
  controller: string;
  recipients: string[];
  withdrawn_at: Date | null;
}

/**
 * The consent registry's statements on its own tables (`consent`, `consent_subject`), by name: they
 * are in consent-registry.queries.ts and, generated, in queries/consents.sql. Writes run on the
 * caller's transaction.
 */
@Injectable()
export class ConsentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The facts `registrationRefusal` checks a batch against, read in one statement: the ids taken,
   * the recipients in good standing, the (controller, recipient, agreement) triples whose agreement
   * lets the controller share now.
   */
  async registrationFacts(
    claims: readonly ConsentRegistrationClaims[],
    m: Queryable,
  ): Promise<RegistrationFacts> {
    const rows = await runNamed<
      {
        id: string;
        controller: string;
        recipient: string;
        agreement_id: string;
        taken: boolean;
        recipient_in_good_standing: boolean;
        agreement_lets_share: boolean;
      },
      'registrationFacts'
    >(m, Q, 'registrationFacts', [
      arrayLiteral(claims.map((c) => c.registrationId)),
      arrayLiteral(claims.map((c) => c.controller)),
      arrayLiteral(claims.map((c) => c.recipient)),
      arrayLiteral(claims.map((c) => c.agreementId)),
    ]);
    const facts = { taken: new Set<string>(), members: new Set<string>(), liveAgreements: new Set<string>() };
    for (const row of rows) {
      if (row.taken) facts.taken.add(row.id);
      if (row.recipient_in_good_standing) facts.members.add(row.recipient);
      if (row.agreement_lets_share)
        facts.liveAgreements.add(tripleKey(row.controller, row.recipient, row.agreement_id));
    }
    return facts;
  }

  /** Of these registration ids, those already registered. */
  async registeredAmong(ids: readonly string[], m: Queryable): Promise<Set<string>> {
    const rows = await runNamed<{ consent_id: string }, 'registeredAmong'>(m, Q, 'registeredAmong', [
      [...ids],
    ]);
    return new Set(rows.map((r) => r.consent_id));
  }

  /**
   * Stores one registration (for its one recipient) and its subject tokens; its registration time.
   * The registration names its signed message by `messageHash`: the message itself is stored once,
   * with the ledger's messages (by the event that ledgers the registration).
   */
  async insert(claims: ConsentRegistrationClaims, messageHash: string, m: Queryable): Promise<Date> {
    const [row] = await runNamed<{ registered_at: Date }, 'insertRegistration'>(m, Q, 'insertRegistration', [
      claims.registrationId,
      claims.controller,
      [claims.recipient],
      claims.agreementId,
      claims.purposes,
      claims.categories,
      claims.validFrom,
      claims.validUntil,
      claims.receiptCommitment,
      messageHash,
    ]);
    const tokens = new Map(claims.subjectTokens.map((t) => [t.token, t.kind]));
    await runNamed(m, Q, 'insertSubjects', [[...tokens.keys()], claims.registrationId, [...tokens.values()]]);
    return row!.registered_at;
  }

  /**
   * Stores a batch of registrations (`messageHashes[i]` names the message that signs `claims[i]`,
   * as `insert`) and their subject tokens: two set-based statements; each registration's time by id.
   */
  async insertMany(
    claims: readonly ConsentRegistrationClaims[],
    messageHashes: readonly string[],
    m: Queryable,
  ): Promise<Map<string, Date>> {
    const rows = await runNamed<{ consent_id: string; registered_at: Date }, 'insertRegistrations'>(
      m,
      Q,
      'insertRegistrations',
      [
        JSON.stringify(
          claims.map((c, i) => ({
            id: c.registrationId,
            controller: c.controller,
            recipient: c.recipient,
            agreement_id: c.agreementId,
            purposes: c.purposes,
            categories: c.categories,
            valid_from: c.validFrom,
            valid_until: c.validUntil,
            commitment: c.receiptCommitment,
            message_hash: messageHashes[i],
          })),
        ),
      ],
    );
    const subjects = claims.flatMap((c) =>
      [...new Map(c.subjectTokens.map((t) => [t.token, t.kind])).entries()].map(([token, kind]) => ({
        token,
        kind,
        id: c.registrationId,
      })),
    );
    await runNamed(m, Q, 'insertSubjectsOfMany', [
      arrayLiteral(subjects.map((t) => t.token)),
      arrayLiteral(subjects.map((t) => t.id)),
      arrayLiteral(subjects.map((t) => t.kind)),
    ]);
    return new Map(rows.map((r) => [r.consent_id, r.registered_at]));
  }

  /** Registration `consentId`, locked for its withdrawal; undefined when not registered. */
  async locked(consentId: string, m: Queryable): Promise<LockedRegistration | undefined> {
    const [row] = await runNamed<LockedRegistration, 'lockRegistration'>(m, Q, 'lockRegistration', [
      consentId,
    ]);
    return row;
  }

  /** Withdraws registration `consentId` by message `jws`: its registration and withdrawal times. */
  async withdraw(
    consentId: string,
    jws: string,
    m: Queryable,
  ): Promise<{ registered_at: Date; withdrawn_at: Date }> {
    const [row] = await runNamed<{ registered_at: Date; withdrawn_at: Date }, 'withdraw'>(m, Q, 'withdraw', [
      consentId,
      jws,
    ]);
    return row!;
  }

  /** The live consents for one subject token (from `controller` when given), by id. */
  async liveForSubject(
    subjectToken: string,
    query: LiveConsentQuery & { controller?: string | null },
  ): Promise<string[]> {
    const rows = await runNamed<{ consent_id: string }, 'liveForSubject'>(
      this.dataSource,
      Q,
      'liveForSubject',
      [query.recipient, query.purpose, query.category, subjectToken, query.controller ?? null],
    );
    return rows.map((r) => r.consent_id);
  }

  /** Of `tokens`, those with a live consent from `query.controller`. */
  async liveTokens(
    tokens: readonly string[],
    query: LiveConsentQuery & { controller: string },
    m: Queryable,
  ): Promise<Set<string>> {
    if (tokens.length === 0) return new Set();
    const rows = await runNamed<{ token: string }, 'liveTokens'>(m, Q, 'liveTokens', [
      query.recipient,
      query.purpose,
      query.category,
      [...tokens],
      query.controller,
    ]);
    return new Set(rows.map((r) => r.token));
  }

  async counts(): Promise<{ total: number; withdrawn: number; live: number; subjectTokens: number }> {
    const [row] = await runNamed<
      { total: string; withdrawn: string; live: string; tokens: string },
      'counts'
    >(this.dataSource, Q, 'counts');
    return {
      total: Number(row!.total),
      withdrawn: Number(row!.withdrawn),
      live: Number(row!.live),
      subjectTokens: Number(row!.tokens),
    };
  }

  async countsByController(): Promise<{ controller: string; total: number; withdrawn: number }[]> {
    const rows = await runNamed<
      { controller: string; total: string; withdrawn: string },
      'countsByController'
    >(this.dataSource, Q, 'countsByController');
    return rows.map((r) => ({
      controller: r.controller,
      total: Number(r.total),
      withdrawn: Number(r.withdrawn),
    }));
  }
}
