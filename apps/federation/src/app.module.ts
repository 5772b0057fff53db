import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, Reflector } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokens } from '#platform/auth/access-tokens';
import { RolesGuard } from '#platform/auth/roles.guard';
import { HttpErrorFilter } from '#platform/errors/error-mapping';
import { HealthModule } from '#platform/health/health.module';
import { redisProbe } from '#platform/health/redis-probe';
import { edgeValidationPipe } from '#platform/validation/validation.pipe';
import { AboutResolver } from './about/about.resolver.js';
import type { FederationConfig } from './config.js';
import { FEDERATION_CONFIG } from './config.token.js';
import { federationAccessTokens, federationDataSourceOptions } from './database/federation-data-source.js';
import { FEATURE_MODULES } from './feature-modules.js';
import { graphqlOptions } from './graphql/graphql-options.js';
import { OperatorsService } from './operators/operators.service.js';

/** The federation: members and keys, agreements, consent registry, relay, matching, network ledger. */
@Module({})
export class FederationModule {
  static forRoot(config: FederationConfig): DynamicModule {
    return {
      module: FederationModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...federationDataSourceOptions(config),
          autoLoadEntities: true,
          migrationsRun: true,
        }),
        GraphQLModule.forRoot<ApolloDriverConfig>(graphqlOptions(config)),
        HealthModule.forRoot(config.redisUrl ? [redisProbe(config.redisUrl)] : []),
        ...FEATURE_MODULES,
      ],
      providers: [
        { provide: FEDERATION_CONFIG, useValue: config },
        { provide: AccessTokens, useValue: federationAccessTokens(config) },
        {
          // Operators' GraphQL: bearer tokens and roles. Protocol routes are @Public() and
          // authenticate signed messages and request tokens themselves.
          provide: APP_GUARD,
          inject: [Reflector, AccessTokens, OperatorsService],
          useFactory: (reflector: Reflector, tokens: AccessTokens, operators: OperatorsService) =>
            new RolesGuard(reflector, tokens, (id) => operators.currentRoles(id)),
        },
        AboutResolver,
        { provide: APP_PIPE, useFactory: edgeValidationPipe },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
      exports: [FEDERATION_CONFIG, AccessTokens],
    };
  }
}
