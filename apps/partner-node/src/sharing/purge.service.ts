import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LedgerService } from '#ledger';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { KeysService } from '../keys/keys.service.js';
import { NetworkService } from '../network/network.service.js';
import { RefusalsService } from '../network/refusals.service.js';
import { ShareEvidenceService } from './share-evidence.service.js';
import type { NodeWithdrawalAnswer } from '#federation-client';
import { nowSeconds } from '#protocol';

/** How long a purge receipt stays valid for its verifiers (they store it). */
const RECEIPT_TTL_SECONDS = 365 * 86_400;

/**
 * The receiving side of a withdrawal (invariant 3): verify the controller's signed withdrawal,
 * delete every copy of the records shared under that consent (agents stop seeing them at once),
 * remember the withdrawal (later envelopes under it are refused), and answer with a signed purge
 * receipt addressed to the controller and the federation. A repeated request gets the same receipt.
 * Only record contents go: the evidence of receipt (share_receipt, share_evidence) stays, and the
 * signed purge receipt joins it, so the ledger export proves both what was received and its purge.
 * Also deletes shared copies whose retention has ended.
 */
@Injectable()
export class PurgeService {
  private readonly logger = getLogger().child({ context: 'sharing-purge' });

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly network: NetworkService,
    private readonly refusals: RefusalsService,
    private readonly keys: KeysService,
    private readonly ledger: LedgerService,
    private readonly evidence: ShareEvidenceService,
  ) {}

  async handleWithdrawal(jws: string, from: string): Promise<NodeWithdrawalAnswer> {
    const me = this.config.partnerId;
    const { claims } = await this.network.verifyMemberMessage(
      'consent-withdrawal',
      jws,
      { audience: null },
      'sharing-withdrawal',
    );
    const { federationId } = await this.network.trustAnchor();
    try {
      if (claims.iss !== from)
        throw new RefusedMessageError('WRONG_ISSUER', 'the withdrawal is not signed by its sender');
      const aud =
        claims.aud === undefined ? undefined : typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
      if (aud && !aud.includes(me) && !aud.includes(federationId)) {
        throw new RefusedMessageError('WRONG_AUDIENCE', 'the withdrawal is addressed to others');
      }
    } catch (error) {
      throw await this.refusals.refuse(error, 'consent-withdrawal', 'sharing-withdrawal', jws);
    }
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('purge:' || $1 || ':' || $2))`, [
        claims.iss,
        claims.consentId,
      ]);
      const issued: { receipt_jws: string }[] = await m.query(
        `SELECT receipt_jws FROM purge_receipt_issued WHERE origin_partner_id = $1 AND withdrawal_id = $2`,
        [claims.iss, claims.jti],
      );
      if (issued[0]) return { receipt: issued[0].receipt_jws };
      await m.query(
        `INSERT INTO shared_consent_withdrawn (origin_partner_id, consent_id, withdrawal_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [claims.iss, claims.consentId, claims.jti],
      );
      const deleted: { envelope_id: string }[] = await m.query(
        `WITH gone AS (DELETE FROM shared_record WHERE origin_partner_id = $1 AND consent_id = $2 RETURNING envelope_id)
         SELECT envelope_id FROM gone`,
        [claims.iss, claims.consentId],
      );
      const envelopeIds = [...new Set(deleted.map((d) => d.envelope_id))].filter((id) =>
        /^[A-Za-z0-9._:-]{8,128}$/.test(id),
      );
      const now = nowSeconds();
      const receipt = await this.keys.sign(
        'purge-receipt',
        {
          iss: me,
          aud: [claims.iss, federationId],
          exp: now + RECEIPT_TTL_SECONDS,
          consentId: claims.consentId,
          withdrawalId: claims.jti,
          ...(envelopeIds.length > 0 ? { envelopeIds: envelopeIds.slice(0, 1000) } : {}),
          recordsPurged: deleted.length,
          purgedAt: now,
        },
        m,
      );
      await m.query(
        `INSERT INTO purge_receipt_issued (origin_partner_id, withdrawal_id, consent_id, records_purged, receipt_jws)
         VALUES ($1, $2, $3, $4, $5)`,
        [claims.iss, claims.jti, claims.consentId, deleted.length, receipt],
      );
      const receiptHash = await this.evidence.keep(m, 'purge-receipt', receipt);
      const signerStatementHash = await this.evidence.keepStatementOf(m, me, true);
      await this.ledger.enqueue(m, 'share.purged', {
        origin: claims.iss,
        consentId: claims.consentId,
        withdrawalId: claims.jti,
        recordsPurged: deleted.length,
        receiptHash,
        ...(signerStatementHash ? { signerStatementHash } : {}),
      });
      this.logger.info(
        { origin: claims.iss, consentId: claims.consentId, records: deleted.length },
        'shared copies purged',
      );
      return { receipt };
    });
  }

  /** Deletes shared copies past their retention; returns how many. */
  async purgeExpired(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const gone: { n: string }[] = await m.query(
        `WITH gone AS (DELETE FROM shared_record WHERE retention_ends_at <= now() RETURNING 1) SELECT count(*) AS n FROM gone`,
      );
      const n = Number(gone[0]?.n ?? 0);
      if (n > 0) await this.ledger.enqueue(m, 'share.retention-purged', { records: n });
      await m.query(
        `DELETE FROM received_envelope WHERE expires_at < now() - interval '1 day' AND kind = 'relay'`,
      );
      return n;
    });
  }
}
