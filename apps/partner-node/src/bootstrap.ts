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
import { AppModule } from './app.module.js';
import type { PartnerNodeConfig } from './config.js';
import { UsersService } from './users/users.service.js';
import { NODE_ENDPOINT_PREFIX } from './sharing/node-protocol.controller.js';

export interface RunningNode {
  app: INestApplication;
  url: string;
}

/** Creates, configures and starts a partner node; used by main.ts, the CLI, the demo and the tests. */
export async function bootstrapNode(
  config: PartnerNodeConfig,
  logger: LoggerService | false = false,
): Promise<RunningNode> {
  // A batch's signatures and checks on worker threads, a message per batch (issue 17).
  useEd25519OffThread(ed25519Workers());
  if (!config.database.url && !config.database.embeddedDataDir.startsWith('memory://')) {
    mkdirSync(config.database.embeddedDataDir, { recursive: true });
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    bodyParser: false,
  });
  // The protocol endpoint checks the relay token first, then reads the body itself (readJsonBody).
  useBodyParsers(app, `/${NODE_ENDPOINT_PREFIX}/`);
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  if (config.trustProxy) app.set('trust proxy', trustProxySetting(config.trustProxy));
  app.use(securityHeaders({ graphiql: config.env !== 'production' }));
  const consoleBuild = serveConsole(app, config.console.dist);
  if (!consoleBuild.served) {
    getLogger().info({ dir: consoleBuild.dir }, 'web console not built here: / answers 404');
  }
  await app.init();
  if (config.bootstrapAdmin) {
    const created = await app
      .get(UsersService)
      .ensureAdmin(config.bootstrapAdmin.email, config.bootstrapAdmin.password);
    if (created) getLogger().info({ userId: created.id }, 'first admin created from ADMIN_EMAIL');
  }
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://${config.host}:${address.port}` };
}
