import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ProtocolError,
  isProtocolError,
  jwsHash,
  peekJwsIds,
  signJwt,
  unverifiedJwsPart,
  verifyMessage,
  type KeyResolver,
  type MessageKind,
  type OkpPublicJwk,
  type VerifiedMessage,
  nowSeconds,
} from '#protocol';
import {
  RELAY_CONTENT_TYPE,
  keyUseRefusal,
  toRefusalReason,
  type MemberStatusValue,
} from '#federation-client';
import { inTransaction } from '#platform/database/transaction';
import { AppError, RefusedMessageError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { EventsService } from '../events/events.service.js';
import { FederationKeysService } from '../keys/federation-keys.service.js';
import {
  CARE_CATEGORIES,
  NODE_PATHS,
  RELAY_AUTHORIZATION_SCHEME,
  RELAY_TOKEN_TTL_SECONDS,
  RELAY_TOKEN_TYP,
  bodyHash,
  type ConsentStatusBody,
  type ConsentStatusResponse,
  type EnvelopeRelayBody,
  type HistoryRequestBody,
  type HistoryResponse,
  type HistoryResult,
  type NodeEnvelopeAnswer,
  type NodeHistoryAnswer,
  type NodeHistoryRequest,
  type NodeWithdrawalAnswer,
  type RelayTokenClaims,
  type WithdrawalRelayBody,
  type WithdrawalRelayResponse,
  type WithdrawalResult,
} from '#federation-client';

/** The recipient could not be reached (or did not answer in time): the sender retries later. */
export class RecipientUnavailableError extends AppError {
  readonly code = 'RECIPIENT_UNAVAILABLE';
}

const DEFAULT_HISTORY_TIMEOUT_MS = 3000;
const MAX_HISTORY_TIMEOUT_MS = 10_000;
const ENVELOPE_TIMEOUT_MS = 30_000;
const WITHDRAWAL_TIMEOUT_MS = 10_000;

interface MemberRow {
  partner_id: string;
  endpoint: string;
  status: MemberStatusValue;
  valid_until: Date;
}

type CallOutcome<T> =
  | { ok: true; body: T; durationMs: number }
  | {
      ok: false;
      kind: 'timeout' | 'unreachable' | 'refused';
      code: string;
      message: string;
      durationMs: number;
    };

/** SQL: an agreement `a` that lets $controller share with $recipient now (as the consent registry's). */
const LIVE_AGREEMENT = (controller: string, recipient: string) => `
  ((a.party_a = ${controller} AND a.party_b = ${recipient})
    OR (a.direction = 'mutual' AND a.party_a = ${recipient} AND a.party_b = ${controller}))
  AND a.state IN ('accepted','active') AND a.valid_from <= now() AND a.valid_until > now()`;

/**
 * The relay (invariant 4): carries history requests, share envelopes and withdrawals between
 * members. It checks membership, agreement and the consent registry, signs what it forwards (a
 * relay token bound to the target, path and body), calls holders in parallel with a timeout each,
 * and logs metadata only. Records travel end-to-end encrypted: the relay never reads them.
 */
@Injectable()
export class RelayService {
  private readonly logger = getLogger().child({ context: 'relay' });

  constructor(
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: FederationKeysService,
    private readonly events: EventsService,
  ) {}

  // ---- pull ---------------------------------------------------------------------------------

  /**
   * Each holder's request gets a request id of its own (issue 16): nothing the federation keeps of
   * a pull (relay log, ledger) names one id for a customer's requests to two holders.
   */
  async history(requester: string, body: HistoryRequestBody): Promise<HistoryResponse> {
    const timeoutMs = Math.min(body.timeoutMs ?? DEFAULT_HISTORY_TIMEOUT_MS, MAX_HISTORY_TIMEOUT_MS);
    const results = await Promise.all(
      body.requests.map((request) => this.historyFrom(requester, request, timeoutMs, randomUUID())),
    );
    return {
      results,
      partial: results.some(
        (r) => r.status === 'timeout' || r.status === 'unreachable' || r.status === 'refused',
      ),
    };
  }

  private async historyFrom(
    requester: string,
    request: HistoryRequestBody['requests'][number],
    timeoutMs: number,
    requestId: string,
  ): Promise<HistoryResult> {
    const started = Date.now();
    const base = { holder: request.holder, agreementId: request.agreementId, requestId };
    const done = async (
      result: Omit<HistoryResult, 'holder' | 'agreementId' | 'requestId' | 'durationMs'>,
    ) => {
      const durationMs = Date.now() - started;
      await this.log(
        'history',
        requestId,
        requester,
        request.holder,
        null,
        result.status,
        result.error?.code,
        durationMs,
      );
      return { ...base, ...result, durationMs };
    };
    const holder = await this.activeMember(request.holder);
    if (!holder || request.holder === requester) return done({ status: 'not-member' });
    const agreements: { categories: string[] }[] = await this.dataSource.query(
      `SELECT a.categories FROM agreement a
        WHERE a.agreement_id = $3 AND ${LIVE_AGREEMENT('$1', '$2')} AND 'customer-care' = ANY (a.purposes)`,
      [request.holder, requester, request.agreementId],
    );
    if (agreements.length === 0) return done({ status: 'agreement-not-active' });
    const rows: { category: string }[] = await this.dataSource.query(
      `SELECT DISTINCT cat AS category
         FROM consent_subject s JOIN consent c ON c.consent_id = s.consent_id, unnest(c.categories) AS cat
        WHERE s.token = ANY ($1::text[]) AND c.controller = $2 AND $3 = ANY (c.recipients) AND c.agreement_id = $4
          AND 'customer-care' = ANY (c.purposes) AND c.withdrawn_at IS NULL
          AND c.valid_from <= now() AND c.valid_until > now()`,
      [request.subjectTokens, request.holder, requester, request.agreementId],
    );
    const agreed = agreements[0]!.categories;
    const categories = rows
      .map((r) => r.category)
      .filter((c) => agreed.includes(c) && (CARE_CATEGORIES as readonly string[]).includes(c))
      .sort() as NodeHistoryRequest['categories'];
    if (categories.length === 0) return done({ status: 'no-consent' });
    const forwarded: NodeHistoryRequest = {
      requestId,
      requester,
      agreementId: request.agreementId,
      subjectTokens: request.subjectTokens,
      categories,
      // Signed by the requester for the holder (its reason and agent): the holder verifies it.
      ...(request.request ? { historyRequest: request.request } : {}),
    };
    const outcome = await this.call<NodeHistoryAnswer>(
      holder,
      NODE_PATHS.historyRequests,
      forwarded,
      requester,
      timeoutMs,
    );
    if (!outcome.ok)
      return done({ status: outcome.kind, error: { code: outcome.code, message: outcome.message } });
    if (!outcome.body?.envelope) return done({ status: 'empty' });
    // The ledger entry and the relay log are written side by side (the desk waits for this answer).
    const [, result] = await Promise.all([
      this.ledgerPulledEnvelope(
        request.holder,
        requester,
        requestId,
        request.agreementId,
        outcome.body.envelope,
      ),
      done({
        status: 'ok',
        envelope: outcome.body.envelope,
        ...(outcome.body.items ? { items: outcome.body.items } : {}),
        ...(outcome.body.sealedRecords ? { sealedRecords: outcome.body.sealedRecords } : {}),
      }),
    ]);
    return result;
  }

  /**
   * A pull answer relayed to the requester is a ledger entry, by its hash and the agreement only
   * (issue 16): not the signed envelope, nor the registration ids it names, since a customer's
   * answers from several holders arrive together and would join that customer's registrations
   * under their agreements. The requester verifies the answer and keeps it (its evidence of
   * receipt), the holder keeps what it sent: either can show the envelope that matches the hash.
   */
  private async ledgerPulledEnvelope(
    holder: string,
    requester: string,
    requestId: string,
    agreementId: string,
    envelope: string,
  ): Promise<void> {
    await inTransaction(this.dataSource, (m) =>
      this.events.append(m, 'envelope.relayed', requestId, {
        from: holder,
        to: requester,
        channel: 'pull',
        requestId,
        agreementId,
        envelopeHash: jwsHash(envelope),
      }),
    );
  }

  // ---- push ---------------------------------------------------------------------------------

  async envelope(sender: string, body: EnvelopeRelayBody, route: string): Promise<NodeEnvelopeAnswer> {
    const started = Date.now();
    let verified: VerifiedMessage<'share'>;
    try {
      verified = await this.verifyMember('share', body.envelope, sender);
      const { claims } = verified;
      const recipient = await this.activeMember(claims.aud);
      if (!recipient)
        throw new RefusedMessageError('PARTY_NOT_MEMBER', `${claims.aud} is not an active member`);
      const agreements: { categories: string[]; purposes: string[] }[] = await this.dataSource.query(
        `SELECT a.categories, a.purposes FROM agreement a WHERE a.agreement_id = $3 AND ${LIVE_AGREEMENT('$1', '$2')}`,
        [claims.iss, claims.aud, claims.agreementId],
      );
      const agreement = agreements[0];
      if (
        !agreement ||
        !agreement.purposes.includes(claims.purpose) ||
        !claims.categories.every((c) => agreement.categories.includes(c))
      ) {
        throw new RefusedMessageError('AGREEMENT_NOT_ACTIVE', 'no active agreement covers this envelope');
      }
      const consents: {
        consent_id: string;
        controller: string;
        recipients: string[];
        agreement_id: string;
        purposes: string[];
        categories: string[];
        live: boolean;
        withdrawn: boolean;
      }[] = await this.dataSource.query(
        `SELECT consent_id, controller, recipients, agreement_id, purposes, categories,
                withdrawn_at IS NOT NULL AS withdrawn,
                (withdrawn_at IS NULL AND valid_from <= now() AND valid_until > now()) AS live
           FROM consent WHERE consent_id = ANY ($1::text[])`,
        [claims.consentIds],
      );
      for (const consentId of claims.consentIds) {
        const consent = consents.find((c) => c.consent_id === consentId);
        if (!consent || consent.controller !== claims.iss) {
          throw new RefusedMessageError(
            'UNKNOWN_CONSENT',
            `consent ${consentId} is not registered by the sender`,
          );
        }
        if (consent.withdrawn)
          throw new RefusedMessageError('CONSENT_WITHDRAWN', `consent ${consentId} is withdrawn`);
        if (
          !consent.live ||
          !consent.recipients.includes(claims.aud) ||
          // A registration is for one recipient under one agreement: the envelope's.
          consent.agreement_id !== claims.agreementId ||
          !consent.purposes.includes(claims.purpose)
        ) {
          throw new RefusedMessageError('CONSENT_NOT_LIVE', `consent ${consentId} does not allow this share`);
        }
      }
      const consented = new Set(consents.flatMap((c) => c.categories));
      if (!claims.categories.every((c) => consented.has(c))) {
        throw new RefusedMessageError('CATEGORY_NOT_CONSENTED', 'a category is not covered by the consents');
      }
    } catch (error) {
      throw await this.refused(error, 'share', body.envelope, route);
    }
    const { claims } = verified;
    const recipient = (await this.activeMember(claims.aud))!;
    const outcome = await this.call<NodeEnvelopeAnswer>(
      recipient,
      NODE_PATHS.envelopes,
      body,
      sender,
      ENVELOPE_TIMEOUT_MS,
    );
    const durationMs = Date.now() - started;
    await this.log(
      'envelope',
      claims.jti,
      sender,
      claims.aud,
      claims.jti,
      outcome.ok ? 'delivered' : outcome.kind,
      outcome.ok ? null : outcome.code,
      durationMs,
    );
    if (outcome.ok) {
      // Recorded once delivered; should this fail, the sender's outbox retries (idempotent by id).
      await inTransaction(this.dataSource, (m) =>
        this.events.append(
          m,
          'envelope.relayed',
          claims.jti,
          {
            from: sender,
            to: claims.aud,
            kid: verified.header.kid,
            agreementId: claims.agreementId,
            consentIds: claims.consentIds,
            purpose: claims.purpose,
            categories: claims.categories,
            envelopeHash: jwsHash(body.envelope),
          },
          // Records in clear are personal data: such an envelope is ledgered by its hash only.
          { signed: claims.records ? [] : [body.envelope] },
        ),
      );
      return outcome.body;
    }
    if (outcome.kind === 'refused') {
      throw new RefusedMessageError(
        toRefusalReason(outcome.code),
        `the recipient refused the envelope: ${outcome.message}`,
        {
          by: claims.aud,
        },
      );
    }
    throw new RecipientUnavailableError(`${claims.aud} did not take the envelope (${outcome.code})`, {
      // What happened on the way (the recipient's own words, if any, are in the message).
      reason: outcome.kind === 'timeout' ? 'TIMEOUT' : 'UNREACHABLE',
    });
  }

  // ---- withdrawals -------------------------------------------------------------------------

  async withdrawal(
    sender: string,
    body: WithdrawalRelayBody,
    route: string,
  ): Promise<WithdrawalRelayResponse> {
    let consent: { recipients: string[] };
    let verified: VerifiedMessage<'consent-withdrawal'>;
    try {
      verified = await this.verifyMember('consent-withdrawal', body.withdrawal, sender);
      const rows: { controller: string; recipients: string[]; withdrawn_at: Date | null }[] =
        await this.dataSource.query(
          `SELECT controller, recipients, withdrawn_at FROM consent WHERE consent_id = $1`,
          [verified.claims.consentId],
        );
      const row = rows[0];
      if (!row) throw new RefusedMessageError('UNKNOWN_CONSENT', 'the consent is not registered');
      if (row.controller !== sender)
        throw new RefusedMessageError('NOT_CONTROLLER', 'only the controller withdraws');
      if (!row.withdrawn_at) {
        throw new RefusedMessageError('CONSENT_NOT_WITHDRAWN', 'register the withdrawal before relaying it');
      }
      consent = row;
    } catch (error) {
      throw await this.refused(error, 'consent-withdrawal', body.withdrawal, route);
    }
    const { claims } = verified;
    const results = await Promise.all(
      consent.recipients.map(async (recipientId): Promise<WithdrawalResult> => {
        const started = Date.now();
        const member = await this.member(recipientId);
        if (!member) {
          return {
            recipient: recipientId,
            status: 'unreachable',
            error: { code: 'NOT_MEMBER', message: 'unknown' },
          };
        }
        const outcome = await this.call<NodeWithdrawalAnswer>(
          member,
          NODE_PATHS.withdrawals,
          body,
          sender,
          WITHDRAWAL_TIMEOUT_MS,
        );
        let result: WithdrawalResult;
        if (!outcome.ok) {
          result = {
            recipient: recipientId,
            status: outcome.kind,
            error: { code: outcome.code, message: outcome.message },
          };
        } else {
          let verifiedReceipt: VerifiedMessage<'purge-receipt'> | undefined;
          try {
            const receipt = await this.verifyMember(
              'purge-receipt',
              outcome.body.receipt,
              recipientId,
              sender,
            );
            if (receipt.claims.consentId !== claims.consentId) {
              throw new RefusedMessageError('REQUEST_MISMATCH', 'the receipt names another consent');
            }
            verifiedReceipt = receipt;
            result = { recipient: recipientId, status: 'purged', receipt: outcome.body.receipt };
          } catch (error) {
            const refusal = await this.refused(error, 'purge-receipt', outcome.body.receipt, route);
            const code = refusal instanceof RefusedMessageError ? refusal.reason : 'INTERNAL';
            result = { recipient: recipientId, status: 'refused', error: { code, message: String(refusal) } };
          }
          if (verifiedReceipt) {
            const receipt = outcome.body.receipt;
            const { claims: purged, header } = verifiedReceipt;
            await inTransaction(this.dataSource, (m) =>
              this.events.append(
                m,
                'purge.receipt-relayed',
                purged.jti,
                {
                  from: recipientId,
                  to: sender,
                  kid: header.kid,
                  consentId: claims.consentId,
                  withdrawalId: claims.jti,
                  envelopeIds: purged.envelopeIds,
                  recordsPurged: purged.recordsPurged,
                  receiptHash: jwsHash(receipt),
                },
                { signed: [receipt] },
              ),
            );
          }
        }
        await this.log(
          'withdrawal',
          claims.jti,
          sender,
          recipientId,
          claims.consentId,
          result.status,
          result.error?.code ?? null,
          Date.now() - started,
        );
        return result;
      }),
    );
    return { consentId: claims.consentId, results };
  }

  // ---- consent status ------------------------------------------------------------------------

  async consentStatus(requester: string, body: ConsentStatusBody): Promise<ConsentStatusResponse> {
    const agreements: {
      party_a: string;
      party_b: string;
      direction: string;
      purposes: string[];
      categories: string[];
      retention_days: number;
      live: boolean;
    }[] = await this.dataSource.query(
      `SELECT party_a, party_b, direction, purposes, categories, retention_days,
              (state IN ('accepted','active') AND valid_from <= now() AND valid_until > now()) AS live
         FROM agreement WHERE agreement_id = $1 AND $2 IN (party_a, party_b)`,
      [body.agreementId, requester],
    );
    const a = agreements[0];
    // The other party shares with the requester: mutual, or one-way with the other as parties[0].
    const live = !!a && a.live && (a.direction === 'mutual' || a.party_b === requester);
    const rows: {
      consent_id: string;
      controller: string;
      recipients: string[];
      purposes: string[];
      categories: string[];
      withdrawn: boolean;
      live: boolean;
    }[] = await this.dataSource.query(
      `SELECT consent_id, controller, recipients, purposes, categories, withdrawn_at IS NOT NULL AS withdrawn,
              (withdrawn_at IS NULL AND valid_from <= now() AND valid_until > now()) AS live
         FROM consent WHERE consent_id = ANY ($1::text[])`,
      [body.consentIds],
    );
    return {
      agreement: {
        agreementId: body.agreementId,
        live,
        purposes: a?.purposes ?? [],
        categories: a?.categories ?? [],
        retentionDays: a?.retention_days ?? 0,
      },
      consents: body.consentIds.map((consentId) => {
        const row = rows.find((r) => r.consent_id === consentId);
        // A requester that is not a recipient learns nothing about the consent.
        if (!row || !row.recipients.includes(requester)) {
          return { consentId, controller: null, live: false, withdrawn: false, purposes: [], categories: [] };
        }
        return {
          consentId,
          controller: row.controller,
          live: row.live,
          withdrawn: row.withdrawn,
          purposes: row.purposes,
          categories: row.categories,
        };
      }),
    };
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private async member(partnerId: string): Promise<MemberRow | undefined> {
    const rows: MemberRow[] = await this.dataSource.query(
      `SELECT partner_id, endpoint, status, valid_until FROM member WHERE partner_id = $1`,
      [partnerId],
    );
    return rows[0];
  }

  private async activeMember(partnerId: string): Promise<MemberRow | undefined> {
    const row = await this.member(partnerId);
    return row && row.status === 'active' && row.valid_until > new Date() ? row : undefined;
  }

  /** A member-signed message, verified with the directory keys of `issuer` only, then the directory rule. */
  private async verifyMember<K extends MessageKind>(
    kind: K,
    jws: string,
    issuer: string,
    audience: string | null = null,
  ): Promise<VerifiedMessage<K>> {
    const stash: {
      retiresAt?: number | null;
      revoked?: boolean;
      status?: MemberStatusValue;
      validUntil?: number;
    } = {};
    const resolver: KeyResolver = async (kid, context) => {
      if (context.issuer !== issuer) return undefined;
      const rows: {
        jwk: OkpPublicJwk;
        retires_at: string | null;
        revoked: boolean;
        status: MemberStatusValue;
        valid_until: string;
      }[] = await this.dataSource.query(
        `SELECT k.jwk, extract(epoch FROM k.retires_at)::bigint AS retires_at, k.revoked_at IS NOT NULL AS revoked,
                m.status, extract(epoch FROM m.valid_until)::bigint AS valid_until
           FROM member_key k JOIN member m ON m.partner_id = k.partner_id WHERE k.kid = $1 AND k.partner_id = $2`,
        [kid, issuer],
      );
      const row = rows[0];
      if (!row) return undefined;
      Object.assign(stash, {
        retiresAt: row.retires_at === null ? null : Number(row.retires_at),
        revoked: row.revoked,
        status: row.status,
        validUntil: Number(row.valid_until),
      });
      return row.jwk;
    };
    let verified: VerifiedMessage<K>;
    try {
      verified = await verifyMessage(kind, jws, resolver, { audience });
    } catch (error) {
      // A message claiming another issuer than the authenticated sender.
      if (isProtocolError(error, 'UNKNOWN_KEY') && peekIssuer(jws) !== issuer) {
        throw new ProtocolError('WRONG_ISSUER', `the message is not signed by ${issuer}`);
      }
      throw error;
    }
    if (stash.revoked) throw new RefusedMessageError('KEY_REVOKED', 'the signing key is revoked');
    const reason = keyUseRefusal(
      { status: stash.status!, validUntil: stash.validUntil! },
      { retiresAt: stash.retiresAt },
      verified.claims.iat,
      nowSeconds(),
    );
    if (reason) throw new RefusedMessageError(reason, `${kind} refused: ${reason}`);
    return verified;
  }

  /** Calls a member's protocol endpoint with a relay token; never throws. */
  private async call<T>(
    member: MemberRow,
    path: string,
    body: unknown,
    from: string,
    timeoutMs: number,
  ): Promise<CallOutcome<T>> {
    const started = Date.now();
    const now = Math.floor(started / 1000);
    const claims: RelayTokenClaims = {
      iss: this.config.federationId,
      aud: member.partner_id,
      iat: now,
      exp: now + RELAY_TOKEN_TTL_SECONDS,
      jti: randomUUID(),
      htm: 'POST',
      htu: path,
      bodyHash: bodyHash(body),
      from,
    };
    const token = signJwt(RELAY_TOKEN_TYP, claims, await this.keys.signingKey());
    const url = `${member.endpoint.replace(/\/+$/, '')}${path}`;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': RELAY_CONTENT_TYPE,
          authorization: `${RELAY_AUTHORIZATION_SCHEME} ${token}`,
        },
        body: JSON.stringify(body),
        signal,
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      const durationMs = Date.now() - started;
      if (response.ok) return { ok: true, body: parsed as T, durationMs };
      const error = (parsed as { error?: { code?: string; reason?: string; message?: string } } | undefined)
        ?.error;
      const code = error?.reason ?? error?.code ?? `HTTP_${response.status}`;
      if (response.status >= 500) {
        return { ok: false, kind: 'unreachable', code, message: error?.message ?? '', durationMs };
      }
      return { ok: false, kind: 'refused', code, message: error?.message ?? '', durationMs };
    } catch (error) {
      const durationMs = Date.now() - started;
      const timedOut =
        signal.aborted ||
        (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
      return timedOut
        ? { ok: false, kind: 'timeout', code: 'TIMEOUT', message: `no answer in ${timeoutMs} ms`, durationMs }
        : { ok: false, kind: 'unreachable', code: 'UNREACHABLE', message: 'connection failed', durationMs };
    }
  }

  private async log(
    kind: 'history' | 'envelope' | 'withdrawal',
    requestId: string,
    from: string,
    to: string,
    messageId: string | null,
    status: string,
    reason: string | null | undefined,
    durationMs: number,
  ): Promise<void> {
    try {
      await this.dataSource.query(
        `INSERT INTO relay_log (kind, request_id, from_partner, to_partner, message_id, status, reason, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [kind, requestId, from, to, messageId, status, reason ?? null, durationMs],
      );
    } catch (error) {
      this.logger.error({ err: String(error) }, 'relay log could not be written');
    }
  }

  /** Records a refusal (table `refusal`, never the payload) and returns the error to throw. */
  private async refused(error: unknown, kind: string, jws: string, route: string): Promise<unknown> {
    const mapped =
      error instanceof ProtocolError ? new RefusedMessageError(error.code, error.message) : error;
    if (!(mapped instanceof RefusedMessageError)) return mapped;
    const ids = peekJwsIds(jws);
    try {
      await this.dataSource.query(
        `INSERT INTO refusal (kind, reason, issuer, kid, jti, route, message) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [kind, mapped.reason, ids.issuer, ids.kid, ids.jti, route, mapped.message.slice(0, 500)],
      );
    } catch (failure) {
      this.logger.error({ err: String(failure) }, 'refusal could not be recorded');
    }
    return mapped;
  }
}

function peekIssuer(jws: string): string | undefined {
  const iss = unverifiedJwsPart(jws, 'claims')?.iss;
  return typeof iss === 'string' ? iss : undefined;
}
