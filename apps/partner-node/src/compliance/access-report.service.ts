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
import { ConsentDisclosureRepository } from '../consents/consent-disclosure.repository.js';
import { CustomerSubjectRepository } from '../customers/customer-subject.repository.js';
import { SharingDisclosureRepository } from '../sharing/sharing-disclosure.repository.js';
import { UsersService } from '../users/users.service.js';

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

const iso = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value);

/**
 * Where a customer's data went and what is held about them (GDPR Art. 15): every share of their
 * records (push and pull, with its purge), every agent access to partners' data about them, the
 * copies of partners' records held here, and — reusing exportCustomer's gathering — everything
 * held. Each owner says what it holds about the customer (consents, sharing, users, customers: their
 * repositories), so the CLI can run it without GraphQL or queues.
 */
@Injectable()
export class AccessReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    private readonly exports: CustomerExportService,
    private readonly customers: CustomerSubjectRepository,
    private readonly consents: ConsentDisclosureRepository,
    private readonly sharing: SharingDisclosureRepository,
    private readonly users: UsersService,
  ) {}

  async requireCustomer(customerId: string, m: EntityManager = this.dataSource.manager): Promise<void> {
    if (!isUuid(customerId) || !(await this.customers.exists(customerId, m)))
      throw new NotFoundError('Customer', customerId);
  }

  async dataFlows(
    customerId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<CustomerDataFlows> {
    await this.requireCustomer(customerId, m);
    // Per consent, the envelopes whose refs name it (GIN index on the refs; a customer has few consents).
    const consents = await this.consents.ofCustomer(customerId, m);
    const shares = [];
    for (const consent of consents) shares.push(...(await this.sharing.deliveriesOfConsent(consent.id, m)));
    shares.sort(
      (x, y) => x.sent_at.getTime() - y.sent_at.getTime() || x.envelope_id.localeCompare(y.envelope_id),
    );
    const accesses = await this.sharing.accessesOfCustomer(customerId, m);
    // The agents' names, from the users module (not in the caller's snapshot: a name, not a fact).
    const agentIds = [...new Set(accesses.flatMap((a) => (a.user_id ? [a.user_id] : [])))];
    const agents = agentIds.length > 0 ? await this.users.findByIds(agentIds) : [];
    const nameOf = new Map(agents.map((u) => [u.id, u.displayName]));
    const held = await this.sharing.receivedCountOfCustomer(customerId, m);
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
        purgeStatus: (s.purge_status as PurgeState | null) ?? PurgeState.NOT_REQUESTED,
        purgeRequestedAt: s.purge_requested_at,
        purgeConfirmedAt: s.purge_confirmed_at,
      })),
      accesses: accesses.map((a) => ({
        accessId: a.id,
        userId: a.user_id,
        userName: (a.user_id && nameOf.get(a.user_id)) ?? null,
        accessedAt: a.accessed_at,
        originPartnerIds: a.origin_partner_ids,
        originRecordIds: a.origin_record_ids,
        consentIds: a.consent_ids,
      })),
      receivedCopies: held,
    };
  }

  /** The access report as one JSON document; read in one REPEATABLE READ transaction. */
  async report(customerId: string): Promise<AccessReport> {
    await this.requireCustomer(customerId);
    const held = await this.exports.export(customerId);
    const report = await this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const flows = await this.dataFlows(customerId, m);
      const consents = await this.consents.reportOfCustomer(customerId, m);
      const copies = await this.sharing.receivedOfCustomer(customerId, m);
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
