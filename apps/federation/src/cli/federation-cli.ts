import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessTokens } from '#platform/auth/access-tokens';
import { PinoNestLogger } from '#platform/logging/logger';
import { bootstrapFederation } from '../bootstrap.js';
import { loadFederationConfig, type FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { federationAccessTokens, federationDataSourceOptions } from '../database/federation-data-source.js';
import { OperatorsModule } from '../operators/operators.module.js';
import { OperatorsService } from '../operators/operators.service.js';
import { ALL_FEDERATION_ROLES, type FederationRole } from '../operators/role.js';

/**
 * The federation's commands of the operator CLI (`concordia federation …`): they work on the
 * federation's database from its environment (the same variables as the server).
 * TODO(federation-ledger): `federation export-ledger` belongs here once the federation keeps its
 * Merkle ledger (its HTTP export and `verifyExport` come with it).
 */
export const FEDERATION_USAGE = `  federation start                      Start the federation server (its migrations run at start)
  federation migrate                    Apply the federation's pending database migrations
  federation create-operator --email <e-mail> --name <name> [--roles operator,compliance]
                                        Create a network operator or compliance officer (password:
                                        CONCORDIA_PASSWORD, or asked for)`;

export interface FederationCliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Reads the password when CONCORDIA_PASSWORD is not set. */
  readSecret(question: string): Promise<string>;
  /** Told how to stop a server started by `start` (tests close it; the CLI leaves it running). */
  started?(close: () => Promise<void>): void;
}

export class FederationUsageError extends Error {}

@Module({})
class FederationCliModule {
  static forRoot(config: FederationConfig): DynamicModule {
    return {
      module: FederationCliModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...federationDataSourceOptions(config, Math.min(config.database.poolSize, 2)),
          autoLoadEntities: true,
          migrationsRun: false,
        }),
        OperatorsModule,
      ],
      providers: [
        { provide: FEDERATION_CONFIG, useValue: config },
        // The operators' resolver needs it; the CLI issues no tokens.
        { provide: AccessTokens, useValue: federationAccessTokens(config) },
      ],
      exports: [FEDERATION_CONFIG, AccessTokens],
    };
  }
}

function embeddedDir(config: FederationConfig): void {
  if (!config.database.url && !config.database.embeddedDataDir.startsWith('memory://')) {
    mkdirSync(config.database.embeddedDataDir, { recursive: true });
  }
}

async function migrate(config: FederationConfig, io: FederationCliIo): Promise<number> {
  embeddedDir(config);
  const dataSource = new DataSource(federationDataSourceOptions(config, 1));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length === 0) io.out('The federation database schema is up to date; nothing to apply.');
    else {
      io.out(`Applied ${applied.length} migration(s):`);
      for (const migration of applied) io.out(`  ${migration.name}`);
    }
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

async function createOperator(
  config: FederationConfig,
  args: string[],
  io: FederationCliIo,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      roles: { type: 'string', default: 'operator' },
    },
    strict: true,
  });
  if (!values.email || !values.name) {
    throw new FederationUsageError('federation create-operator needs --email and --name');
  }
  const roles = [
    ...new Set(
      values.roles
        .split(',')
        .map((r) => r.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const unknown = roles.filter((r) => !ALL_FEDERATION_ROLES.includes(r as FederationRole));
  if (roles.length === 0 || unknown.length > 0) {
    throw new FederationUsageError(
      `--roles: unknown role(s) ${unknown.join(', ')}; the roles are ${ALL_FEDERATION_ROLES.join(', ')}`,
    );
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) {
    io.err('--email: must be an e-mail address');
    return 1;
  }
  const password = io.env.CONCORDIA_PASSWORD || (await io.readSecret('Password (at least 12 characters): '));
  if (password.length < 12) {
    io.err('the password must be at least 12 characters');
    return 1;
  }
  embeddedDir(config);
  const app = await NestFactory.createApplicationContext(FederationCliModule.forRoot(config), {
    logger: false,
    abortOnError: false,
  });
  try {
    if (await app.get(DataSource).showMigrations()) {
      io.err('The federation database schema is not up to date: run `concordia federation migrate` first.');
      return 1;
    }
    const operator = await app.get(OperatorsService).create({
      email: values.email.trim(),
      displayName: values.name.trim(),
      roles: roles as FederationRole[],
      password,
    });
    io.out(`Created operator ${operator.id} with role(s) ${operator.roles.join(', ')}.`);
    return 0;
  } finally {
    await app.close();
  }
}

/** Runs `concordia federation <command>`; returns the exit code. Usage errors throw FederationUsageError. */
export async function runFederationCli(argv: string[], io: FederationCliIo): Promise<number> {
  const [command, ...args] = argv;
  if (!command) throw new FederationUsageError('federation needs a command: start, migrate, create-operator');
  if (!['start', 'migrate', 'create-operator'].includes(command)) {
    throw new FederationUsageError(`unknown federation command "${command}"`);
  }
  const config = loadFederationConfig(io.env);
  switch (command) {
    case 'start': {
      if (args.length > 0) throw new FederationUsageError('federation start takes no arguments');
      const { app, url } = await bootstrapFederation(config, new PinoNestLogger());
      io.out(`Federation ${config.federationId} listening: GraphQL ${url}/graphql, health ${url}/health`);
      io.started?.(() => app.close());
      return 0;
    }
    case 'migrate':
      if (args.length > 0) throw new FederationUsageError('federation migrate takes no arguments');
      return migrate(config, io);
    default:
      return createOperator(config, args, io);
  }
}
