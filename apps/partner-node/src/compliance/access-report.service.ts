import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { renderHtmlDocument } from '#compliance';
import { NotFoundError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { CustomerExportService, type CustomerExport } from '../import-export/customer-export.service.js';
import {
  PurgeState,
  type CustomerDataFlows,
  type DataShare,
  type SharedDataAccess,
} from './compliance.types.js';
import { isUuid } from '#platform/validation/ids';

export const ACCESS_REPORT_FORMAT = 'concordia.access-report/1';

export interface AccessReport {
  format: typeof ACCESS_REPORT_FORMAT;
  generatedAt: string;
  partnerId: string;
  customerId: string;
  /** Set when the customer was erased here: what remains is a tombstone. */
  erasure: { id: string; requestedAt: string; erased: Record<string, number> } | null;
  /** Everything held about the customer (the same gathering as exportCustomer). */
  held: CustomerExport;
  consents: Record<string, unknown>[];
  shares: DataShare[];
  accesses: SharedDataAccess[];
  receivedSharedCopies: Record<string, unknown>[];
}

interface ShareRow {
  envelope_id: string;
  recipient: string;
  agreement_id: string;
  consent_id: string;
  channel: string;
  sent_at: Date;
  categories: string[];
  records: number;
  purge_status: PurgeState | null;
  purge_requested_at: Date | null;
  purge_confirmed_at: Date | null;
}

const iso = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value);

/**
 * Where a customer's data went and what is held about them (GDPR Art. 15): every share of their
 * records (push and pull, with its purge), every agent access to partners' data about them, the
 * copies of partners' records held here, and — reusing exportCustomer's gathering — everything
 * held. SQL over the node's tables only, so the CLI can run it without GraphQL or queues.
 */
@Injectable()
export class AccessReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    private readonly exports: CustomerExportService,
  ) {}

  async requireCustomer(customerId: string, m: EntityManager = this.dataSource.manager): Promise<void> {
    const rows: unknown[] = isUuid(customerId)
      ? await m.query(`SELECT 1 FROM customer WHERE id = $1`, [customerId])
      : [];
    if (rows.length === 0) throw new NotFoundError('Customer', customerId);
  }

  async dataFlows(
    customerId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<CustomerDataFlows> {
    await this.requireCustomer(customerId, m);
    // Per consent, the envelopes whose refs name it (GIN index on the refs; a customer has few consents).
    const consents: { id: string }[] = await m.query(
      `SELECT id::text AS id FROM consent WHERE customer_id = $1 ORDER BY created_at, id`,
      [customerId],
    );
    const shares: ShareRow[] = [];
    for (const consent of consents) {
      shares.push(
        ...((await m.query(
          `SELECT d.id AS envelope_id, d.recipient, d.agreement_id, $2::text AS consent_id, d.channel,
                  COALESCE(d.sealed_at, d.delivered_at, d.created_at) AS sent_at,
                  array_agg(DISTINCT e->>'category' ORDER BY e->>'category') AS categories, count(*)::int AS records,
                  p.status AS purge_status, p.requested_at AS purge_requested_at, p.confirmed_at AS purge_confirmed_at
             FROM share_delivery d
             CROSS JOIN LATERAL jsonb_array_elements(d.records) e
             LEFT JOIN share_purge p ON p.consent_id = $3::uuid AND p.recipient = d.recipient
            WHERE d.records @> $1::jsonb AND d.status = 'delivered' AND e->>'consentId' = $2::text
            GROUP BY d.id, p.id`,
          [JSON.stringify([{ consentId: consent.id }]), consent.id, consent.id],
        )) as ShareRow[]),
      );
    }
    shares.sort(
      (x, y) => x.sent_at.getTime() - y.sent_at.getTime() || x.envelope_id.localeCompare(y.envelope_id),
    );
    const accesses: {
      id: string;
      user_id: string | null;
      user_name: string | null;
      accessed_at: Date;
      origin_partner_ids: string[];
      origin_record_ids: string[];
      consent_ids: string[];
    }[] = await m.query(
      `SELECT a.id, a.user_id, u.display_name AS user_name, a.accessed_at, a.origin_partner_ids,
              a.origin_record_ids, a.consent_ids
         FROM shared_access a LEFT JOIN app_user u ON u.id = a.user_id
        WHERE a.customer_id = $1 ORDER BY a.accessed_at, a.id`,
      [customerId],
    );
    const [held]: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM shared_record WHERE customer_id = $1`,
      [customerId],
    );
    return {
      customerId,
      shares: shares.map((s) => ({
        envelopeId: s.envelope_id,
        recipient: s.recipient,
        agreementId: s.agreement_id,
        consentId: s.consent_id,
        channel: s.channel,
        sentAt: s.sent_at,
        categories: s.categories,
        records: s.records,
        purgeStatus: s.purge_status ?? PurgeState.NOT_REQUESTED,
        purgeRequestedAt: s.purge_requested_at,
        purgeConfirmedAt: s.purge_confirmed_at,
      })),
      accesses: accesses.map((a) => ({
        accessId: a.id,
        userId: a.user_id,
        userName: a.user_name,
        accessedAt: a.accessed_at,
        originPartnerIds: a.origin_partner_ids,
        originRecordIds: a.origin_record_ids,
        consentIds: a.consent_ids,
      })),
      receivedCopies: held?.n ?? 0,
    };
  }

  /** The access report as one JSON document; read in one REPEATABLE READ transaction. */
  async report(customerId: string): Promise<AccessReport> {
    await this.requireCustomer(customerId);
    const held = await this.exports.export(customerId);
    const report = await this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const flows = await this.dataFlows(customerId, m);
      const consents: Record<string, unknown>[] = await m.query(
        `SELECT id, purposes, categories, recipients, agreement_ids AS "agreementIds", given_at AS "givenAt",
                valid_from AS "validFrom", valid_until AS "validUntil", collection_method AS "collectionMethod",
                notice_version AS "noticeVersion", language, jurisdiction, registration_status AS "registrationStatus",
                withdrawn_at AS "withdrawnAt", withdrawal_reason AS "withdrawalReason", receipt_jws AS "receiptJws",
                withdrawal_jws AS "withdrawalJws"
           FROM consent WHERE customer_id = $1 ORDER BY created_at, id`,
        [customerId],
      );
      const copies: Record<string, unknown>[] = await m.query(
        `SELECT origin_partner_id AS "originPartnerId", origin_record_id AS "originRecordId", kind, category,
                consent_id AS "consentId", agreement_id AS "agreementId", title, summary, data,
                occurred_at AS "occurredAt", received_at AS "receivedAt", retention_ends_at AS "retentionEndsAt"
           FROM shared_record WHERE customer_id = $1 ORDER BY occurred_at, id`,
        [customerId],
      );
      const [erasure]: { id: string; requested_at: Date; erased: Record<string, number> }[] = await m.query(
        `SELECT id, requested_at, erased FROM erasure_request WHERE customer_id = $1`,
        [customerId],
      );
      const dated = (rows: Record<string, unknown>[]) =>
        rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, iso(v)])));
      return {
        format: ACCESS_REPORT_FORMAT,
        generatedAt: new Date().toISOString(),
        partnerId: this.config.partnerId,
        customerId,
        erasure: erasure
          ? { id: erasure.id, requestedAt: erasure.requested_at.toISOString(), erased: erasure.erased }
          : null,
        held,
        consents: dated(consents),
        shares: flows.shares,
        accesses: flows.accesses,
        receivedSharedCopies: dated(copies),
      } satisfies AccessReport;
    });
    getLogger().info({ customerId }, 'access report generated');
    return report;
  }

  /** The report as a readable, self-contained HTML page (every value escaped). */
  html(report: AccessReport): string {
    const plain = JSON.parse(JSON.stringify(report)) as AccessReport;
    const { held } = plain;
    return renderHtmlDocument(
      'What we hold and share about you',
      `Partner ${plain.partnerId} · customer ${plain.customerId} · generated ${plain.generatedAt} · format ${plain.format}`,
      [
        ...(plain.erasure
          ? [
              {
                title: 'Erasure',
                intro:
                  'Your personal data was erased at this partner; what remains holds no personal data (see the documentation).',
                value: plain.erasure,
              },
            ]
          : []),
        { title: 'Your profile', value: held.customer },
        { title: 'E-mail addresses', value: held.emails },
        { title: 'Phone numbers', value: held.phones },
        { title: 'Companies', value: held.companies },
        { title: 'Interactions', value: held.interactions },
        { title: 'Care cases', value: held.careCases },
        { title: 'Orders', value: held.orders },
        { title: 'Leads', value: held.leads },
        {
          title: 'Your consents',
          intro: 'Each consent names who may receive which data for which purpose; the receipts are signed.',
          value: plain.consents,
        },
        {
          title: 'What we shared, with whom, when',
          intro:
            'Every envelope that carried your records to a partner, and whether the partner purged its copies.',
          value: plain.shares,
        },
        {
          title: 'Who here saw what partners shared about you',
          value: plain.accesses,
        },
        { title: 'What partners shared with us about you', value: plain.receivedSharedCopies },
      ],
    );
  }
}
