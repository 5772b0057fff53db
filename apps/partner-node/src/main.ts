import 'reflect-metadata';
import { PinoNestLogger, getLogger } from '#platform/logging/logger';
import { ConfigError } from '#platform/errors/app-errors';
import { loadPartnerNodeConfig } from './config.js';
import { bootstrapNode } from './bootstrap.js';

async function main(): Promise<void> {
  process.env.SERVICE_NAME ??= 'partner-node';
  const config = loadPartnerNodeConfig();
  const { url } = await bootstrapNode(config, new PinoNestLogger());
  getLogger().info({ partnerId: config.partnerId, graphql: `${url}/graphql` }, 'partner node ready');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
