import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LedgerService } from '#ledger';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import type { PartnerNodeConfig } from '../config.js';
import { KeysModule } from '../keys/keys.module.js';
import { LedgerKeyring } from './ledger-keyring.js';
import { LEDGER_MODULE_OPTIONS, ledgerOptionsFromEnv } from './ledger.options.js';
import { LedgerResolver } from './ledger.resolver.js';
import { LedgerSigningKey } from './ledger-signing-key.js';
import { ledgerOrigin, NodeLedgerService } from './node-ledger.service.js';

/**
 * The node's tamper-evident ledger (DESIGN.md invariant 5). Other modules import it and append in
 * their own transaction: `ledger.append(manager, 'consent.given', {...})` with the LedgerService
 * exported here. Migrations: CreateLedger1700000005000 (#ledger) and CreateNodeLedger1700000005100.
 */
@Module({
  imports: [KeysModule],
  providers: [
    {
      provide: LedgerService,
      inject: [DataSource, PARTNER_NODE_CONFIG],
      useFactory: (dataSource: DataSource, config: PartnerNodeConfig) =>
        new LedgerService(dataSource, { origin: ledgerOrigin(config) }),
    },
    { provide: LEDGER_MODULE_OPTIONS, useFactory: ledgerOptionsFromEnv },
    LedgerKeyring,
    LedgerSigningKey,
    NodeLedgerService,
    LedgerResolver,
  ],
  exports: [LedgerService, NodeLedgerService, LedgerKeyring],
})
export class LedgerModule {}
