import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LedgerService } from '#ledger';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import type { PartnerNodeConfig } from '../config.js';
import { KeysModule } from '../keys/keys.module.js';
import { NetworkModule } from '../network/network.module.js';
import { FederationCheckpointWatch } from './federation-checkpoint.watch.js';
import { LedgerKeyring } from './ledger-keyring.js';
import { LEDGER_MODULE_OPTIONS } from './ledger.options.js';
import { LedgerResolver } from './ledger.resolver.js';
import { LedgerSigningKey } from './ledger-signing-key.js';
import { ledgerOrigin, NodeLedgerService } from './node-ledger.service.js';

/**
 * The node's tamper-evident ledger (DESIGN.md invariant 5). Other modules import it and append in
 * their own transaction: `ledger.enqueue(manager, 'consent.given', {...})` with the LedgerService
 * exported here (sequenced right after the commit; `append` only where the seq is needed inside
 * the transaction). FederationCheckpointWatch checks the federation ledger's checkpoints. Migrations:
 * LEDGER_MIGRATIONS (#ledger), CreateNodeLedger1700000005100,
 * FederationCheckpointAlerts1700000005200.
 */
@Module({
  imports: [KeysModule, NetworkModule],
  providers: [
    {
      provide: LedgerService,
      inject: [DataSource, PARTNER_NODE_CONFIG],
      useFactory: (dataSource: DataSource, config: PartnerNodeConfig) =>
        new LedgerService(dataSource, { origin: ledgerOrigin(config) }),
    },
    {
      provide: LEDGER_MODULE_OPTIONS,
      inject: [PARTNER_NODE_CONFIG],
      useFactory: (config: PartnerNodeConfig) => config.ledger,
    },
    LedgerKeyring,
    LedgerSigningKey,
    NodeLedgerService,
    LedgerResolver,
    FederationCheckpointWatch,
  ],
  exports: [LedgerService, NodeLedgerService, LedgerKeyring, FederationCheckpointWatch],
})
export class LedgerModule {}
