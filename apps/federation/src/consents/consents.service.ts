import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { jwsHash, unverifiedJwsPart } from '#protocol';
import type {
  ConsentBatchItem,
  ConsentCheckRequest,
  ConsentCheckResponse,
  ConsentView,
} from '#federation-client';
import { AppError, RefusedMessageError } from '#platform/errors/app-errors';
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

  /**
   * Registers one agreement pair's batch of registrations: each message is verified, checked and
   * refused on its own exactly as `register` does (same rules, same refusal reasons, recorded),
   * and the accepted ones are stored in one transaction with set-based statements. Each stored
   * row keeps a time of its own (clock_timestamp), as one registration at a time would have.
   */
  async registerMany(jwss: readonly string[], route: string): Promise<ConsentBatchItem[]> {
    const results = await this.intake.acceptMany(
      'consent-registration',
      jwss,
      { route, audience: 'if-present' },
      {
        check: async (verified, m) => {
          const ids = verified.map((v) => v.claims.registrationId);
          const existing: { consent_id: string }[] = await m.query(
            `SELECT consent_id FROM consent WHERE consent_id = ANY ($1::text[])`,
            [ids],
          );
          const taken = new Set(existing.map((r) => r.consent_id));
          const recipients = [...new Set(verified.map((v) => v.claims.recipient))];
          const active: { partner_id: string }[] = await m.query(
            `SELECT partner_id FROM member WHERE partner_id = ANY ($1::text[]) AND status = 'active' AND valid_until > now()`,
            [recipients],
          );
          const members = new Set(active.map((r) => r.partner_id));
          const pairs = [
            ...new Map(
              verified.map(({ claims: c }) => [
                `${c.controller}\u0000${c.recipient}\u0000${c.agreementId}`,
                c,
              ]),
            ).values(),
          ];
          const live: { controller: string; recipient: string; agreement_id: string }[] = await m.query(
            `SELECT q.controller, q.recipient, q.agreement_id
             FROM unnest($1::text[], $2::text[], $3::text[]) AS q(controller, recipient, agreement_id)
            WHERE EXISTS (${liveAgreement('q.controller', 'q.recipient')} AND a.agreement_id = q.agreement_id)`,
            [pairs.map((c) => c.controller), pairs.map((c) => c.recipient), pairs.map((c) => c.agreementId)],
          );
          const agreements = new Set(
            live.map((r) => `${r.controller}\u0000${r.recipient}\u0000${r.agreement_id}`),
          );
          return verified.map(({ claims }): AppError | undefined => {
            const { registrationId, controller, recipient, agreementId } = claims;
            if (taken.has(registrationId)) {
              return new RefusedMessageError(
                'CONSENT_EXISTS',
                `registration ${registrationId} is already registered`,
              );
            }
            taken.add(registrationId);
            if (!members.has(recipient)) {
              return new RefusedMessageError(
                'PARTY_NOT_MEMBER',
                `recipient ${recipient} is not an active member`,
              );
            }
            if (!agreements.has(`${controller}\u0000${recipient}\u0000${agreementId}`)) {
              return new RefusedMessageError(
                'AGREEMENT_NOT_ACTIVE',
                `agreement ${agreementId} does not let ${controller} share with ${recipient}`,
              );
            }
            return undefined;
          });
        },
        write: async (verified, m) => {
          const claims = verified.map((v) => v.claims);
          const jwsOf = verified.map((v) => v.jws);
          const rows: { consent_id: string; registered_at: Date }[] = await m.query(
            `INSERT INTO consent (consent_id, controller, recipients, agreement_id, purposes, categories, valid_from,
             valid_until, receipt_commitment, jws, registered_at)
           SELECT u.id, u.controller, ARRAY[u.recipient], u.agreement_id,
                  ARRAY(SELECT jsonb_array_elements_text(u.purposes)), ARRAY(SELECT jsonb_array_elements_text(u.categories)),
                  to_timestamp(u.valid_from), to_timestamp(u.valid_until), u.commitment, u.jws, clock_timestamp()
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::bigint[],
                         $8::bigint[], $9::text[], $10::text[]) WITH ORDINALITY
                  AS u(id, controller, recipient, agreement_id, purposes, categories, valid_from, valid_until, commitment, jws, n)
            ORDER BY u.n
           RETURNING consent_id, registered_at`,
            [
              claims.map((c) => c.registrationId),
              claims.map((c) => c.controller),
              claims.map((c) => c.recipient),
              claims.map((c) => c.agreementId),
              claims.map((c) => JSON.stringify(c.purposes)),
              claims.map((c) => JSON.stringify(c.categories)),
              claims.map((c) => c.validFrom),
              claims.map((c) => c.validUntil),
              claims.map((c) => c.receiptCommitment),
              jwsOf,
            ],
          );
          const registeredAt = new Map(rows.map((r) => [r.consent_id, r.registered_at]));
          const subjects = claims.flatMap((c) =>
            [...new Map(c.subjectTokens.map((t) => [t.token, t.kind])).entries()].map(([token, kind]) => ({
              token,
              kind,
              id: c.registrationId,
            })),
          );
          await m.query(
            `INSERT INTO consent_subject (token, consent_id, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
            [subjects.map((t) => t.token), subjects.map((t) => t.id), subjects.map((t) => t.kind)],
          );
          await this.events.appendMany(
            m,
            claims.map((c, i) => ({
              type: 'consent.registered' as const,
              subject: c.registrationId,
              body: {
                controller: c.controller,
                recipients: [c.recipient],
                agreementId: c.agreementId,
                purposes: c.purposes,
                categories: c.categories,
                validFrom: c.validFrom,
                validUntil: c.validUntil,
                messageHash: jwsHash(jwsOf[i]!),
              },
              options: { signed: [jwsOf[i]!] },
            })),
          );
          return claims.map((c): ConsentBatchItem => ({
            consentId: c.registrationId,
            status: 'registered',
            registeredAt: Math.floor(registeredAt.get(c.registrationId)!.getTime() / 1000),
          }));
        },
      },
    );
    return results.map((result, i): ConsentBatchItem => {
      if (!(result instanceof AppError)) return result;
      const reason = result instanceof RefusedMessageError ? result.reason : result.code;
      const id = unverifiedJwsPart(jwss[i], 'claims')?.registrationId;
      return {
        consentId: typeof id === 'string' ? id.slice(0, 200) : null,
        status: 'refused',
        reason,
        message: result.message,
      };
    });
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
