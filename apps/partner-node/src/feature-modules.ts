import type { Type } from '@nestjs/common';
import { CustomersModule } from './customers/customers.module.js';
import { CompaniesModule } from './companies/companies.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { CareCasesModule } from './care-cases/care-cases.module.js';
import { InteractionsModule } from './interactions/interactions.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { LeadsModule } from './leads/leads.module.js';
import { TimelineModule } from './timeline/timeline.module.js';
import { ImportExportModule } from './import-export/import-export.module.js';
import { NodeQueueModule } from './queue/node-queue.module.js';
import { SegmentsModule } from './segments/segments.module.js';
import { StatisticsModule } from './statistics/statistics.module.js';
import { CampaignsModule } from './campaigns/campaigns.module.js';
import { KeysModule } from './keys/keys.module.js';
import { NetworkModule } from './network/network.module.js';
import { AgreementsModule } from './agreements/agreements.module.js';
import { PrivacyNoticesModule } from './privacy-notices/privacy-notices.module.js';
import { ConsentsModule } from './consents/consents.module.js';
import { SharingModule } from './sharing/sharing.module.js';
import { SegmentMergesModule } from './segment-merges/segment-merges.module.js';
import { ComplianceModule } from './compliance/compliance.module.js';
import { ConsoleSessionsModule } from './console-sessions/console-sessions.module.js';

/**
 * The CRM's feature modules (customers, companies, interactions…). Each is self-contained: its
 * entities, service, resolver and tests live side by side in its folder. Register new ones here.
 */
export const FEATURE_MODULES: Type[] = [
  CustomersModule,
  CompaniesModule,
  LedgerModule,
  CareCasesModule,
  InteractionsModule,
  OrdersModule,
  LeadsModule,
  TimelineModule,
  ImportExportModule,
  NodeQueueModule,
  SegmentsModule,
  StatisticsModule,
  CampaignsModule,
  KeysModule,
  NetworkModule,
  AgreementsModule,
  PrivacyNoticesModule,
  ConsentsModule,
  SharingModule,
  SegmentMergesModule,
  ComplianceModule,
  ConsoleSessionsModule,
];
