import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessTokens } from '#platform/auth/access-tokens';
import { PinoNestLogger } from '#platform/logging/logger';
import { parseExportLedgerArgs } from '#ledger/cli/export-args';
import { bootstrapFederation } from '../bootstrap.js';
import { loadFederationConfig, type FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { federationAccessTokens, federationDataSourceOptions } from '../database/federation-data-source.js';
import { EventsModule } from '../events/events.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { FederationLedgerModule } from '../ledger/federation-ledger.module.js';
import { FederationLedgerService } from '../ledger/federation-ledger.service.js';
import { OperatorsModule } from '../operators/operators.module.js';
import { OperatorsService } from '../operators/operators.service.js';
import { ALL_FEDERATION_ROLES, type FederationRole } from '../operators/role.js';
import { MembersRepository } from '../members/members.repository.js';
import { passwordProblem } from '#platform/auth/password-policy';

/**
 * The federation's commands of the operator CLI (`concordia federation …`): they work on the
 * federation's database from its environment (the same variables as the server).
 */
export const FEDERATION_USAGE = `  federation start                      Start the federation server (its migrations run at start)
  federation migrate                    Apply the federation's pending database migrations
  federation create-operator --email <e-mail> --name <name> [--roles operator,compliance]
                                        Create a network operator or compliance officer (password:
                                        CONCORDIA_PASSWORD, or asked for)
  federation export-ledger --out <file.json> [--from <seq>] [--to <size>]
                                        Sign a checkpoint of the federation ledger and write its
                                        export (entries, checkpoints, the signed messages they name,
                                        the keys): check it with verify-ledger`;

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
  /** `ledger`: also the federation's keys and ledger (export-ledger). */
  static forRoot(config: FederationConfig, options: { ledger?: boolean } = {}): DynamicModule {
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
        ...(options.ledger ? [EventsModule, KeysModule, FederationLedgerModule] : []),
      ],
      providers: [
        { provide: FEDERATION_CONFIG, useValue: config },
        // The operators' resolver needs it; the CLI issues no tokens.
        { provide: AccessTokens, useValue: federationAccessTokens(config) },
        // The ledger's export reads the members' keys through their owner's repository (the
        // members module itself, with its controller and resolvers, is not booted here).
        ...(options.ledger ? [MembersRepository] : []),
      ],
      exports: [FEDERATION_CONFIG, AccessTokens, ...(options.ledger ? [MembersRepository] : [])],
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
  const weak = passwordProblem(password);
  if (weak) {
    io.err(`the password ${weak}`);
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

async function exportLedger(config: FederationConfig, args: string[], io: FederationCliIo): Promise<number> {
  const { out, from, to } = parseExportLedgerArgs(
    args,
    'federation export-ledger',
    (m) => new FederationUsageError(m),
  );
  if (config.keyEncryption.isEphemeral) {
    io.err(
      "federation export-ledger: set KEY_ENCRYPTION_SECRET to the federation's secret: the checkpoint is signed with the federation's key",
    );
    return 1;
  }
  embeddedDir(config);
  // The CLI's own queue is in process and schedules nothing: the servers sequence and checkpoint
  // on their schedule; the export signs the checkpoint it needs itself.
  const cliConfig: FederationConfig = {
    ...config,
    redisUrl: undefined,
    ledger: { ...config.ledger, sequenceIntervalMs: 0, checkpointIntervalSeconds: 0 },
  };
  const app = await NestFactory.createApplicationContext(
    FederationCliModule.forRoot(cliConfig, { ledger: true }),
    { logger: false, abortOnError: false },
  );
  try {
    if (await app.get(DataSource).showMigrations()) {
      io.err('The federation database schema is not up to date: run `concordia federation migrate` first.');
      return 1;
    }
    const doc = await app.get(FederationLedgerService).export(from, to);
    await writeFile(out, `${JSON.stringify(doc)}\n`, { mode: 0o600 });
    io.out(
      `Exported ${doc.entries.length} federation ledger entries, ${doc.checkpoints.length} checkpoint(s) and ` +
        `${doc.messages?.length ?? 0} signed message(s) to ${out}; check it with: concordia verify-ledger ${out}`,
    );
    return 0;
  } finally {
    await app.close();
  }
}

/** Runs `concordia federation <command>`; returns the exit code. Usage errors throw FederationUsageError. */
export async function runFederationCli(argv: string[], io: FederationCliIo): Promise<number> {
  const [command, ...args] = argv;
  if (!command) {
    throw new FederationUsageError(
      'federation needs a command: start, migrate, create-operator, export-ledger',
    );
  }
  if (!['start', 'migrate', 'create-operator', 'export-ledger'].includes(command)) {
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
    case 'export-ledger':
      return exportLedger(config, args, io);
    default:
      return createOperator(config, args, io);
  }
}
