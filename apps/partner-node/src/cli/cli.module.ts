import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokens } from '#platform/auth/access-tokens';
import { dataSourceOptions } from '#platform/database/data-source-options';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { PARTNER_NODE_MIGRATIONS } from '../database/migrations.js';
import { ImportExportModule } from '../import-export/import-export.module.js';
import { UsersModule } from '../users/users.module.js';
import { AgreementsModule } from '../agreements/agreements.module.js';
import { NetworkModule } from '../network/network.module.js';
import { AccessReportModule } from '../compliance/access-report.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { ConsentsModule } from '../consents/consents.module.js';

/**
 * What the command-line tool needs of a partner node: the database (built by the same
 * `dataSourceOptions` as the node, with the same migrations), users, imports and exports, the
 * ledger.
 * No GraphQL, no HTTP, no queues: it starts in a fraction of the node's time.
 */
@Module({})
export class CliModule {
  static forRoot(config: PartnerNodeConfig, options: { runMigrations: boolean }): DynamicModule {
    return {
      module: CliModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(
            {
              url: config.database.url,
              embeddedDataDir: config.database.embeddedDataDir,
              poolSize: Math.min(config.database.poolSize, 4),
            },
            [],
            PARTNER_NODE_MIGRATIONS,
          ),
          autoLoadEntities: true,
          migrationsRun: options.runMigrations,
        }),
        UsersModule,
        ImportExportModule,
        // register, rotate-keys, agreements
        NetworkModule,
        AgreementsModule,
        // access-report
        AccessReportModule,
        // export-ledger
        LedgerModule,
        // import-consents
        ConsentsModule,
      ],
      providers: [
        { provide: PARTNER_NODE_CONFIG, useValue: config },
        // The users feature's resolver needs it; the CLI itself issues no tokens.
        {
          provide: AccessTokens,
          useValue: new AccessTokens(
            config.auth.tokenSecret,
            `concordia:${config.partnerId}`,
            config.auth.tokenTtlSeconds,
          ),
        },
      ],
      exports: [PARTNER_NODE_CONFIG, AccessTokens],
    };
  }
}
