import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ProtocolError,
  SALTED_RECORDS_JWE_TYP,
  jwsHash,
  openCommittedRecords,
  unverifiedJwsPart,
  type Share,
  type ShareRecord,
} from '#protocol';
import { LedgerService } from '#ledger';
import { RefusedMessageError } from '#platform/errors/app-errors';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { AgreementKeyDecryptor } from '../keys/agreement-key-decryptor.js';
import { NetworkService } from '../network/network.service.js';
import { RefusalsService } from '../network/refusals.service.js';
import { RELAY_PATHS, type ConsentStatusResponse } from '#federation-client';
import { CATEGORY_OF_KIND, describeShared, parseRecordId } from './records.js';
import { RelayClient } from './relay-client.js';
import { ShareEvidenceService } from './share-evidence.service.js';

export interface ReceiveOptions {
  /** Where it came from, for the refusal log: 'history' (pull) or 'push'. */
  source: 'history' | 'push';
  /** The partner this node asked (pull): an envelope signed by anyone else is refused. */
  expectedIssuer?: string;
  /** `recordsRoot` envelopes: the salted records, a compact JWE for this node. */
  sealedRecords?: string;
}

/** The records of a verified envelope, and their salted leaf hashes (the evidence kept). */
interface Opened {
  records: ShareRecord[];
  leafHashes: string[];
}

export interface Received {
  envelopeId: string;
  issuer: string;
  stored: number;
}

/** Asks the federation whether consents and agreement are live now (one call per envelope). */
export type ConsentStatusSource = (
  consentIds: string[],
  agreementId: string,
) => Promise<ConsentStatusResponse>;

/**
 * The receiving side of sharing (invariant 1): verifies a share envelope completely, then stores
 * its records, in this order and never otherwise:
 * 1. signature by a key of the issuer's directory entry (a partner answering with another's key
 *    is UNKNOWN_KEY), canonical payload, typ, exp, audience = this node, jti never seen, directory
 *    rule (suspended, removed, retired keys) — NetworkService.verifyMemberMessage;
 * 2. the issuer is the partner asked (pull), the purpose is customer care;
 * 3. the records: only a `recordsRoot` envelope (RECORDS_NOT_COMMITTED otherwise), its salted
 *    records beside it decrypted (JWE for this node) and all hashing to the signed root; every
 *    record within the envelope's consents and categories, its kind matching its category;
 * 4. consents: not withdrawn here, and live at the federation (registered by the issuer, not
 *    withdrawn, naming this node and the purpose); the agreement live; every record's category in
 *    its consent's categories and the agreement's;
 * 5. then one transaction: (issuer, jti) inserted (unique: a replay stores nothing), records
 *    upserted by (origin, record id) (a redelivery never duplicates), a ledger entry, and the
 *    evidence that outlives a purge: the signed envelope (it holds no record), its per-record leaf
 *    hashes and the statement that vouched for the issuer's key.
 * Any refusal is recorded (table `refusal`, never the payload) and thrown as MESSAGE_REFUSED.
 */
@Injectable()
export class EnvelopeReceiver {
  /** Replaceable in tests; by default the federation's consent-status route. */
  consentStatus: ConsentStatusSource;

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly network: NetworkService,
    private readonly refusals: RefusalsService,
    private readonly decryptor: AgreementKeyDecryptor,
    private readonly relay: RelayClient,
    private readonly ledger: LedgerService,
    private readonly evidence: ShareEvidenceService,
  ) {
    this.consentStatus = (consentIds, agreementId) =>
      this.relay.post<ConsentStatusResponse>(RELAY_PATHS.consentStatus, { consentIds, agreementId }, 10_000);
  }

  async receive(jws: string, options: ReceiveOptions): Promise<Received> {
    const source = `sharing-${options.source}`;
    const early = options.source === 'history' ? this.earlyConsentStatus(jws) : undefined;
    const { claims } = await this.network.verifyMemberMessage(
      'share',
      jws,
      { audience: this.config.partnerId, isReplayed: (jti, issuer) => this.seen(issuer, jti) },
      source,
    );
    try {
      if (options.expectedIssuer !== undefined && claims.iss !== options.expectedIssuer) {
        throw new RefusedMessageError(
          'WRONG_ISSUER',
          `asked ${options.expectedIssuer}, answered by ${claims.iss}`,
        );
      }
      if (claims.purpose !== 'customer-care') {
        throw new RefusedMessageError(
          'PURPOSE_NOT_ALLOWED',
          `purpose ${claims.purpose} is not customer care`,
        );
      }
      const opened = await this.open(claims, options);
      const retentionDays = await this.checkConsents(claims, opened.records, early);
      const stored = await this.store(jws, claims, opened, retentionDays);
      return { envelopeId: claims.jti, issuer: claims.iss, stored };
    } catch (error) {
      throw await this.refusals.refuse(error, 'share', source, jws);
    }
  }

  /**
   * The records of a verified envelope, each checked against it. Only `recordsRoot` envelopes are
   * taken: the others (records in clear, `encryptedRecords`, `batch`) sign the records themselves,
   * so this node could not keep the signature as proof of receipt once it purged them.
   */
  private async open(claims: Share, { sealedRecords }: ReceiveOptions): Promise<Opened> {
    if (!claims.recordsRoot) {
      throw new RefusedMessageError(
        'RECORDS_NOT_COMMITTED',
        'the envelope signs its records instead of a recordsRoot: no proof of receipt could outlive a purge',
      );
    }
    if (!sealedRecords) throw new ProtocolError('INVALID_CLAIMS', 'the records of the envelope are missing');
    const plaintext = await this.decryptor.decrypt(sealedRecords, SALTED_RECORDS_JWE_TYP);
    const { records, leafHashes } = openCommittedRecords(claims, parseJson(plaintext));
    for (const record of records) {
      if (!claims.consentIds.includes(record.consentId) || !claims.categories.includes(record.category)) {
        throw new ProtocolError(
          'INVALID_CLAIMS',
          'a record is outside the consents or categories of its envelope',
        );
      }
      const ref = parseRecordId(record.recordId);
      if (!ref || record.data.kind !== ref.kind || CATEGORY_OF_KIND[ref.kind] !== record.category) {
        throw new ProtocolError('INVALID_CLAIMS', `record ${record.recordId} does not match its category`);
      }
      if (typeof record.data.occurredAt !== 'string' || Number.isNaN(Date.parse(record.data.occurredAt))) {
        throw new ProtocolError('INVALID_CLAIMS', `record ${record.recordId} has no occurredAt`);
      }
    }
    return { records, leafHashes };
  }

  /**
   * A pull answer's consent status, asked while the envelope is verified and opened (the desk waits
   * for it): the request names the consents and agreement the envelope claims, read before its
   * signature is checked; checkConsents uses the answer only for the very ids the verified claims
   * name (the same payload), so nothing is taken on an unverified word. Pulls only: the node asked
   * that holder through the relay, so a forged answer cannot make it call the federation at will.
   */
  private earlyConsentStatus(
    jws: string,
  ): { consentIds: string[]; agreementId: string; status: Promise<ConsentStatusResponse> } | undefined {
    const peeked = unverifiedJwsPart(jws, 'claims');
    const consentIds = peeked?.consentIds;
    const agreementId = peeked?.agreementId;
    if (
      !Array.isArray(consentIds) ||
      consentIds.length === 0 ||
      consentIds.length > 10_000 ||
      !consentIds.every((id) => typeof id === 'string') ||
      typeof agreementId !== 'string'
    )
      return undefined;
    const status = this.consentStatus(consentIds as string[], agreementId);
    // Awaited (or dropped) later: a refusal of the envelope must not leave it unhandled.
    status.catch(() => undefined);
    return { consentIds: consentIds as string[], agreementId, status };
  }

  /** Consents and agreement live now, categories within both; returns the agreement's retention. */
  private async checkConsents(
    claims: Share,
    records: ShareRecord[],
    early?: { consentIds: string[]; agreementId: string; status: Promise<ConsentStatusResponse> },
  ): Promise<number> {
    const withdrawn: { consent_id: string }[] = await this.dataSource.query(
      `SELECT consent_id FROM shared_consent_withdrawn WHERE origin_partner_id = $1 AND consent_id = ANY ($2::text[])`,
      [claims.iss, claims.consentIds],
    );
    if (withdrawn.length > 0) {
      throw new RefusedMessageError('CONSENT_WITHDRAWN', `consent ${withdrawn[0]!.consent_id} was withdrawn`);
    }
    const status =
      early &&
      early.agreementId === claims.agreementId &&
      early.consentIds.length === claims.consentIds.length &&
      early.consentIds.every((id, i) => id === claims.consentIds[i])
        ? await early.status
        : await this.consentStatus(claims.consentIds, claims.agreementId);
    const agreement = status.agreement;
    if (!agreement.live || !agreement.purposes.includes(claims.purpose)) {
      throw new RefusedMessageError('AGREEMENT_NOT_ACTIVE', `agreement ${claims.agreementId} is not active`);
    }
    const allowed = new Map<string, Set<string>>();
    for (const consentId of claims.consentIds) {
      const consent = status.consents.find((c) => c.consentId === consentId);
      if (!consent || consent.controller !== claims.iss) {
        throw new RefusedMessageError(
          'UNKNOWN_CONSENT',
          `consent ${consentId} is not registered by ${claims.iss}`,
        );
      }
      if (consent.withdrawn)
        throw new RefusedMessageError('CONSENT_WITHDRAWN', `consent ${consentId} was withdrawn`);
      if (!consent.live || !consent.purposes.includes(claims.purpose)) {
        throw new RefusedMessageError(
          'CONSENT_NOT_LIVE',
          `consent ${consentId} does not allow this share now`,
        );
      }
      allowed.set(consentId, new Set(consent.categories.filter((c) => agreement.categories.includes(c))));
    }
    for (const category of claims.categories) {
      if (![...allowed.values()].some((set) => set.has(category))) {
        throw new RefusedMessageError('CATEGORY_NOT_CONSENTED', `category ${category} is not consented`);
      }
    }
    for (const record of records) {
      if (!allowed.get(record.consentId)?.has(record.category)) {
        throw new RefusedMessageError(
          'CATEGORY_NOT_CONSENTED',
          `record ${record.recordId}: category ${record.category} is outside its consent or the agreement`,
        );
      }
    }
    return agreement.retentionDays;
  }

  private async store(
    jws: string,
    claims: Share,
    { records, leafHashes }: Opened,
    retentionDays: number,
  ): Promise<number> {
    const unique = new Map(records.map((r) => [r.recordId, r]));
    const rows = [...unique.values()].map((record) => {
      const { kind } = parseRecordId(record.recordId)!;
      const { title, summary } = describeShared(kind, record.data);
      return {
        record_id: record.recordId,
        kind,
        category: record.category,
        consent_id: record.consentId,
        subject_token: record.subjectToken,
        title,
        summary,
        data: record.data,
        occurred_at: record.data.occurredAt,
      };
    });
    return this.dataSource.transaction(async (m) => {
      const inserted: unknown[] = await m.query(
        `INSERT INTO received_envelope (issuer, jti, kind, record_count, expires_at)
         VALUES ($1, $2, 'share', $3, to_timestamp($4)) ON CONFLICT DO NOTHING RETURNING 1`,
        [claims.iss, claims.jti, rows.length, claims.exp],
      );
      if (inserted.length === 0)
        throw new ProtocolError('REPLAYED', `envelope ${claims.jti} was already received`);
      await m.query(
        `INSERT INTO shared_record (origin_partner_id, origin_record_id, kind, category, consent_id, agreement_id,
           envelope_id, subject_token, customer_id, title, summary, data, occurred_at, signature_status, retention_ends_at)
         SELECT $1, r.record_id, r.kind, r.category, r.consent_id, $2, $3, r.subject_token, s.customer_id, r.title,
                r.summary, r.data, r.occurred_at, 'verified', now() + make_interval(days => $4)
           FROM jsonb_to_recordset($5::jsonb) AS r(record_id text, kind text, category text, consent_id text,
                subject_token text, title text, summary text, data jsonb, occurred_at timestamptz)
           LEFT JOIN shared_subject s ON s.agreement_id = $2 AND s.token = r.subject_token
         ON CONFLICT (origin_partner_id, origin_record_id) DO UPDATE SET
           kind = EXCLUDED.kind, category = EXCLUDED.category, consent_id = EXCLUDED.consent_id,
           agreement_id = EXCLUDED.agreement_id, envelope_id = EXCLUDED.envelope_id,
           subject_token = EXCLUDED.subject_token, title = EXCLUDED.title, summary = EXCLUDED.summary,
           data = EXCLUDED.data, occurred_at = EXCLUDED.occurred_at, received_at = now(),
           signature_status = EXCLUDED.signature_status, retention_ends_at = EXCLUDED.retention_ends_at,
           customer_id = COALESCE(shared_record.customer_id, EXCLUDED.customer_id)`,
        [claims.iss, claims.agreementId, claims.jti, retentionDays, JSON.stringify(rows)],
      );
      const evidence = await this.keepEvidence(m, jws, claims, leafHashes);
      await this.ledger.enqueue(m, 'share.received', {
        envelopeId: claims.jti,
        issuer: claims.iss,
        agreementId: claims.agreementId,
        purpose: claims.purpose,
        consentIds: claims.consentIds,
        categories: claims.categories,
        records: rows.length,
        messageHash: jwsHash(jws),
        ...evidence,
      });
      return rows.length;
    });
  }

  /**
   * What proves this receipt once the records are purged: the signed envelope (it holds no record,
   * only their root), the salted leaf hashes of its records, the statement vouching for the key.
   */
  private async keepEvidence(
    m: EntityManager,
    jws: string,
    claims: Share,
    leafHashes: string[],
  ): Promise<{ recordHashes: string[]; issuerStatementHash?: string }> {
    const envelopeHash = await this.evidence.keep(m, 'share', jws);
    const issuerStatementHash = await this.evidence.keepStatementOf(m, claims.iss, false);
    await m.query(
      `INSERT INTO share_receipt (issuer, envelope_id, envelope_hash, issuer_statement_hash, records_root, record_hashes)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        claims.iss,
        claims.jti,
        envelopeHash,
        issuerStatementHash ?? null,
        claims.recordsRoot!.root,
        leafHashes,
      ],
    );
    return { recordHashes: leafHashes, ...(issuerStatementHash ? { issuerStatementHash } : {}) };
  }

  private async seen(issuer: string, jti: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM received_envelope WHERE issuer = $1 AND jti = $2`,
      [issuer, jti],
    );
    return rows.length > 0;
  }
}

function parseJson(plaintext: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(plaintext).toString('utf8'));
  } catch {
    throw new ProtocolError('MALFORMED', 'the encrypted records are not JSON');
  }
}
