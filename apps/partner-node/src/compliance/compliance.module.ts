import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgreementRecordsModule } from '../agreements/agreement-records.module.js';
import { CampaignAudienceErasureModule } from '../campaigns/campaign-audience-erasure.module.js';
import { CareCaseSubjectModule } from '../care-cases/care-case-subject.module.js';
import { CompanyLinkSubjectModule } from '../companies/company-link-subject.module.js';
import { InteractionSubjectModule } from '../interactions/interaction-subject.module.js';
import { LeadSubjectModule } from '../leads/lead-subject.module.js';
import { OrderSubjectModule } from '../orders/order-subject.module.js';
import { SegmentReferencesModule } from '../segments/segment-references.module.js';
import { ConsentsModule } from '../consents/consents.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { NetworkModule } from '../network/network.module.js';
import { AccessReportModule } from './access-report.module.js';
import { ComplianceAuditService } from './compliance-audit.service.js';
import { ComplianceResolver } from './compliance.resolver.js';
import { ErasureRequest } from './compliance.types.js';
import { ErasureOwners, ErasureService } from './erasure.service.js';

/**
 * Compliance audits (role compliance): consent history with ledger proofs, data flows, the
 * violations report, GDPR Art. 30 records of processing, Art. 15 access reports and Art. 17
 * erasure. Migration: CreateCompliance1700000008000. Uses the sharing module (global) for purges.
 * Reads and deletes other modules' rows only through their owners' repositories. The violations
 * report's passes (violation-checks.ts) check every delivered ref or held copy against consents,
 * agreements and records in one scan and join each (100,000s of rows), which no sequence of
 * per-owner reads could match: each statement joins the relations its owners export for it (the
 * consents', agreements', sharing's and records' *-audit queries), whole, owned by compliance.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ErasureRequest]),
    AccessReportModule,
    ConsentsModule,
    LedgerModule,
    NetworkModule,
    // The owners of what the audits read and an erasure deletes (AccessReportModule brings the
    // customers', consents' and sharing's).
    AgreementRecordsModule,
    CareCaseSubjectModule,
    InteractionSubjectModule,
    OrderSubjectModule,
    LeadSubjectModule,
    CompanyLinkSubjectModule,
    SegmentReferencesModule,
    CampaignAudienceErasureModule,
  ],
  providers: [ComplianceAuditService, ErasureOwners, ErasureService, ComplianceResolver],
})
export class ComplianceModule {}
