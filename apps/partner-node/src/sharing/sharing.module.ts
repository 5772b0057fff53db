import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgreementsModule } from '../agreements/agreements.module.js';
import { CareCasesModule } from '../care-cases/care-cases.module.js';
import { ConsentsModule } from '../consents/consents.module.js';
import { CustomersModule } from '../customers/customers.module.js';
import { InteractionsModule } from '../interactions/interactions.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { NetworkModule } from '../network/network.module.js';
import { DeliveryJob } from './delivery.job.js';
import { EnvelopeReceiver } from './envelope-receiver.service.js';
import { HolderService } from './holder.service.js';
import { NodeProtocolController } from './node-protocol.controller.js';
import { OutboxListener } from './outbox-listener.js';
import { OutboxService } from './outbox.service.js';
import { PullReasonChecker } from './pull-reason-checker.js';
import { PullService } from './pull.service.js';
import { PurgeService } from './purge.service.js';
import { RelayClient } from './relay-client.js';
import { ShareEvidenceService } from './share-evidence.service.js';
import { SHARED_TIMELINE } from './shared-timeline.port.js';
import { SharedTimelineService } from './shared-timeline.service.js';
import { PullAnswer, SharedAccess, SharedRecord, ShareDelivery, SharePurge } from './sharing.entities.js';
import { SHARING_OPTIONS } from './sharing.options.js';
import { SharingResolver } from './sharing.resolver.js';
import { SharingWorker } from './sharing.worker.js';
import { WithdrawalsJob } from './withdrawals.job.js';
import { SharingLogsService } from './sharing-logs.service.js';

/**
 * Shared customer-care history: pull through the federation relay when a customer is opened, push
 * through a transactional outbox, verification before storage, merged timeline, access log,
 * withdrawal purges with signed receipts, evidence of receipt and purge that outlives the records
 * (ShareEvidenceService). Migrations: CreateSharing1700000007000, CreateShareEvidence1700000007200,
 * CreatePullReasons1700000007300. Global so that
 * the timeline can inject SHARED_TIMELINE without importing this module.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([SharedRecord, SharedAccess, SharePurge, ShareDelivery, PullAnswer]),
    NetworkModule,
    AgreementsModule,
    ConsentsModule,
    LedgerModule,
    CustomersModule,
    CareCasesModule,
    InteractionsModule,
  ],
  controllers: [NodeProtocolController],
  providers: [
    {
      provide: SHARING_OPTIONS,
      inject: [PARTNER_NODE_CONFIG],
      useFactory: (config: PartnerNodeConfig) => config.sharing,
    },
    RelayClient,
    ShareEvidenceService,
    EnvelopeReceiver,
    HolderService,
    PullReasonChecker,
    PullService,
    PurgeService,
    SharingLogsService,
    OutboxService,
    DeliveryJob,
    WithdrawalsJob,
    OutboxListener,
    SharedTimelineService,
    { provide: SHARED_TIMELINE, useExisting: SharedTimelineService },
    SharingResolver,
    SharingWorker,
  ],
  exports: [
    SHARED_TIMELINE,
    EnvelopeReceiver,
    HolderService,
    OutboxService,
    OutboxListener,
    PullService,
    PurgeService,
  ],
})
export class SharingModule {}
