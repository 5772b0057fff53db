import { createReadStream, mkdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource } from 'typeorm';
import { passwordProblem } from '#platform/auth/password-policy';
import { describeColumns } from '#platform/csv/csv-columns';
import { AppError, ConfigError } from '#platform/errors/app-errors';
import { loadPartnerNodeConfig, type PartnerNodeConfig } from '../config.js';
import { CustomerExportService } from '../import-export/customer-export.service.js';
import { CUSTOMER_COLUMNS } from '../import-export/customer-csv.js';
import { CustomerImportService } from '../import-export/customer-import.service.js';
import type { ImportReport } from '../import-export/import-report.js';
import { ORDER_COLUMNS } from '../import-export/order-csv.js';
import { OrderImportService } from '../import-export/order-import.service.js';
import { ConsentImportService, type ConsentImportReport } from '../consents/consent-import.service.js';
import { ALL_ROLES, Role } from '../users/role.js';
import { CreateUserInput } from '../users/users.dto.js';
import { UsersService } from '../users/users.service.js';
import { runTrustCommand, TRUST_COMMANDS, TRUST_USAGE } from '../network/network.cli.js';
import {
  ACCESS_REPORT_COMMAND,
  ACCESS_REPORT_USAGE,
  runAccessReportCommand,
} from '../compliance/compliance.cli.js';
import { NodeLedgerService } from '../ledger/node-ledger.service.js';
import { bootstrapNode } from '../bootstrap.js';
import { PinoNestLogger } from '#platform/logging/logger';
import { runAudit } from '#ledger/cli/audit';
import { parseExportLedgerArgs } from '#ledger/cli/export-args';
import { CliModule } from './cli.module.js';
import { importProgressBar, promptSecret } from './terminal.js';

/** The first lines of the CLI's help. */
export const USAGE_HEADER = `Concordia — the operator's command-line tool

Usage: concordia <command> [options]

`;

/** The partner node's commands, as the help lists them. */
export const NODE_USAGE = `Partner node commands (on the node's database, from its environment):
  start                                 Start the partner node server (migrations run at start
                                        unless RUN_MIGRATIONS=false)
  migrate                               Apply the pending database migrations
  create-user --email <e-mail> --name <name> --roles <role,role>
                                        Create a user (roles: ${ALL_ROLES.join(', ')}); the password is
                                        read from CONCORDIA_PASSWORD, or asked for
  import-customers <file.csv> [--skip-invalid] [--check] [--report <problems.csv>] [--json]
                                        Import customers (upsert by external_id)
  import-orders <file.csv> [--skip-invalid] [--check] [--report <problems.csv>] [--json]
                                        Import orders, one row per order line (upsert by order_external_id)
  import-consents <file.csv> --notice <privacy notice id> [--json]
                                        Import consents the customers already gave (all or nothing):
                                        each signed, stored, ledgered and registered with the
                                        federation per recipient
  export-customer <id> [--external-id] [--out <file.json>]
                                        Print everything held about one customer as JSON
${TRUST_USAGE}
${ACCESS_REPORT_USAGE}
  export-ledger --out <file.json> [--from <seq>] [--to <size>]
                                        Sign a checkpoint of the node's ledger and export entries
                                        [from, to) with checkpoints, proofs and keys, for verify-ledger
  verify-ledger <export.json> [--keys <jwks.json>]
                                        Verify a ledger export offline (no database, no network):
                                        entries, leaf hashes, roots, signatures, consistency;
                                        --keys pins the accepted keys (e.g. the federation's directory)`;

/** The help's last lines: `help` itself and how imports, databases and exit codes behave. */
export const USAGE_FOOTER = `  help [csv]                            This help; "help csv" describes the CSV columns

Imports are all or nothing: when any row is bad, every bad row is listed with its line number and
nothing is written (exit code 1). With --skip-invalid the good rows are imported and the bad ones
listed (exit code 0). Re-importing a file changes nothing.

The database is the node's: DATABASE_URL, or the embedded one in DATA_DIR (default .data/partner-node);
an embedded database is used by one process at a time, so stop the node before using the CLI on it.
Exit codes: 0 done, 1 failed or refused, 2 wrong usage.`;

/** The node's help (the `concordia` CLI of apps/cli adds the federation's commands). */
export const USAGE = `${USAGE_HEADER}${NODE_USAGE}\n\n${USAGE_FOOTER}`;

export const CSV_HELP = `Customers CSV (UTF-8, comma-separated, header line, one customer per line):

${describeColumns(CUSTOMER_COLUMNS)}

Orders CSV (one row per order line; rows with the same order_external_id form one order, and its
order-level columns must be equal on each of them; totals are computed by the server):

${describeColumns(ORDER_COLUMNS)}`;

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

class UsageError extends Error {}

const number = (n: number) => n.toLocaleString('en');

/** Boots the CLI's Nest context on the node's database; checks that the schema is current. */
async function boot(config: PartnerNodeConfig, migrate: boolean): Promise<INestApplicationContext> {
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

async function withApp<T>(
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

async function migrateCommand(config: PartnerNodeConfig, io: CliIo): Promise<number> {
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

async function createUserCommand(config: PartnerNodeConfig, args: string[], io: CliIo): Promise<number> {
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

function printReport(file: string, report: ImportReport, io: CliIo, skipInvalid: boolean): void {
  const name = basename(file);
  if (report.fileProblems.length > 0) {
    io.err(`${name}: cannot be imported:`);
    for (const problem of report.fileProblems) io.err(`  ${problem}`);
  }
  const seconds = report.durationMs / 1000;
  const rate = seconds > 0 ? Math.round(report.rows / seconds) : report.rows;
  io.out(`${name}: ${number(report.rows)} rows in ${seconds.toFixed(1)} s (${number(rate)} rows/s).`);
  if (report.badRows > 0) {
    const shown = report.problems.slice(0, 100);
    io.err(`${number(report.badRows)} bad row(s):`);
    for (const problem of shown) io.err(`  line ${problem.line}: ${problem.reason}`);
    if (report.badRows > shown.length)
      io.err(`  … and ${number(report.badRows - shown.length)} more (see --report <file.csv> for the list)`);
  }
  if (report.notCounted) io.err(notCountedWarning(report.notCounted));
  if (report.dryRun) {
    io.out('Checked only (--check): nothing was written. Run again without --check to import.');
    return;
  }
  if (!report.written) {
    io.err(
      report.badRows > 0 && !skipInvalid && report.fileProblems.length === 0
        ? 'Nothing was written. Fix the rows above, or import the good ones with --skip-invalid.'
        : 'Nothing was written.',
    );
    return;
  }
  const what = report.kind === 'customers' ? 'customers' : 'orders';
  const details = Object.entries(report.details)
    .map(([key, value]) => `${key} written ${number(value)}`)
    .join(', ');
  io.out(
    `Imported ${what}: ${number(report.inserted)} created, ${number(report.updated)} updated, ` +
      `${number(report.unchanged)} unchanged${details ? `; ${details}` : ''}.`,
  );
}

/** Said before (with --check) or after an import: these orders will count for nothing in statistics. */
export function notCountedWarning(notCounted: NonNullable<ImportReport['notCounted']>): string {
  const statuses = Object.entries(notCounted.byStatus)
    .map(([status, orders]) => `${status}: ${number(orders)}`)
    .join(', ');
  return (
    `Warning: ${number(notCounted.orders)} of ${number(notCounted.ofOrders)} order(s) will not count in sales ` +
    `statistics, RFM or segment rules (${statuses}); only ${notCounted.countedStatuses.join(', ')} count.` +
    (notCounted.statusColumnMissing
      ? ' The file has no status column, so every order becomes "pending": add a status column (e.g. delivered).'
      : '')
  );
}

async function writeProblems(path: string, report: ImportReport): Promise<void> {
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const lines = ['line,reason', ...report.problems.map((p) => `${p.line},${quote(p.reason)}`)];
  for (const problem of report.fileProblems) lines.push(`,${quote(problem)}`);
  await writeFile(path, `${lines.join('\n')}\n`);
}

async function importCommand(
  kind: 'customers' | 'orders',
  config: PartnerNodeConfig,
  args: string[],
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      'skip-invalid': { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      report: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError(`import-${kind} needs one CSV file`);
  const file = positionals[0];
  const size = await stat(file).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  );
  if (size === undefined) {
    io.err(`${file}: no such file`);
    return 1;
  }
  const skipInvalid = values['skip-invalid'];
  const report = await withApp(config, async (app) => {
    const service = kind === 'customers' ? app.get(CustomerImportService) : app.get(OrderImportService);
    const bar = values.json ? undefined : importProgressBar(`import ${kind}`, size);
    try {
      return await service.import(createReadStream(file, { highWaterMark: 1024 * 1024 }), {
        skipInvalid,
        dryRun: values.check,
        onProgress: (progress) => bar?.update(progress),
        onMerge: () => {
          bar?.stop();
          if (!values.json && process.stderr.isTTY) io.err('Merging into the database…');
        },
      });
    } finally {
      bar?.stop();
    }
  });
  if (values.report) await writeProblems(values.report, report);
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else printReport(file, report, io, skipInvalid);
  return report.written || (report.dryRun && report.badRows === 0 && report.fileProblems.length === 0)
    ? 0
    : 1;
}

/**
 * Consents already given, from a CSV against one published notice version: checked, signed,
 * stored with their ledger entries and registered with the federation, or nothing stored when
 * any line is refused (each named with its line and field).
 */
async function importConsentsCommand(config: PartnerNodeConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { notice: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('import-consents needs one CSV file');
  if (!values.notice) throw new UsageError('import-consents needs --notice <privacy notice id>');
  const file = positionals[0];
  const isFile = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) {
    io.err(`${file}: no such file`);
    return 1;
  }
  const report = await withApp(config, (app) =>
    app
      .get(ConsentImportService)
      .import(createReadStream(file, { highWaterMark: 1024 * 1024 }), { privacyNoticeId: values.notice! }),
  );
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else printConsentReport(file, report, io);
  return report.written ? 0 : 1;
}

function printConsentReport(file: string, report: ConsentImportReport, io: CliIo): void {
  const name = basename(file);
  for (const problem of report.fileProblems) io.err(`${name}: cannot be imported: ${problem}`);
  const seconds = report.durationMs / 1000;
  io.out(`${name}: ${number(report.rows)} consents in ${seconds.toFixed(1)} s.`);
  if (report.badRows > 0) {
    io.err(`${number(report.badRows)} refused line(s):`);
    for (const p of report.problems.slice(0, 100)) io.err(`  line ${p.line}: ${p.field} ${p.reason}`);
    if (report.badRows > 100)
      io.err(`  … and ${number(report.badRows - 100)} more (--json lists up to 1,000)`);
  }
  if (!report.written) {
    io.err('Nothing was stored.');
    return;
  }
  io.out(
    `Imported ${number(report.consentIds.length)} consents: signed, stored and registered with the federation.`,
  );
}

async function exportCommand(config: PartnerNodeConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'external-id': { type: 'boolean', default: false }, out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('export-customer needs one customer id');
  return withApp(config, async (app) => {
    const service = app.get(CustomerExportService);
    const id = values['external-id'] ? await service.idOfExternal(positionals[0]) : positionals[0];
    const document = JSON.stringify(await service.export(id), null, 2);
    if (values.out) {
      // Personal data: readable by its owner only.
      await writeFile(values.out, `${document}\n`, { mode: 0o600 });
      io.err(`Customer ${id} exported to ${values.out}.`);
    } else {
      io.out(document);
    }
    return 0;
  });
}

async function exportLedgerCommand(config: PartnerNodeConfig, args: string[], io: CliIo): Promise<number> {
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

async function startCommand(config: PartnerNodeConfig, args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) throw new UsageError('start takes no arguments (configure it with the environment)');
  const { app, url } = await bootstrapNode(config, new PinoNestLogger());
  io.out(`Partner node ${config.partnerId} listening: GraphQL ${url}/graphql, health ${url}/health`);
  io.started?.(() => app.close());
  return 0;
}

/** Runs one command; returns the process exit code. Errors are reported without personal data. */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      io.out(args[0] === 'csv' ? CSV_HELP : USAGE);
      return command ? 0 : 2;
    }
    if (command === 'verify-ledger') {
      return runAudit(['verify', ...args], {
        out: io.out,
        err: io.err,
        readFile: (path) => readFileSync(path, 'utf8'),
      });
    }
    const known = [
      'start',
      'export-ledger',
      'migrate',
      'create-user',
      'import-customers',
      'import-orders',
      'import-consents',
      'export-customer',
      ...TRUST_COMMANDS,
      ACCESS_REPORT_COMMAND,
    ];
    if (!known.includes(command)) throw new UsageError(`unknown command "${command}"`);
    const config = loadPartnerNodeConfig(io.env);
    switch (command) {
      case 'start':
        return await startCommand(config, args, io);
      case 'export-ledger':
        return await exportLedgerCommand(config, args, io);
      case 'migrate':
        if (args.length > 0) throw new UsageError('migrate takes no arguments');
        return await migrateCommand(config, io);
      case 'create-user':
        return await createUserCommand(config, args, io);
      case 'import-customers':
        return await importCommand('customers', config, args, io);
      case 'import-orders':
        return await importCommand('orders', config, args, io);
      case 'import-consents':
        return await importConsentsCommand(config, args, io);
      case 'register':
      case 'rotate-keys':
      case 'agreements':
        return await withApp(config, (app) => runTrustCommand(command, app, args, io));
      case ACCESS_REPORT_COMMAND:
        return await withApp(config, (app) => runAccessReportCommand(app, args, io));
      default:
        return await exportCommand(config, args, io);
    }
  } catch (error) {
    return reportCliError(error, io, error instanceof UsageError);
  }
}

/**
 * How a failed command ends: wrong usage (exit code 2, with the way to the help), a refusal of the
 * configuration or the application (1, its message), anything else (1, its message only: database
 * errors may quote values, so no stack and no parameters).
 */
export function reportCliError(error: unknown, io: Pick<CliIo, 'err'>, usage: boolean): number {
  if (usage || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    io.err(`concordia: ${(error as Error).message}\nRun "concordia help" for the usage.`);
    return 2;
  }
  if (error instanceof ConfigError || error instanceof AppError) {
    io.err(error.message);
    return 1;
  }
  io.err(`concordia: failed: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
