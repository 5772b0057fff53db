import 'reflect-metadata';
import { ConfigError } from '#platform/errors/app-errors';
import { PinoNestLogger, getLogger } from '#platform/logging/logger';
import { bootstrapFederation } from './bootstrap.js';
import { loadFederationConfig } from './config.js';

async function main(): Promise<void> {
  process.env.SERVICE_NAME ??= 'federation';
  const config = loadFederationConfig();
  const { url } = await bootstrapFederation(config, new PinoNestLogger());
  getLogger().info({ federationId: config.federationId, graphql: `${url}/graphql` }, 'federation ready');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
