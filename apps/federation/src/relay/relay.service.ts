import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { jwsHash, type VerifiedMessage } from '#protocol';
import { toRefusalReason } from '#federation-client';
import { inTransaction } from '#platform/database/transaction';
import { AppError, RefusedMessageError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { AgreementsRepository } from '../agreements/agreements.repository.js';
import { ConsentReadsRepository } from '../consents/consent-reads.repository.js';
import { EventsService } from '../events/events.service.js';
import { RelayGateway } from './relay-gateway.js';
import {
  CARE_CATEGORIES,
  NODE_PATHS,
  type EnvelopeRelayBody,
  type HistoryRequestBody,
  type HistoryResponse,
  type HistoryResult,
  type NodeEnvelopeAnswer,
  type NodeHistoryAnswer,
  type NodeHistoryRequest,
} from '#federation-client';

/** The recipient could not be reached (or did not answer in time): the sender retries later. */
export class RecipientUnavailableError extends AppError {
  readonly code = 'RECIPIENT_UNAVAILABLE';
}

const DEFAULT_HISTORY_TIMEOUT_MS = 3000;
const MAX_HISTORY_TIMEOUT_MS = 10_000;
const ENVELOPE_TIMEOUT_MS = 30_000;

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
    private readonly gateway: RelayGateway,
    private readonly events: EventsService,
    private readonly agreements: AgreementsRepository,
    private readonly consents: ConsentReadsRepository,
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
      await this.gateway.log(
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
    const holder = await this.gateway.activeMember(request.holder);
    if (!holder || request.holder === requester) return done({ status: 'not-member' });
    const agreed = await this.agreements.liveCareCategories(request.holder, requester, request.agreementId);
    if (!agreed) return done({ status: 'agreement-not-active' });
    const consented = await this.consents.careCategories(
      request.subjectTokens,
      request.holder,
      requester,
      request.agreementId,
    );
    const categories = consented
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
    const outcome = await this.gateway.call<NodeHistoryAnswer>(
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
      verified = await this.gateway.verifyMember('share', body.envelope, sender);
      const { claims } = verified;
      const recipient = await this.gateway.activeMember(claims.aud);
      if (!recipient)
        throw new RefusedMessageError('PARTY_NOT_MEMBER', `${claims.aud} is not an active member`);
      const agreement = await this.agreements.liveTerms(claims.iss, claims.aud, claims.agreementId);
      if (
        !agreement ||
        !agreement.purposes.includes(claims.purpose) ||
        !claims.categories.every((c) => agreement.categories.includes(c))
      ) {
        throw new RefusedMessageError('AGREEMENT_NOT_ACTIVE', 'no active agreement covers this envelope');
      }
      const consents = await this.consents.registrationStates(claims.consentIds);
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
      throw await this.gateway.refused(error, 'share', body.envelope, route);
    }
    const { claims } = verified;
    const recipient = (await this.gateway.activeMember(claims.aud))!;
    const outcome = await this.gateway.call<NodeEnvelopeAnswer>(
      recipient,
      NODE_PATHS.envelopes,
      body,
      sender,
      ENVELOPE_TIMEOUT_MS,
    );
    const durationMs = Date.now() - started;
    await this.gateway.log(
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
}
