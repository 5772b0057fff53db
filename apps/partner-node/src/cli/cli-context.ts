import { mkdirSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { PartnerNodeConfig } from '../config.js';
import { CliModule } from './cli.module.js';

/** Where a command writes, and its environment (tests pass their own). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Told how to stop a server started by `start` (tests close it; the CLI leaves it running). */
  started?(close: () => Promise<void>): void;
}

export const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
};

/** Wrong usage of a command: exit code 2, with the way to the help. */
export class UsageError extends Error {}

/** A count as the CLI prints it (1,234). */
export const number = (n: number) => n.toLocaleString('en');

/** Boots the CLI's Nest context on the node's database; checks that the schema is current. */
export async function boot(config: PartnerNodeConfig, migrate: boolean): Promise<INestApplicationContext> {
  if (!config.database.url && !config.database.embeddedDataDir.startsWith('memory://')) {
    mkdirSync(config.database.embeddedDataDir, { recursive: true });
  }
  const app = await NestFactory.createApplicationContext(
    CliModule.forRoot(config, { runMigrations: migrate && config.database.runMigrations }),
    { logger: false, abortOnError: false },
  );
  if (migrate && (await app.get(DataSource).showMigrations())) {
    await app.close();
    throw new Error('The database schema is not up to date: run `concordia migrate` first.');
  }
  return app;
}

/** Runs `work` on a booted CLI context and closes it. */
export async function withApp<T>(
  config: PartnerNodeConfig,
  work: (app: INestApplicationContext) => Promise<T>,
  migrate = true,
): Promise<T> {
  const app = await boot(config, migrate);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
