import { mkdirSync } from 'node:fs';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { useEd25519OffThread } from '#protocol';
import { ed25519Workers } from '#platform/crypto/ed25519-workers';
import { useBodyParsers } from '#platform/http/body-parsers';
import { serveConsole } from '#platform/http/console-static';
import { securityHeaders, trustProxySetting } from '#platform/http/security-headers';
import { getLogger } from '#platform/logging/logger';
import { FederationModule } from './app.module.js';
import type { FederationConfig } from './config.js';
import { OperatorsService } from './operators/operators.service.js';
import { API_PREFIX, CONSENT_BATCH_BODY_LIMIT, RELAY_PATH_PREFIX } from '#federation-client';

export interface RunningFederation {
  app: INestApplication;
  url: string;
}

/** Creates, configures and starts the federation; used by main.ts, the tests and the benchmarks. */
export async function bootstrapFederation(
  config: FederationConfig,
  logger: LoggerService | false = false,
): Promise<RunningFederation> {
  // A batch's signatures and checks on worker threads, a message per batch (issue 17).
  useEd25519OffThread(ed25519Workers());
  if (!config.database.url && !config.database.embeddedDataDir.startsWith('memory://')) {
    mkdirSync(config.database.embeddedDataDir, { recursive: true });
  }
  const app = await NestFactory.create<NestExpressApplication>(FederationModule.forRoot(config), {
    logger,
    bodyParser: false,
  });
  // The relay authenticates the request token first, then reads the body itself (readJsonBody).
  useBodyParsers(app, RELAY_PATH_PREFIX, { [`${API_PREFIX}/consents/batch`]: CONSENT_BATCH_BODY_LIMIT });
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  if (config.trustProxy) app.set('trust proxy', trustProxySetting(config.trustProxy));
  app.use(securityHeaders({ graphiql: config.env !== 'production' }));
  // The operators' web console: the same app the nodes serve (it asks /auth which kind of server it is on).
  const consoleBuild = serveConsole(app, config.console.dist);
  if (!consoleBuild.served) {
    getLogger().info({ dir: consoleBuild.dir }, 'web console not built here: / answers 404');
  }
  await app.init();
  if (config.bootstrapOperator) {
    const created = await app
      .get(OperatorsService)
      .ensureOperator(config.bootstrapOperator.email, config.bootstrapOperator.password);
    if (created) getLogger().info({ operatorId: created.id }, 'first operator created from OPERATOR_EMAIL');
  }
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://${config.host}:${address.port}` };
}
