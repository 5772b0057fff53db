import { mkdirSync } from 'node:fs';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FederationModule } from './app.module.js';
import type { FederationConfig } from './config.js';

export interface RunningFederation {
  app: INestApplication;
  url: string;
}

export async function bootstrapFederation(
  config: FederationConfig,
  logger: LoggerService | false = false,
): Promise<RunningFederation> {
  if (!config.database.url && !config.database.embeddedDataDir.startsWith('memory://')) {
    mkdirSync(config.database.embeddedDataDir, { recursive: true });
  }
  const app = await NestFactory.create(FederationModule.forRoot(config), { logger });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://${config.host}:${address.port}` };
}
