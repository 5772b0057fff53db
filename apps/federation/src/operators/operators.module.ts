import { Module } from '@nestjs/common';
import { TypeOrmModule, getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AccessTokens } from '#platform/auth/access-tokens';
import { ConsoleSession } from '#platform/auth/console-session.entity';
import { ConsoleSessions } from '#platform/auth/console-sessions';
import { FEDERATION_CONFIG } from '../config.token.js';
import type { FederationConfig } from '../config.js';
import { OperatorConsoleSessionsController } from './console-sessions.controller.js';
import { Operator } from './operator.entity.js';
import { OperatorsResolver } from './operators.resolver.js';
import { OperatorsService } from './operators.service.js';

/**
 * Operator accounts, their GraphQL login and their web console sessions (the shared sessions and
 * /auth endpoints of libs/platform, over the operators; the grant says server: 'federation').
 */
@Module({
  imports: [TypeOrmModule.forFeature([Operator, ConsoleSession])],
  controllers: [OperatorConsoleSessionsController],
  providers: [
    OperatorsService,
    OperatorsResolver,
    {
      provide: ConsoleSessions,
      inject: [getRepositoryToken(ConsoleSession), OperatorsService, AccessTokens, FEDERATION_CONFIG],
      useFactory: (
        repository: Repository<ConsoleSession>,
        operators: OperatorsService,
        tokens: AccessTokens,
        config: FederationConfig,
      ) =>
        new ConsoleSessions(repository, operators, tokens, {
          server: 'federation',
          idleTimeoutSeconds: config.console.idleTimeoutSeconds,
          sessionMaxSeconds: config.console.sessionMaxSeconds,
          accessTokenTtlSeconds: config.console.accessTokenTtlSeconds,
        }),
    },
  ],
  exports: [OperatorsService],
})
export class OperatorsModule {}
