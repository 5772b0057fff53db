/**
 * Writes the GraphQL schemas generated from the code (code first): the partner node's to
 * schema.graphql and the federation's to schema.federation.graphql (`npm run schema`), or checks that
 * the committed files are current (`npm run schema:check`, run by CI). Each service is booted on an
 * in-memory embedded database: no servers needed. The console's typed operations come from both.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const EMBEDDED = { NODE_ENV: 'test', DATA_DIR: 'memory://', PORT: '0' };

/**
 * Each schema is printed by its own process: @nestjs/graphql keeps decorated types in one global
 * store, so loading both apps in one process would mix their types into both schemas.
 */
const SCHEMAS: Record<string, { file: string; module: () => Promise<DynamicModule> }> = {
  node: {
    file: 'schema.graphql',
    module: async () => {
      const { AppModule } = await import('../apps/partner-node/src/app.module.js');
      const { loadPartnerNodeConfig } = await import('../apps/partner-node/src/config.js');
      return AppModule.forRoot(loadPartnerNodeConfig(EMBEDDED));
    },
  },
  federation: {
    file: 'schema.federation.graphql',
    module: async () => {
      const { FederationModule } = await import('../apps/federation/src/app.module.js');
      const { loadFederationConfig } = await import('../apps/federation/src/config.js');
      return FederationModule.forRoot(
        loadFederationConfig({ ...EMBEDDED, LEDGER_SEQUENCE_INTERVAL_MS: '0' }),
      );
    },
  },
};

async function printed(module: DynamicModule): Promise<string> {
  const app = await NestFactory.create(module, { logger: false });
  await app.init();
  const schema = app.get(GraphQLSchemaHost).schema;
  const text = `# Generated from the code by \`npm run schema\`. Do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
  await app.close();
  return text;
}

/** One service's schema: written, or compared with the committed file; false when stale. */
async function one(service: string, check: boolean): Promise<boolean> {
  const { file, module } = SCHEMAS[service]!;
  const url = new URL(`../../${file}`, import.meta.url);
  const text = await printed(await module());
  if (!check) {
    writeFileSync(url, text);
    console.log(`${file} written.`);
    return true;
  }
  let committed = '';
  try {
    committed = readFileSync(url, 'utf8');
  } catch {
    // missing file: reported below
  }
  if (committed !== text) {
    console.error(`${file} is stale: run \`npm run schema\` and commit the result.`);
    return false;
  }
  console.log(`${file} is current.`);
  return true;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const only = process.argv[process.argv.indexOf('--only') + 1];
  if (process.argv.includes('--only') && only) {
    if (!(await one(only, check))) process.exit(1);
    return;
  }
  let ok = true;
  for (const service of Object.keys(SCHEMAS)) {
    const args = [fileURLToPath(import.meta.url), '--only', service, ...(check ? ['--check'] : [])];
    ok = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'pipe'] }).status === 0 && ok;
  }
  if (!ok) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
