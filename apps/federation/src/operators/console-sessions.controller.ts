import { Controller, Inject } from '@nestjs/common';
import { ConsoleSessions } from '#platform/auth/console-sessions';
import { ConsoleSessionEndpoints } from '#platform/http/console-session-endpoints';
import { FEDERATION_CONFIG } from '../config.token.js';
import type { FederationConfig } from '../config.js';

/** The federation's /auth/login|refresh|logout: the shared console sign-in over its operators. */
@Controller('auth')
export class OperatorConsoleSessionsController extends ConsoleSessionEndpoints {
  constructor(sessions: ConsoleSessions, @Inject(FEDERATION_CONFIG) config: FederationConfig) {
    super(sessions, config.auth.tokenSecret);
  }
}
