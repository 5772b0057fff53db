import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '#platform/database/data-source-options';
import { HttpErrorFilter, formatGraphQLError } from '#platform/errors/error-mapping';
import { HealthModule } from '#platform/health/health.module';
import { redisProbe } from '#platform/health/redis-probe';
import { edgeValidationPipe } from '#platform/validation/validation.pipe';
import { AboutResolver } from './about/about.resolver.js';
import type { FederationConfig } from './config.js';
import { FEDERATION_CONFIG } from './config.token.js';
import { FEDERATION_MIGRATIONS } from './database/migrations.js';

/** The federation: members and keys, agreements, consent registry, relay, matching, network ledger. */
@Module({})
export class FederationModule {
  static forRoot(config: FederationConfig): DynamicModule {
    return {
      module: FederationModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(
            { url: config.database.url, embeddedDataDir: config.database.embeddedDataDir },
            [],
            FEDERATION_MIGRATIONS,
          ),
          autoLoadEntities: true,
          migrationsRun: true,
        }),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          graphiql: config.env !== 'production',
          formatError: formatGraphQLError,
          context: ({ req }: { req: unknown }) => ({ req }),
        }),
        HealthModule.forRoot(config.redisUrl ? [redisProbe(config.redisUrl)] : []),
      ],
      providers: [
        { provide: FEDERATION_CONFIG, useValue: config },
        AboutResolver,
        { provide: APP_PIPE, useFactory: edgeValidationPipe },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
      exports: [FEDERATION_CONFIG],
    };
  }
}
