import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { jwsHash } from '#protocol';
import type { ConsentCheckRequest, ConsentCheckResponse, ConsentView } from '#federation-client';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { EventsService } from '../events/events.service.js';
import { MessageIntake } from '../intake/message-intake.service.js';

/**
 * An agreement that lets `controller` share with `recipient` now: accepted or active, inside its
 * validity, and in that direction (a one-way agreement lets parties[0] share with parties[1] only).
 * Takes SQL expressions for both; extra conditions may follow.
 */
const liveAgreement = (controller: string, recipient: string): string => `
  SELECT 1 FROM agreement a
   WHERE ((a.party_a = ${controller} AND a.party_b = ${recipient})
          OR (a.direction = 'mutual' AND a.party_a = ${recipient} AND a.party_b = ${controller}))
     AND a.state IN ('accepted','active') AND a.valid_from <= now() AND a.valid_until > now()`;

/**
 * The consent registry: per-recipient registrations signed by their controllers, indexed by
 * subject token only. A row (`consent`) is one registration: one controller, one recipient, one
 * agreement; `consent_id` is the registration's own id.
 */
@Injectable()
export class ConsentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly intake: MessageIntake,
    private readonly events: EventsService,
  ) {}

  /**
   * Registers one recipient's registration of a consent (issue 16): the controller sends one per
   * recipient, each with its own id and only the tokens under that recipient's agreement, so that
   * nothing here joins a customer's registrations under two agreements.
   */
  register(jws: string, route: string): Promise<ConsentView> {
    return this.intake.accept(
      'consent-registration',
      jws,
      { route, audience: 'if-present' },
      async ({ claims }, m) => {
        const exists: unknown[] = await m.query(`SELECT 1 FROM consent WHERE consent_id = $1`, [
          claims.registrationId,
        ]);
        if (exists.length > 0) {
          throw new RefusedMessageError(
            'CONSENT_EXISTS',
            `registration ${claims.registrationId} is already registered`,
          );
        }
        const { controller, recipient, agreementId } = claims;
        const member: { status: string }[] = await m.query(
          `SELECT status FROM member WHERE partner_id = $1 AND valid_until > now()`,
          [recipient],
        );
        if (member[0]?.status !== 'active') {
          throw new RefusedMessageError('PARTY_NOT_MEMBER', `recipient ${recipient} is not an active member`);
        }
        const agreement: unknown[] = await m.query(`${liveAgreement('$1', '$2')} AND a.agreement_id = $3`, [
          controller,
          recipient,
          agreementId,
        ]);
        if (agreement.length === 0) {
          throw new RefusedMessageError(
            'AGREEMENT_NOT_ACTIVE',
            `agreement ${agreementId} does not let ${controller} share with ${recipient}`,
          );
        }
        const [row]: { registered_at: Date }[] = await m.query(
          `INSERT INTO consent (consent_id, controller, recipients, agreement_id, purposes, categories, valid_from,
             valid_until, receipt_commitment, jws)
           VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7), to_timestamp($8), $9, $10)
           RETURNING registered_at`,
          [
            claims.registrationId,
            controller,
            [recipient],
            agreementId,
            claims.purposes,
            claims.categories,
            claims.validFrom,
            claims.validUntil,
            claims.receiptCommitment,
            jws,
          ],
        );
        const tokens = new Map(claims.subjectTokens.map((t) => [t.token, t.kind]));
        await m.query(
          `INSERT INTO consent_subject (token, consent_id, kind) SELECT t, $2, k FROM unnest($1::text[], $3::text[]) AS u(t, k)`,
          [[...tokens.keys()], claims.registrationId, [...tokens.values()]],
        );
        await this.events.append(
          m,
          'consent.registered',
          claims.registrationId,
          {
            controller,
            recipients: [recipient],
            agreementId,
            purposes: claims.purposes,
            categories: claims.categories,
            validFrom: claims.validFrom,
            validUntil: claims.validUntil,
            messageHash: jwsHash(jws),
          },
          { signed: [jws] },
        );
        return {
          consentId: claims.registrationId,
          controller,
          status: 'registered',
          registeredAt: Math.floor(row!.registered_at.getTime() / 1000),
        };
      },
    );
  }

  withdraw(consentId: string, jws: string, route: string): Promise<ConsentView> {
    return this.intake.accept(
      'consent-withdrawal',
      jws,
      { route, audience: 'if-present' },
      async ({ claims }, m) => {
        if (claims.consentId !== consentId) {
          throw new RefusedMessageError('REQUEST_MISMATCH', 'the withdrawal names another consent');
        }
        const consent = await this.locked(m, consentId);
        if (!consent)
          throw new RefusedMessageError('UNKNOWN_CONSENT', `consent ${consentId} is not registered`);
        if (consent.controller !== claims.iss) {
          throw new RefusedMessageError('NOT_CONTROLLER', 'only the controller of a consent withdraws it');
        }
        if (consent.withdrawn_at !== null) {
          throw new RefusedMessageError('CONSENT_WITHDRAWN', `consent ${consentId} is already withdrawn`);
        }
        const [row]: { registered_at: Date; withdrawn_at: Date }[] = await m.query(
          // A CTE so that the driver hands back the rows (a bare UPDATE answers [rows, count]).
          `WITH changed AS (
           UPDATE consent SET withdrawn_at = now(), withdrawal_jws = $2 WHERE consent_id = $1
           RETURNING registered_at, withdrawn_at)
         SELECT * FROM changed`,
          [consentId, jws],
        );
        await this.events.append(
          m,
          'consent.withdrawn',
          consentId,
          {
            controller: consent.controller,
            recipients: consent.recipients,
            withdrawnAt: claims.withdrawnAt,
            messageHash: jwsHash(jws),
          },
          { signed: [jws] },
        );
        return {
          consentId,
          controller: consent.controller,
          status: 'withdrawn',
          registeredAt: Math.floor(row!.registered_at.getTime() / 1000),
          withdrawnAt: Math.floor(row!.withdrawn_at.getTime() / 1000),
        };
      },
    );
  }

  /**
   * Live consents for one subject token, recipient, purpose and category: registered, not
   * withdrawn, valid now, both members active, and an active agreement between controller and
   * recipient covering that purpose and category in the controller → recipient direction.
   */
  async check(query: ConsentCheckRequest): Promise<ConsentCheckResponse> {
    const rows: { consent_id: string }[] = await this.dataSource.query(
      `SELECT c.consent_id
         FROM consent_subject s
         JOIN consent c ON c.consent_id = s.consent_id
         JOIN member mc ON mc.partner_id = c.controller AND mc.status = 'active' AND mc.valid_until > now()
         JOIN member mr ON mr.partner_id = $1 AND mr.status = 'active' AND mr.valid_until > now()
        WHERE s.token = $4
          AND c.withdrawn_at IS NULL AND c.valid_from <= now() AND c.valid_until > now()
          AND $1 = ANY (c.recipients) AND $2 = ANY (c.purposes) AND $3 = ANY (c.categories)
          AND ($5::text IS NULL OR c.controller = $5)
          AND EXISTS (${liveAgreement('c.controller', '$1')} AND $2 = ANY (a.purposes) AND $3 = ANY (a.categories))
        ORDER BY c.consent_id`,
      [query.recipient, query.purpose, query.category, query.subjectToken, query.controller ?? null],
    );
    const consentIds = rows.map((r) => r.consent_id);
    return { live: consentIds.length > 0, consentIds };
  }

  /**
   * Of `tokens`, those with a live consent (as `check` defines it) from `controller` to
   * `recipient` for `purpose` and `category`: the same rule, for a batch (segment merges).
   */
  async liveTokens(
    m: EntityManager,
    tokens: readonly string[],
    query: { controller: string; recipient: string; purpose: string; category: string },
  ): Promise<Set<string>> {
    if (tokens.length === 0) return new Set();
    const rows: { token: string }[] = await m.query(
      `SELECT DISTINCT s.token
         FROM unnest($4::text[]) AS q(token)
         JOIN consent_subject s ON s.token = q.token
         JOIN consent c ON c.consent_id = s.consent_id AND c.controller = $5
         JOIN member mc ON mc.partner_id = c.controller AND mc.status = 'active' AND mc.valid_until > now()
         JOIN member mr ON mr.partner_id = $1 AND mr.status = 'active' AND mr.valid_until > now()
        WHERE c.withdrawn_at IS NULL AND c.valid_from <= now() AND c.valid_until > now()
          AND $1 = ANY (c.recipients) AND $2 = ANY (c.purposes) AND $3 = ANY (c.categories)
          AND EXISTS (${liveAgreement('c.controller', '$1')} AND $2 = ANY (a.purposes) AND $3 = ANY (a.categories))`,
      [query.recipient, query.purpose, query.category, tokens, query.controller],
    );
    return new Set(rows.map((r) => r.token));
  }

  async counts(): Promise<{ total: number; withdrawn: number; live: number; subjectTokens: number }> {
    const [row]: { total: string; withdrawn: string; live: string; tokens: string }[] =
      await this.dataSource.query(
        `SELECT count(*) AS total,
              count(*) FILTER (WHERE withdrawn_at IS NOT NULL) AS withdrawn,
              count(*) FILTER (WHERE withdrawn_at IS NULL AND valid_from <= now() AND valid_until > now()) AS live,
              (SELECT count(DISTINCT token) FROM consent_subject) AS tokens
         FROM consent`,
      );
    return {
      total: Number(row!.total),
      withdrawn: Number(row!.withdrawn),
      live: Number(row!.live),
      subjectTokens: Number(row!.tokens),
    };
  }

  async countsByController(): Promise<{ controller: string; total: number; withdrawn: number }[]> {
    const rows: { controller: string; total: string; withdrawn: string }[] = await this.dataSource.query(
      `SELECT controller, count(*) AS total, count(*) FILTER (WHERE withdrawn_at IS NOT NULL) AS withdrawn
         FROM consent GROUP BY controller ORDER BY controller`,
    );
    return rows.map((r) => ({
      controller: r.controller,
      total: Number(r.total),
      withdrawn: Number(r.withdrawn),
    }));
  }

  private async locked(
    m: EntityManager,
    consentId: string,
  ): Promise<{ controller: string; recipients: string[]; withdrawn_at: Date | null } | undefined> {
    const rows: { controller: string; recipients: string[]; withdrawn_at: Date | null }[] = await m.query(
      `SELECT controller, recipients, withdrawn_at FROM consent WHERE consent_id = $1 FOR UPDATE`,
      [consentId],
    );
    return rows[0];
  }
}
