/**
 * Writes the partner node's GraphQL schema to schema.graphql (`npm run schema`), or checks that the
 * committed file is current (`npm run schema:check`, run by CI). The schema is generated from the
 * code (code first) by booting the node on an in-memory embedded database: no servers needed.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { AppModule } from '../apps/partner-node/src/app.module.js';
import { loadPartnerNodeConfig } from '../apps/partner-node/src/config.js';

const FILE = new URL('../../schema.graphql', import.meta.url);

async function main(): Promise<void> {
  const config = loadPartnerNodeConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://', PORT: '0' });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  await app.init();
  const schema = app.get(GraphQLSchemaHost).schema;
  const text = `# Generated from the code by \`npm run schema\`. Do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
  await app.close();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(FILE, 'utf8');
    } catch {
      // missing file: reported below
    }
    if (committed !== text) {
      console.error('schema.graphql is stale: run `npm run schema` and commit the result.');
      process.exit(1);
    }
    console.log('schema.graphql is current.');
  } else {
    writeFileSync(FILE, text);
    console.log('schema.graphql written.');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
