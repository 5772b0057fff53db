import { Controller, Inject } from '@nestjs/common';
import { ConsoleSessions } from '#platform/auth/console-sessions';
import { ConsoleSessionEndpoints } from '#platform/http/console-session-endpoints';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import type { PartnerNodeConfig } from '../config.js';

/** The node's /auth/login|refresh|logout: the shared console sign-in over the node's users. */
@Controller('auth')
export class ConsoleSessionsController extends ConsoleSessionEndpoints {
  constructor(sessions: ConsoleSessions, @Inject(PARTNER_NODE_CONFIG) config: PartnerNodeConfig) {
    super(sessions, config.auth.tokenSecret);
  }
}
