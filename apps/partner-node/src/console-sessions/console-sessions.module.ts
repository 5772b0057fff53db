import { Module } from '@nestjs/common';
import { TypeOrmModule, getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AccessTokens } from '#platform/auth/access-tokens';
import { ConsoleSession } from '#platform/auth/console-session.entity';
import { ConsoleSessions } from '#platform/auth/console-sessions';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import type { PartnerNodeConfig } from '../config.js';
import { UsersModule } from '../users/users.module.js';
import { UsersService } from '../users/users.service.js';
import { ConsoleSessionsController } from './console-sessions.controller.js';

/**
 * Web console sign-in: sessions held in an httpOnly cookie, renewing short access tokens (/auth/*).
 * The sessions and the endpoints are the shared ones of libs/platform; the node brings its users.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ConsoleSession]), UsersModule],
  controllers: [ConsoleSessionsController],
  providers: [
    {
      provide: ConsoleSessions,
      inject: [getRepositoryToken(ConsoleSession), UsersService, AccessTokens, PARTNER_NODE_CONFIG],
      useFactory: (
        repository: Repository<ConsoleSession>,
        users: UsersService,
        tokens: AccessTokens,
        config: PartnerNodeConfig,
      ) =>
        new ConsoleSessions(repository, users, tokens, {
          server: 'node',
          idleTimeoutSeconds: config.console.idleTimeoutSeconds,
          sessionMaxSeconds: config.console.sessionMaxSeconds,
          accessTokenTtlSeconds: config.console.accessTokenTtlSeconds,
        }),
    },
  ],
})
export class ConsoleSessionsModule {}
