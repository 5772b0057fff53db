import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsentsModule } from '../consents/consents.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { NetworkModule } from '../network/network.module.js';
import { AccessReportModule } from './access-report.module.js';
import { ComplianceAuditService } from './compliance-audit.service.js';
import { ComplianceResolver } from './compliance.resolver.js';
import { ErasureRequest } from './compliance.types.js';
import { ErasureService } from './erasure.service.js';

/**
 * Compliance audits (role compliance): consent history with ledger proofs, data flows, the
 * violations report, GDPR Art. 30 records of processing, Art. 15 access reports and Art. 17
 * erasure. Migration: CreateCompliance1700000008000. Uses the sharing module (global) for purges.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ErasureRequest]),
    AccessReportModule,
    ConsentsModule,
    LedgerModule,
    NetworkModule,
  ],
  providers: [ComplianceAuditService, ErasureService, ComplianceResolver],
})
export class ComplianceModule {}
