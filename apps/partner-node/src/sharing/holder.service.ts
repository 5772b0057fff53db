import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  SALTED_RECORDS_JWE_TYP,
  canonicalize,
  commitRecords,
  encryptJwe,
  type MessageInput,
  type ShareRecord,
} from '#protocol';
import { LedgerService } from '#ledger';
import { RefusedMessageError } from '#platform/errors/app-errors';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { KeysService } from '../keys/keys.service.js';
import { ConsentRegistrationsService } from '../consents/consent-registrations.service.js';
import { NetworkService } from '../network/network.service.js';
import { CARE_CATEGORIES, type NodeHistoryAnswer, type NodeHistoryRequest } from '#federation-client';
import { parseRecordId, recordsOfCustomers, shareRecordOf } from './records.js';
import type { DeliveryRecordRef } from './sharing.entities.js';
import { SHARING_OPTIONS, type SharingOptions } from './sharing.options.js';

export interface LiveConsentRow {
  id: string;
  customer_id: string;
  categories: string[];
  token: string | null;
}

/**
 * SQL: the customer-care agreement `agreementId` lets this node ($me) share with $recipient now
 * (local mirror of the signed chain: accepted/active, in validity, mutual or outbound).
 */
export const LIVE_AGREEMENT_SQL = `
  SELECT a.agreement_id, a.categories, a.retention_days FROM sharing_agreement a
   WHERE a.agreement_id = $1 AND a.partner_id = $2 AND a.state IN ('accepted','active')
     AND a.valid_from <= now() AND a.valid_until > now()
     AND (a.direction = 'mutual' OR a.party_a = $3) AND 'customer-care' = ANY (a.purposes)`;

/**
 * The holding side of sharing: answers history requests relayed by the federation (after checking
 * the live consent here: subject, recipient, purpose customer care, category) and seals envelopes:
 * minimised records, encrypted for the recipient's X25519 key from the directory, signed by this
 * node, addressed to the recipient, naming purpose, agreement and consents.
 */
@Injectable()
export class HolderService {
  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @Inject(SHARING_OPTIONS) private readonly options: SharingOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: KeysService,
    private readonly network: NetworkService,
    private readonly ledger: LedgerService,
    private readonly registrations: ConsentRegistrationsService,
  ) {}

  async answerHistory(request: NodeHistoryRequest): Promise<NodeHistoryAnswer> {
    const me = this.config.partnerId;
    const agreements: { categories: string[] }[] = await this.dataSource.query(LIVE_AGREEMENT_SQL, [
      request.agreementId,
      request.requester,
      me,
    ]);
    const agreement = agreements[0];
    if (!agreement) {
      throw new RefusedMessageError(
        'AGREEMENT_NOT_ACTIVE',
        `no active customer-care agreement ${request.agreementId}`,
      );
    }
    const checkedAt = new Date();
    const consents = await this.liveConsents(
      this.dataSource.manager,
      request.requester,
      request.agreementId,
      {
        tokens: request.subjectTokens,
      },
    );
    const records: ShareRecord[] = [];
    for (const consent of consents) {
      const categories = consent.categories.filter(
        (c) =>
          agreement.categories.includes(c) &&
          request.categories.includes(c as never) &&
          (CARE_CATEGORIES as readonly string[]).includes(c),
      );
      if (categories.length === 0 || !consent.token) continue;
      const local = await recordsOfCustomers(this.dataSource.manager, [consent.customer_id], categories);
      for (const record of local) records.push(shareRecordOf(record, consent.id, consent.token));
    }
    if (records.length === 0) return { envelope: null };
    const envelopeId = randomUUID();
    const sealed = await this.seal(request.requester, request.agreementId, records, envelopeId);
    await this.recordPullAnswer(envelopeId, request.requester, request.agreementId, records, checkedAt);
    return sealed;
  }

  /**
   * A pull answer leaves this node like a push: recorded as a delivery (channel pull, delivered
   * when handed to the relay) with its `share.sent` ledger entry, so that audits see every share.
   */
  private async recordPullAnswer(
    envelopeId: string,
    recipient: string,
    agreementId: string,
    records: readonly ShareRecord[],
    checkedAt: Date,
  ): Promise<void> {
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
      });
    });
  }

  /**
   * Live customer-care consents naming `recipient` under `agreementId`, registered with the
   * federation, with the subject token of that agreement; by tokens (pull) or customers (push).
   */
  async liveConsents(
    m: EntityManager,
    recipient: string,
    agreementId: string,
    by: { tokens?: readonly string[]; customerIds?: readonly string[] },
  ): Promise<LiveConsentRow[]> {
    return m.query(
      `SELECT c.id, c.customer_id, c.categories,
              (SELECT e->>'token' FROM jsonb_array_elements(c.subject_tokens) e
                WHERE e->>'keyId' = $2 AND ($3::text[] IS NULL OR e->>'token' = ANY ($3::text[]))
                ORDER BY e->>'kind' LIMIT 1) AS token
         FROM consent c
        WHERE $1 = ANY (c.recipients) AND c.agreement_ids[array_position(c.recipients, $1)] = $2
          AND 'customer-care' = ANY (c.purposes) AND c.withdrawn_at IS NULL
          AND c.valid_from <= now() AND c.valid_until > now()
          AND EXISTS (SELECT 1 FROM consent_registration r
                       WHERE r.consent_id = c.id AND r.recipient = $1 AND r.status = 'registered')
          AND ($4::uuid[] IS NULL OR c.customer_id = ANY ($4::uuid[]))
          AND ($3::text[] IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements(c.subject_tokens) e
                WHERE e->>'keyId' = $2 AND e->>'token' = ANY ($3::text[])))`,
      [recipient, agreementId, by.tokens ?? null, by.customerIds ?? null],
    );
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
    const now = Math.floor(Date.now() / 1000);
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
    };
    return { envelope: await this.keys.sign('share', claims), sealedRecords };
  }
}
