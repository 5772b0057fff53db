import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { federationLedgerOrigin } from '#federation-client';
import { LedgerService } from '#ledger';
import { JobQueueModule } from '#platform/queue/job-queue.module';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { FederationLedgerController } from './federation-ledger.controller.js';
import { FederationLedgerResolver } from './federation-ledger.resolver.js';
import { FederationLedgerService } from './federation-ledger.service.js';
import { LedgerMessagesRepository } from './ledger-messages.repository.js';

/**
 * The federation's ledger (LedgerService over its database, EventsService feeds it) and the
 * federation's job queue (BullMQ on REDIS_URL, in process without it) that sequences and
 * checkpoints it. Migrations: LEDGER_MIGRATIONS (#ledger),
 * and CreateFederationLedger1710000000800.
 */
@Global()
@Module({
  imports: [
    JobQueueModule.forRoot({
      inject: [FEDERATION_CONFIG],
      settings: (config: FederationConfig) => ({
        redisUrl: config.redisUrl,
        prefix: config.redisPrefix,
        test: config.env === 'test',
      }),
    }),
  ],
  controllers: [FederationLedgerController],
  providers: [
    {
      provide: LedgerService,
      inject: [DataSource, FEDERATION_CONFIG],
      useFactory: (dataSource: DataSource, config: FederationConfig) =>
        new LedgerService(dataSource, { origin: federationLedgerOrigin(config.federationId) }),
    },
    FederationLedgerService,
    LedgerMessagesRepository,
    FederationLedgerResolver,
  ],
  exports: [LedgerService, FederationLedgerService, LedgerMessagesRepository],
})
export class FederationLedgerModule {}
