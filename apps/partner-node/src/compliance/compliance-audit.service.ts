import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  buildRecordsOfProcessing,
  VIOLATION_DESCRIPTIONS,
  VIOLATION_KINDS,
  ViolationKind,
  violationSide,
  type AgreementFacts,
} from '../../../../libs/compliance/src/index.js';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { Consent } from '../consents/consent.entity.js';
import { NodeLedgerService } from '../ledger/node-ledger.service.js';
import { NetworkService } from '../network/network.service.js';
import { sharingOptionsFromEnv } from '../sharing/sharing.options.js';
import { AccessReportService } from './access-report.service.js';
import type {
  ComplianceViolation,
  ComplianceViolationReport,
  ConsentAct,
  CustomerConsentHistory,
  RecordsOfProcessing,
} from './compliance.types.js';

/** Findings returned per kind (the count is always complete). */
const MAX_PER_KIND = 500;
/** How long a recipient may take to confirm a purge before it is reported. */
const PURGE_GRACE = '1 day';
/** Signed times (withdrawals, validity) are whole seconds: comparisons allow that much. */
const SECOND = `interval '1 second'`;

/**
 * Every record ref of every delivered envelope, with the time it was checked and sealed. Joins
 * compare ids as text (a uuid cast of the refs would need a guard per row, which costs more).
 */
const SENT = `
  sent AS (
    SELECT d.id::text AS envelope_id, d.recipient, d.agreement_id, COALESCE(d.sealed_at, d.delivered_at, d.created_at) AS at,
           e->>'consentId' AS consent_id, e->>'category' AS category, e->>'kind' AS kind, e->>'id' AS id
      FROM share_delivery d CROSS JOIN LATERAL jsonb_array_elements(d.records) e
     WHERE d.status = 'delivered')`;

/** The owner of a sent record, when it still exists (o.customer_id). */
const OWNER = `
  LEFT JOIN (
    SELECT 'interaction' AS kind, id::text AS id, customer_id FROM interaction
    UNION ALL SELECT 'care_case', id::text, customer_id FROM care_case
    UNION ALL SELECT 'order', id::text, customer_id FROM customer_order) o ON o.kind = s.kind AND o.id = s.id`;

/**
 * Each check is one SQL query over the real tables, returning: envelope_id, consent_id,
 * agreement_id, partner_id, record_id, at, detail. $1 is this node's partner id, except in the
 * retention check: the grace (seconds) past a retention end before a held copy is reported
 * (twice the retention sweep interval: the sweep deletes expired copies).
 */
export const VIOLATION_CHECKS: Record<ViolationKind, string> = {
  [ViolationKind.SHARE_AFTER_WITHDRAWAL]: `
    WITH ${SENT}
    SELECT s.envelope_id, s.consent_id, s.agreement_id, s.recipient AS partner_id, s.kind || ':' || s.id AS record_id,
           s.at, 'sent ' || to_char(s.at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ', consent withdrawn ' ||
           to_char(c.withdrawn_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS detail
      FROM sent s JOIN consent c ON c.id::text = s.consent_id
     WHERE c.withdrawn_at IS NOT NULL AND s.at >= c.withdrawn_at + ${SECOND}`,
  [ViolationKind.SHARE_WITHOUT_LIVE_CONSENT]: `
    WITH ${SENT}
    SELECT s.envelope_id, s.consent_id, s.agreement_id, s.recipient AS partner_id, s.kind || ':' || s.id AS record_id, s.at,
           CASE WHEN c.id IS NULL THEN 'no such consent at this node'
                WHEN c.registered_at IS NULL OR c.registered_at > s.at + ${SECOND} THEN 'consent not registered with the federation when sent'
                WHEN s.at + ${SECOND} < c.valid_from OR s.at >= c.valid_until + ${SECOND} THEN 'sent outside the consent''s validity'
                WHEN NOT (s.recipient = ANY (c.recipients)) THEN 'the consent does not name this recipient'
                ELSE 'the consent names another agreement for this recipient' END AS detail
      FROM sent s LEFT JOIN consent c ON c.id::text = s.consent_id
     WHERE c.id IS NULL OR c.registered_at IS NULL OR c.registered_at > s.at + ${SECOND}
        OR s.at + ${SECOND} < c.valid_from OR s.at >= c.valid_until + ${SECOND}
        OR NOT (s.recipient = ANY (c.recipients))
        OR c.agreement_ids[array_position(c.recipients, s.recipient)] IS DISTINCT FROM s.agreement_id`,
  [ViolationKind.SHARE_OUTSIDE_CONSENT]: `
    WITH ${SENT}
    SELECT s.envelope_id, s.consent_id, s.agreement_id, s.recipient AS partner_id, s.kind || ':' || s.id AS record_id, s.at,
           CASE WHEN NOT ('customer-care' = ANY (c.purposes)) THEN 'the consent does not cover customer care'
                WHEN NOT (s.category = ANY (c.categories)) THEN 'category ' || s.category || ' is not in the consent'
                ELSE 'the record is not of the consent''s subject' END AS detail
      FROM sent s JOIN consent c ON c.id::text = s.consent_id ${OWNER}
     WHERE NOT ('customer-care' = ANY (c.purposes)) OR NOT (s.category = ANY (c.categories))
        OR o.customer_id <> c.customer_id`,
  [ViolationKind.SHARE_OUTSIDE_AGREEMENT]: `
    WITH ${SENT}
    SELECT s.envelope_id, s.consent_id, s.agreement_id, s.recipient AS partner_id, s.kind || ':' || s.id AS record_id, s.at,
           CASE WHEN a.agreement_id IS NULL THEN 'no such agreement at this node'
                WHEN a.partner_id <> s.recipient THEN 'the agreement is with ' || a.partner_id
                WHEN a.state = 'proposed' THEN 'the agreement was never accepted'
                WHEN s.at < a.valid_from OR s.at >= a.valid_until THEN 'sent outside the agreement''s validity'
                WHEN NOT (a.direction = 'mutual' OR a.party_a = $1) THEN 'the agreement does not let this node share'
                WHEN NOT ('customer-care' = ANY (a.purposes)) THEN 'the agreement does not cover customer care'
                ELSE 'category ' || s.category || ' is not in the agreement' END AS detail
      FROM sent s LEFT JOIN sharing_agreement a ON a.agreement_id = s.agreement_id
     WHERE a.agreement_id IS NULL OR a.partner_id <> s.recipient OR a.state = 'proposed'
        OR s.at < a.valid_from OR s.at >= a.valid_until OR NOT (a.direction = 'mutual' OR a.party_a = $1)
        OR NOT ('customer-care' = ANY (a.purposes)) OR NOT (s.category = ANY (a.categories))`,
  [ViolationKind.PURGE_UNCONFIRMED]: `
    SELECT NULL AS envelope_id, p.consent_id::text AS consent_id, NULL AS agreement_id, p.recipient AS partner_id,
           NULL AS record_id, p.requested_at AS at,
           'no signed purge receipt since ' || to_char(p.requested_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') ||
           COALESCE(' (' || p.last_error || ')', '') AS detail
      FROM share_purge p JOIN consent c ON c.id = p.consent_id
     WHERE p.status = 'requested' AND p.requested_at < now() - interval '${PURGE_GRACE}'
       AND c.withdrawal_registration_status IS DISTINCT FROM 'not_needed'`,
  [ViolationKind.RECEIVED_AFTER_WITHDRAWAL]: `
    SELECT r.envelope_id, r.consent_id, r.agreement_id, r.origin_partner_id AS partner_id, r.origin_record_id AS record_id,
           r.received_at AS at, 'copy held after the withdrawal received ' ||
           to_char(w.withdrawn_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS detail
      FROM shared_record r
      JOIN shared_consent_withdrawn w ON w.origin_partner_id = r.origin_partner_id AND w.consent_id = r.consent_id`,
  [ViolationKind.RECEIVED_OUTSIDE_AGREEMENT]: `
    SELECT r.envelope_id, r.consent_id, r.agreement_id, r.origin_partner_id AS partner_id, r.origin_record_id AS record_id,
           r.received_at AS at,
           CASE WHEN a.agreement_id IS NULL THEN 'no such agreement at this node'
                WHEN a.partner_id <> r.origin_partner_id THEN 'the agreement is with ' || a.partner_id
                WHEN a.state = 'proposed' THEN 'the agreement was never accepted'
                WHEN NOT (a.direction = 'mutual' OR a.party_b = $1) THEN 'the agreement does not let the partner share with this node'
                WHEN r.received_at < a.valid_from OR r.received_at >= a.valid_until THEN 'received outside the agreement''s validity'
                WHEN NOT ('customer-care' = ANY (a.purposes)) THEN 'the agreement does not cover customer care'
                WHEN NOT (r.category = ANY (a.categories)) THEN 'category ' || r.category || ' is not in the agreement'
                ELSE 'signature not verified' END AS detail
      FROM shared_record r LEFT JOIN sharing_agreement a ON a.agreement_id = r.agreement_id
     WHERE a.agreement_id IS NULL OR a.partner_id <> r.origin_partner_id OR a.state = 'proposed'
        OR NOT (a.direction = 'mutual' OR a.party_b = $1)
        OR r.received_at < a.valid_from OR r.received_at >= a.valid_until
        OR NOT ('customer-care' = ANY (a.purposes)) OR NOT (r.category = ANY (a.categories))
        OR r.signature_status <> 'verified'`,
  [ViolationKind.RETENTION_EXCEEDED]: `
    SELECT r.envelope_id, r.consent_id, r.agreement_id, r.origin_partner_id AS partner_id, r.origin_record_id AS record_id,
           r.received_at AS at,
           CASE WHEN r.retention_ends_at < now() - make_interval(secs => $1)
                THEN 'retention ended ' || to_char(r.retention_ends_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                ELSE 'retention set beyond the agreement''s ' || a.retention_days || ' days' END AS detail
      FROM shared_record r LEFT JOIN sharing_agreement a ON a.agreement_id = r.agreement_id
     WHERE r.retention_ends_at < now() - make_interval(secs => $1)
        OR r.retention_ends_at > r.received_at + make_interval(days => a.retention_days) + interval '1 minute'`,
  [ViolationKind.ACCESS_AFTER_WITHDRAWAL]: `
    SELECT NULL AS envelope_id, w.consent_id, NULL AS agreement_id, w.origin_partner_id AS partner_id,
           x.id::text AS record_id, x.accessed_at AS at,
           'accessed ' || to_char(x.accessed_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ', withdrawal received ' ||
           to_char(w.withdrawn_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS detail
      FROM shared_access x CROSS JOIN LATERAL unnest(x.consent_ids) AS c(consent_id)
      JOIN shared_consent_withdrawn w ON w.consent_id = c.consent_id AND w.origin_partner_id = ANY (x.origin_partner_ids)
     WHERE x.accessed_at >= w.withdrawn_at + ${SECOND}`,
};

interface FindingRow {
  envelope_id: string | null;
  consent_id: string | null;
  agreement_id: string | null;
  partner_id: string | null;
  record_id: string | null;
  at: Date | null;
  detail: string;
  total: string;
}

/**
 * Runs every check of the violations report (one query each) for the node `partnerId`; a copy
 * past its retention end by more than `retentionGraceSeconds` is reported.
 */
export async function runViolationChecks(
  dataSource: DataSource,
  partnerId: string,
  retentionGraceSeconds: number,
): Promise<ComplianceViolationReport> {
  // One snapshot for every check. These are large scans and joins: JIT compilation only slows them
  // down, and hash joins and sorts stay in memory with a little more work_mem.
  const { checks, violations } = await dataSource.transaction('REPEATABLE READ', async (m) => {
    await m.query(`SET LOCAL jit = off`);
    await m.query(`SET LOCAL work_mem = '64MB'`);
    const violations: ComplianceViolation[] = [];
    const checks = [];
    for (const kind of VIOLATION_KINDS) {
      // $1: the retention grace for the retention check, else this node's id (where it is used).
      const params =
        kind === ViolationKind.RETENTION_EXCEEDED
          ? [retentionGraceSeconds]
          : VIOLATION_CHECKS[kind].includes('$1')
            ? [partnerId]
            : [];
      const rows: FindingRow[] = await m.query(
        `SELECT f.*, count(*) OVER () AS total FROM (${VIOLATION_CHECKS[kind]}) f ORDER BY f.at NULLS FIRST LIMIT ${MAX_PER_KIND}`,
        params,
      );
      checks.push({ kind, description: VIOLATION_DESCRIPTIONS[kind], count: Number(rows[0]?.total ?? 0) });
      for (const row of rows) {
        violations.push({
          kind,
          side: violationSide(kind),
          envelopeId: row.envelope_id,
          consentId: row.consent_id,
          agreementId: row.agreement_id,
          partnerId: row.partner_id,
          recordId: row.record_id,
          at: row.at,
          detail: row.detail,
        });
      }
    }
    return { checks, violations };
  });
  return { generatedAt: new Date(), total: checks.reduce((sum, c) => sum + c.count, 0), checks, violations };
}

/**
 * The compliance officer's audits: a customer's consent history with ledger proofs, the
 * violations report, and the GDPR Art. 30 records of processing.
 */
@Injectable()
export class ComplianceAuditService {
  private readonly retentionGraceSeconds = (2 * sharingOptionsFromEnv().retentionSweepMs) / 1000;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    private readonly ledger: NodeLedgerService,
    private readonly network: NetworkService,
    private readonly reports: AccessReportService,
  ) {}

  async consentHistory(customerId: string): Promise<CustomerConsentHistory> {
    await this.reports.requireCustomer(customerId);
    // Sign a checkpoint of the current head (unless nothing is new): every proof then verifies
    // against a signed tree head.
    await this.ledger.checkpointNow();
    const consents = await this.dataSource
      .getRepository(Consent)
      .find({ where: { customerId }, order: { createdAt: 'ASC', id: 'ASC' } });
    const entries: { seq: string; kind: string; consent_id: string }[] = consents.length
      ? await this.dataSource.query(
          `SELECT seq, kind, ((entry::jsonb) -> 'data') ->> 'consentId' AS consent_id FROM ledger_entry
            WHERE kind IN ('consent.given', 'consent.withdrawn')
              AND ((entry::jsonb) -> 'data') ->> 'consentId' = ANY ($1::text[])`,
          [consents.map((c) => c.id)],
        )
      : [];
    const act = async (kind: string, consentId: string, jws: string, at: Date): Promise<ConsentAct> => {
      const entry = entries.find((e) => e.kind === kind && e.consent_id === consentId);
      return { kind, jws, at, ledger: entry ? await this.ledger.entryWithProof(Number(entry.seq)) : null };
    };
    const head = await this.ledger.head();
    return {
      customerId,
      ledgerOrigin: head.origin,
      checkpointKey: head.checkpointKey,
      consents: await Promise.all(
        consents.map(async (consent) => ({
          consent,
          noticeVersion: consent.noticeVersion,
          receipt: await act('consent.given', consent.id, consent.receiptJws, consent.createdAt),
          withdrawal:
            consent.withdrawalJws && consent.withdrawnAt
              ? await act('consent.withdrawn', consent.id, consent.withdrawalJws, consent.withdrawnAt)
              : null,
        })),
      ),
    };
  }

  violations(): Promise<ComplianceViolationReport> {
    return runViolationChecks(this.dataSource, this.config.partnerId, this.retentionGraceSeconds);
  }

  async recordsOfProcessing(): Promise<RecordsOfProcessing> {
    const me = this.config.partnerId;
    const agreements: {
      agreement_id: string;
      partner_id: string;
      direction: string;
      party_a: string;
      state: string;
      purposes: string[];
      categories: string[];
      retention_days: number;
      valid_from: Date;
      valid_until: Date;
    }[] = await this.dataSource.query(
      `SELECT agreement_id, partner_id, direction, party_a, state, purposes, categories, retention_days, valid_from, valid_until
         FROM sharing_agreement ORDER BY partner_id, agreement_id`,
    );
    const consents: { purpose: string; live: number; withdrawn: number; expired: number }[] =
      await this.dataSource.query(
        `SELECT p AS purpose,
                count(*) FILTER (WHERE withdrawn_at IS NULL AND valid_until > now())::int AS live,
                count(*) FILTER (WHERE withdrawn_at IS NOT NULL)::int AS withdrawn,
                count(*) FILTER (WHERE withdrawn_at IS NULL AND valid_until <= now())::int AS expired
           FROM consent, unnest(purposes) AS p GROUP BY p`,
      );
    const ledger: { kind: string; count: number }[] = await this.dataSource.query(
      `SELECT kind, count(*)::int AS count FROM ledger_entry GROUP BY kind`,
    );
    const [membership, head] = await Promise.all([this.network.membershipRow(), this.ledger.head()]);
    const facts: AgreementFacts[] = agreements.map((a) => ({
      agreementId: a.agreement_id,
      partnerId: a.partner_id,
      direction: a.direction === 'mutual' ? 'mutual' : a.party_a === me ? 'outbound' : 'inbound',
      state: a.state,
      purposes: a.purposes,
      categories: a.categories,
      retentionDays: a.retention_days,
      validFrom: a.valid_from,
      validUntil: a.valid_until,
    }));
    return buildRecordsOfProcessing({
      controller: me,
      federationId: membership?.federationId ?? null,
      generatedAt: new Date(),
      agreements: facts,
      consents,
      ledger,
      ledgerSize: head.size,
    });
  }
}
