import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, Reflector } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokens } from '#platform/auth/access-tokens';
import { RolesGuard } from '#platform/auth/roles.guard';
import { dataSourceOptions } from '#platform/database/data-source-options';
import { HttpErrorFilter } from '#platform/errors/error-mapping';
import { HealthModule } from '#platform/health/health.module';
import { redisProbe } from '#platform/health/redis-probe';
import { edgeValidationPipe } from '#platform/validation/validation.pipe';
import type { PartnerNodeConfig } from './config.js';
import { PARTNER_NODE_MIGRATIONS } from './database/migrations.js';
import { graphqlOptions } from './graphql/graphql-options.js';
import { UsersModule } from './users/users.module.js';
import { UsersService } from './users/users.service.js';
import { PARTNER_NODE_CONFIG } from './config.token.js';
import { FEATURE_MODULES } from './feature-modules.js';

/** The partner node: one company's CRM. Built from its configuration so tests can boot it as they need. */
@Module({})
export class AppModule {
  static forRoot(config: PartnerNodeConfig): DynamicModule {
    const probes = config.redisUrl ? [redisProbe(config.redisUrl)] : [];
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(
            {
              url: config.database.url,
              embeddedDataDir: config.database.embeddedDataDir,
              poolSize: config.database.poolSize,
            },
            [],
            PARTNER_NODE_MIGRATIONS,
          ),
          autoLoadEntities: true,
          migrationsRun: config.database.runMigrations,
        }),
        GraphQLModule.forRoot<ApolloDriverConfig>(graphqlOptions(config)),
        HealthModule.forRoot(probes),
        UsersModule,
        ...FEATURE_MODULES,
      ],
      providers: [
        { provide: PARTNER_NODE_CONFIG, useValue: config },
        {
          provide: AccessTokens,
          useValue: new AccessTokens(
            config.auth.tokenSecret,
            `concordia:${config.partnerId}`,
            config.auth.tokenTtlSeconds,
          ),
        },
        {
          provide: APP_GUARD,
          inject: [Reflector, AccessTokens, UsersService],
          useFactory: (reflector: Reflector, tokens: AccessTokens, users: UsersService) =>
            new RolesGuard(reflector, tokens, (id) => users.currentRoles(id)),
        },
        { provide: APP_PIPE, useFactory: edgeValidationPipe },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
      exports: [PARTNER_NODE_CONFIG, AccessTokens],
    };
  }
}
