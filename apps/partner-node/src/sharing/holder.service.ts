import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ProtocolError,
  SALTED_RECORDS_JWE_TYP,
  canonicalize,
  commitRecords,
  encryptJwe,
  type HistoryRequest,
  type MessageInput,
  type ShareRecord,
  nowSeconds,
} from '#protocol';
import { LedgerService } from '#ledger';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { KeysService } from '../keys/keys.service.js';
import { ConsentRegistrationsService } from '../consents/consent-registrations.service.js';
import { ConsentsRepository } from '../consents/consents.repository.js';
import { AgreementsRepository } from '../agreements/agreements.repository.js';
import { NetworkService } from '../network/network.service.js';
import { RefusalsService } from '../network/refusals.service.js';
import { CARE_CATEGORIES, type NodeHistoryAnswer, type NodeHistoryRequest } from '#federation-client';
import { parseRecordId, recordsOfCustomers, shareRecordOf } from './records.js';
import type { DeliveryRecordRef } from './sharing.entities.js';
import { SHARING_OPTIONS, type SharingOptions } from './sharing.options.js';

/**
 * The holding side of sharing: answers history requests relayed by the federation (after checking
 * the live consent here: subject, recipient, purpose customer care, category) and seals envelopes:
 * minimised records, encrypted for the recipient's X25519 key from the directory, signed by this
 * node, addressed to the recipient, naming purpose, agreement and consents.
 */
@Injectable()
export class HolderService {
  private readonly logger = getLogger().child({ context: 'sharing-holder' });

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @Inject(SHARING_OPTIONS) private readonly options: SharingOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: KeysService,
    private readonly network: NetworkService,
    private readonly ledger: LedgerService,
    private readonly registrations: ConsentRegistrationsService,
    private readonly refusals: RefusalsService,
    private readonly consentRows: ConsentsRepository,
    private readonly agreementRows: AgreementsRepository,
  ) {}

  /**
   * Answers a relayed pull, in this order: the requester's signed history request verified
   * (signature by its directory key, audience = this node, expiry, never seen, same requester,
   * agreement and subjects as the relayed request; refused and recorded otherwise), the agreement
   * live, the pull recorded with its reason and agent references (table pull_answer, with `alert`
   * when the customer was created at the requester shortly before), the per-partner and per-agent
   * rate limits, then the live consents and the sealed answer naming the request (`inResponseTo`).
   */
  async answerHistory(request: NodeHistoryRequest): Promise<NodeHistoryAnswer> {
    const me = this.config.partnerId;
    const asked = await this.verifyRequest(request);
    const [agreement] = await this.agreementRows.liveOutbound(
      [{ agreementId: request.agreementId, partnerId: request.requester }],
      me,
    );
    if (!agreement) {
      throw new RefusedMessageError(
        'AGREEMENT_NOT_ACTIVE',
        `no active customer-care agreement ${request.agreementId}`,
      );
    }
    await this.claimRequest(asked);
    await this.checkPullLimits(asked);
    const checkedAt = new Date();
    const consents = await this.consentRows.liveCareForRecipient(request.requester, request.agreementId, {
      tokens: request.subjectTokens,
    });
    const records: ShareRecord[] = [];
    for (const consent of consents) {
      const categories = consent.categories.filter(
        (c) =>
          agreement.categories.includes(c) &&
          request.categories.includes(c as never) &&
          asked.categories.includes(c as never) &&
          (CARE_CATEGORIES as readonly string[]).includes(c),
      );
      if (categories.length === 0 || !consent.token) continue;
      const local = await recordsOfCustomers(this.dataSource.manager, [consent.customer_id], categories);
      for (const record of local) records.push(shareRecordOf(record, consent.id, consent.token));
    }
    if (records.length === 0) {
      await this.dataSource.transaction((m) => this.closePullAnswer(m, asked, 'empty', null, null, 0));
      return { envelope: null };
    }
    const envelopeId = randomUUID();
    const sealed = await this.seal(request.requester, request.agreementId, records, envelopeId, asked.jti);
    await this.recordPullAnswer(envelopeId, asked, records, checkedAt);
    return sealed;
  }

  /** The requester's signed history request behind a relayed pull; refused and recorded unless sound. */
  private async verifyRequest(request: NodeHistoryRequest): Promise<HistoryRequest> {
    const source = 'sharing-history';
    if (!request.historyRequest) {
      throw await this.refusals.refuse(
        new RefusedMessageError(
          'HISTORY_REQUEST_MISSING',
          "a pull must carry the requester's signed history request",
        ),
        'history-request',
        source,
        undefined,
      );
    }
    const { claims } = await this.network.verifyMemberMessage(
      'history-request',
      request.historyRequest,
      { audience: this.config.partnerId, isReplayed: (jti, issuer) => this.requestSeen(issuer, jti) },
      source,
    );
    try {
      if (claims.iss !== request.requester) {
        throw new RefusedMessageError(
          'WRONG_ISSUER',
          `relayed for ${request.requester}, signed by ${claims.iss}`,
        );
      }
      const tokens = new Set(claims.subjectTokens);
      if (
        claims.agreementId !== request.agreementId ||
        request.subjectTokens.length !== tokens.size ||
        !request.subjectTokens.every((t) => tokens.has(t))
      ) {
        throw new RefusedMessageError(
          'REQUEST_MISMATCH',
          'the relayed pull is not the one the requester signed',
        );
      }
      if (claims.purpose !== 'customer-care') {
        throw new RefusedMessageError(
          'PURPOSE_NOT_ALLOWED',
          `purpose ${claims.purpose} is not customer care`,
        );
      }
    } catch (error) {
      throw await this.refusals.refuse(error, 'history-request', source, request.historyRequest);
    }
    return claims;
  }

  private async requestSeen(issuer: string, jti: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM pull_answer WHERE requester = $1 AND request_id = $2`,
      [issuer, jti],
    );
    return rows.length > 0;
  }

  /**
   * Records the verified request before anything else (its jti is taken: a concurrent replay is
   * REPLAYED), with `alert` when the customer was created at the requester within the alert window.
   */
  private async claimRequest(asked: HistoryRequest): Promise<void> {
    const alert = asked.customerCreatedAt >= asked.iat - this.options.pullAlertHours * 3600;
    const fresh: unknown[] = await this.dataSource.query(
      `INSERT INTO pull_answer (requester, request_id, agreement_id, relationship_kind, relationship_ref, agent_ref,
         relationship_started_at, customer_created_at, requested_at, status, alert)
       VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7), to_timestamp($8), to_timestamp($9), 'empty', $10)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [
        asked.iss,
        asked.jti,
        asked.agreementId,
        asked.relationship.kind,
        asked.relationship.ref,
        asked.agent,
        asked.relationshipStartedAt,
        asked.customerCreatedAt,
        asked.iat,
        alert,
      ],
    );
    if (fresh.length === 0) {
      throw await this.refusals.refuse(
        new ProtocolError('REPLAYED', 'history request already answered'),
        'history-request',
        'sharing-history',
        undefined,
      );
    }
    if (alert)
      this.logger.info({ requester: asked.iss, requestId: asked.jti }, 'pull of a newly created customer');
  }

  /** RATE_LIMITED_PARTNER / RATE_LIMITED_AGENT past the hourly limits; the refusal is recorded. */
  private async checkPullLimits(asked: HistoryRequest): Promise<void> {
    const [row]: { partner: string; agent: string }[] = await this.dataSource.query(
      `SELECT count(*) AS partner, count(*) FILTER (WHERE agent_ref = $3) AS agent FROM pull_answer
        WHERE requester = $1 AND request_id <> $2 AND status <> 'rate-limited'
          AND received_at > now() - interval '1 hour'`,
      [asked.iss, asked.jti, asked.agent],
    );
    const refusal =
      Number(row!.partner) >= this.options.pullPartnerLimit
        ? 'RATE_LIMITED_PARTNER'
        : Number(row!.agent) >= this.options.pullAgentLimit
          ? 'RATE_LIMITED_AGENT'
          : null;
    if (!refusal) return;
    await this.dataSource.transaction((m) =>
      this.closePullAnswer(m, asked, 'rate-limited', refusal, null, 0),
    );
    throw new RefusedMessageError(refusal, `too many pulls from ${asked.iss} in the last hour`);
  }

  /** The outcome of a recorded pull, in pull_answer and the ledger (`share.pull-answered`). */
  private async closePullAnswer(
    m: EntityManager,
    asked: HistoryRequest,
    status: 'answered' | 'empty' | 'rate-limited',
    refusal: string | null,
    envelopeId: string | null,
    records: number,
  ): Promise<void> {
    const [row]: { alert: boolean }[] = await m.query(
      `UPDATE pull_answer SET status = $3, refusal = $4, envelope_id = $5, records = $6
        WHERE requester = $1 AND request_id = $2 RETURNING alert`,
      [asked.iss, asked.jti, status, refusal, envelopeId, records],
    );
    await this.ledger.enqueue(m, 'share.pull-answered', {
      requester: asked.iss,
      requestId: asked.jti,
      agreementId: asked.agreementId,
      relationship: asked.relationship,
      agent: asked.agent,
      relationshipStartedAt: asked.relationshipStartedAt,
      customerCreatedAt: asked.customerCreatedAt,
      status,
      refusal,
      envelopeId,
      records,
      alert: row?.alert ?? false,
    });
  }

  /**
   * A pull answer leaves this node like a push: recorded as a delivery (channel pull, delivered
   * when handed to the relay) with its `share.sent` ledger entry, so that audits see every share,
   * and with the request it answers (`share.pull-answered`).
   */
  private async recordPullAnswer(
    envelopeId: string,
    asked: HistoryRequest,
    records: readonly ShareRecord[],
    checkedAt: Date,
  ): Promise<void> {
    const recipient = asked.iss;
    const agreementId = asked.agreementId;
    const refs: DeliveryRecordRef[] = records.map((r) => {
      const { kind, id } = parseRecordId(r.recordId)!;
      return {
        kind,
        id,
        consentId: r.consentId,
        subjectToken: r.subjectToken,
        category: r.category as DeliveryRecordRef['category'],
      };
    });
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO share_delivery (id, recipient, agreement_id, records, record_count, status, channel, attempts,
           sealed_at, delivered_at)
         VALUES ($1, $2, $3, $4, $5, 'delivered', 'pull', 1, $6, now())`,
        [envelopeId, recipient, agreementId, JSON.stringify(refs), refs.length, checkedAt],
      );
      await this.ledger.enqueue(m, 'share.sent', {
        envelopeId,
        recipient,
        agreementId,
        consentIds: [...new Set(records.map((r) => r.consentId))],
        records: records.length,
        channel: 'pull',
        inResponseTo: asked.jti,
      });
      await this.closePullAnswer(m, asked, 'answered', null, envelopeId, records.length);
    });
  }

  /**
   * Signs an envelope of these records for `recipient`: the signature covers the Merkle root of the
   * salted records (`recordsRoot`), and the salted records travel beside it, encrypted for the
   * recipient's agreement key. So the recipient can keep the signed envelope as proof of receipt
   * after it purged the records, and the relay reads none of them.
   */
  async seal(
    recipient: string,
    agreementId: string,
    local: ShareRecord[],
    jti?: string,
    inResponseTo?: string,
  ): Promise<{ envelope: string; sealedRecords: string }> {
    const key = await this.network.agreementKeyOf(recipient);
    // On the wire a record names the consent by its registration for this recipient (issue 16):
    // the id the federation and the recipient know, never the receipt's id shared by all recipients.
    const wireIds = await this.registrations.wireIds(this.dataSource.manager, recipient, [
      ...new Set(local.map((r) => r.consentId)),
    ]);
    const records = local.map((record) => {
      const registrationId = wireIds.get(record.consentId);
      if (!registrationId) throw new Error(`consent ${record.consentId} is not registered for ${recipient}`);
      return { ...record, consentId: registrationId };
    });
    const { recordsRoot, items } = commitRecords(records);
    const sealedRecords = await encryptJwe(canonicalize(items), key, {
      typ: SALTED_RECORDS_JWE_TYP,
      cty: 'json',
    });
    const now = nowSeconds();
    const claims: MessageInput<'share'> = {
      iss: this.config.partnerId,
      aud: recipient,
      iat: now,
      exp: now + this.options.envelopeTtlSeconds,
      purpose: 'customer-care',
      agreementId,
      consentIds: [...new Set(records.map((r) => r.consentId))],
      categories: [...new Set(records.map((r) => r.category))].sort(),
      recordsRoot,
      ...(jti ? { jti } : {}),
      ...(inResponseTo ? { inResponseTo } : {}),
    };
    return { envelope: await this.keys.sign('share', claims), sealedRecords };
  }
}
