import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { buildRecordsOfProcessing, type AgreementFacts } from '#compliance';
import { entriesNaming, entryCountsByKind } from '#ledger';
import { AgreementRecordsRepository } from '../agreements/agreement-records.repository.js';
import type { PartnerNodeConfig } from '../config.js';
import { ConsentDisclosureRepository } from '../consents/consent-disclosure.repository.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { Consent } from '../consents/consent.entity.js';
import { NodeLedgerService } from '../ledger/node-ledger.service.js';
import { NetworkService } from '../network/network.service.js';
import { AccessReportService } from './access-report.service.js';
import { runViolationChecks } from './violation-checks.js';
import type {
  ComplianceTrustAnchors,
  ComplianceViolationReport,
  ConsentAct,
  CustomerConsentHistory,
  RecordsOfProcessing,
} from './compliance.types.js';

/**
 * The compliance officer's audits: a customer's consent history with ledger proofs, the
 * violations report, and the GDPR Art. 30 records of processing.
 */
@Injectable()
export class ComplianceAuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    private readonly ledger: NodeLedgerService,
    private readonly network: NetworkService,
    private readonly reports: AccessReportService,
    private readonly agreementRows: AgreementRecordsRepository,
    private readonly consentRows: ConsentDisclosureRepository,
  ) {}

  /**
   * The federation's keys and signed statements as this node holds them, for a browser to verify
   * receipts and checkpoints itself. The browser must not trust them because the node sends them:
   * it compares the federation's keys with the ones the officer pinned (docs/security.md).
   */
  async trustAnchors(): Promise<ComplianceTrustAnchors> {
    const membership = await this.network.membershipRow();
    // Fresh from the federation (the cached copy may predate a member's key rotation, and the
    // browser would then not know the key a new receipt is signed with). No directory yet (not a
    // member): the node's own statement, if any, is all there is.
    const members = await this.network.directory({ maxAgeMs: 0 }).catch(() => []);
    const me = this.config.partnerId;
    const statements = [
      ...(membership?.membershipStatement
        ? [{ partnerId: me, name: membership.name ?? me, statement: membership.membershipStatement }]
        : []),
      ...members
        .filter((m) => m.partnerId !== me)
        .map((m) => ({ partnerId: m.partnerId, name: m.name, statement: m.statement })),
    ];
    return {
      partnerId: me,
      federationId: membership?.federationId ?? null,
      federationUrl: membership?.federationUrl ?? null,
      federationJwks: JSON.stringify(membership?.federationJwks ?? { keys: [] }),
      federationKids: membership?.federationKids ?? [],
      statements,
    };
  }

  async consentHistory(customerId: string): Promise<CustomerConsentHistory> {
    await this.reports.requireCustomer(customerId);
    // Sign a checkpoint of the current head (unless nothing is new): every proof then verifies
    // against a signed tree head.
    await this.ledger.checkpointNow();
    const consents = await this.dataSource
      .getRepository(Consent)
      .find({ where: { customerId }, order: { createdAt: 'ASC', id: 'ASC' } });
    const entries = await entriesNaming(
      this.dataSource,
      ['consent.given', 'consent.withdrawn'],
      'consentId',
      consents.map((c) => c.id),
    );
    const head = await this.ledger.head();
    const act = async (kind: string, consentId: string, jws: string, at: Date): Promise<ConsentAct> => {
      const entry = entries.find((e) => e.kind === kind && e.value === consentId);
      if (!entry) return { kind, jws, at, ledger: null };
      const {
        entry: leaf,
        proof: { checkpoint, ...proof },
      } = await this.ledger.entryWithProof(Number(entry.seq));
      return {
        kind,
        jws,
        at,
        ledger: {
          ...leaf,
          ...proof,
          checkpointNote: checkpoint?.note ?? null,
          verifierKey: head.checkpointKey,
          origin: head.origin,
        },
      };
    };
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
    // A shared copy past its retention is deleted by the next retention sweep: within two sweeps it is not yet a violation.
    const graceSeconds = (2 * this.config.sharing.retentionSweepMs) / 1000;
    return runViolationChecks(this.dataSource, this.config.partnerId, graceSeconds);
  }

  async recordsOfProcessing(): Promise<RecordsOfProcessing> {
    const me = this.config.partnerId;
    const agreements = await this.agreementRows.forRecordsOfProcessing();
    const consents = await this.consentRows.countsByPurpose();
    await this.ledger.sequenceNow(); // entries are queued with their changes: count them all
    const ledger = await entryCountsByKind(this.dataSource);
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
