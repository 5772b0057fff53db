import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource } from 'typeorm';
import { parseExportLedgerArgs } from '#ledger/cli/export-args';
import { passwordProblem } from '#platform/auth/password-policy';
import { PinoNestLogger } from '#platform/logging/logger';
import { bootstrapNode } from '../bootstrap.js';
import type { PartnerNodeConfig } from '../config.js';
import { NodeLedgerService } from '../ledger/node-ledger.service.js';
import { ALL_ROLES, Role } from '../users/role.js';
import { CreateUserInput } from '../users/users.dto.js';
import { UsersService } from '../users/users.service.js';
import { UsageError, withApp, type CliIo } from './cli-context.js';
import { promptSecret } from './terminal.js';

// The node's own commands: start, migrate, create-user, export-ledger.

export async function migrateCommand(config: PartnerNodeConfig, io: CliIo): Promise<number> {
  return withApp(
    config,
    async (app) => {
      const applied = await app.get(DataSource).runMigrations({ transaction: 'each' });
      if (applied.length === 0) io.out('The database schema is up to date; nothing to apply.');
      else {
        io.out(`Applied ${applied.length} migration(s):`);
        for (const migration of applied) io.out(`  ${migration.name}`);
      }
      return 0;
    },
    false,
  );
}

export async function createUserCommand(
  config: PartnerNodeConfig,
  args: string[],
  io: CliIo,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, roles: { type: 'string' } },
    strict: true,
  });
  if (!values.email || !values.name || !values.roles) {
    throw new UsageError('create-user needs --email, --name and --roles (e.g. --roles admin,agent)');
  }
  const roles = values.roles
    .split(',')
    .map((r) => r.trim().toLowerCase())
    .filter(Boolean);
  const unknown = roles.filter((r) => !ALL_ROLES.includes(r as Role));
  if (unknown.length > 0 || roles.length === 0) {
    throw new UsageError(
      `--roles: unknown role(s) ${unknown.join(', ')}; the roles are ${ALL_ROLES.join(', ')}`,
    );
  }
  const password = io.env.CONCORDIA_PASSWORD || (await promptSecret('Password (at least 12 characters): '));
  const weak = passwordProblem(password);
  if (weak) {
    io.err(`--password: ${weak}`);
    return 1;
  }
  const input = plainToInstance(CreateUserInput, {
    email: values.email.trim(),
    displayName: values.name.trim(),
    roles: [...new Set(roles)],
    password,
  });
  const problems = await validate(input, { stopAtFirstError: true });
  if (problems.length > 0) {
    for (const problem of problems) {
      const field = problem.property === 'displayName' ? 'name' : problem.property;
      const rule = Object.values(problem.constraints ?? {})[0] ?? 'is not valid';
      io.err(`--${field}: ${rule.replace(/^\S+\s/, '')}`);
    }
    return 1;
  }
  return withApp(config, async (app) => {
    const user = await app.get(UsersService).create(input);
    io.out(`Created user ${user.id} with role(s) ${user.roles.join(', ')}.`);
    return 0;
  });
}

export async function exportLedgerCommand(
  config: PartnerNodeConfig,
  args: string[],
  io: CliIo,
): Promise<number> {
  const { out, from, to } = parseExportLedgerArgs(args, 'export-ledger', (m) => new UsageError(m));
  if (config.keyEncryption.isEphemeral) {
    io.err(
      "export-ledger: set KEY_ENCRYPTION_SECRET to the node's secret: the checkpoint is signed with the node's key",
    );
    return 1;
  }
  return withApp(config, async (app) => {
    const text = await app.get(NodeLedgerService).exportLedger(from, to);
    await writeFile(out, `${text}\n`, { mode: 0o600 });
    const doc = JSON.parse(text) as { entries?: unknown[]; checkpoints?: unknown[] };
    io.out(
      `Exported ${doc.entries?.length ?? 0} ledger entries and ${doc.checkpoints?.length ?? 0} checkpoint(s) to ${out}; ` +
        `check it with: concordia verify-ledger ${out}`,
    );
    return 0;
  });
}

export async function startCommand(config: PartnerNodeConfig, args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) throw new UsageError('start takes no arguments (configure it with the environment)');
  const { app, url } = await bootstrapNode(config, new PinoNestLogger());
  io.out(`Partner node ${config.partnerId} listening: GraphQL ${url}/graphql, health ${url}/health`);
  io.started?.(() => app.close());
  return 0;
}
