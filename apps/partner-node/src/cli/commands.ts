import { readFileSync } from 'node:fs';
import { runAudit } from '#ledger/cli/audit';
import { AppError, ConfigError } from '#platform/errors/app-errors';
import { ACCESS_REPORT_COMMAND, runAccessReportCommand } from '../compliance/compliance.cli.js';
import { loadPartnerNodeConfig } from '../config.js';
import { runTrustCommand, TRUST_COMMANDS } from '../network/network.cli.js';
import { defaultIo, UsageError, withApp, type CliIo } from './cli-context.js';
import { exportCommand, importCommand, importConsentsCommand } from './data.commands.js';
import { createUserCommand, exportLedgerCommand, migrateCommand, startCommand } from './node.commands.js';
import { CSV_HELP, USAGE } from './usage.js';

// The partner node's CLI: one command per run. Its commands are grouped in node.commands.ts (start,
// migrate, users, ledger export), data.commands.ts (imports and exports), network/network.cli.ts
// (trust) and compliance/compliance.cli.ts (access report); the help is in usage.ts.
export { defaultIo, type CliIo } from './cli-context.js';
export { notCountedWarning } from './data.commands.js';
export { CSV_HELP, NODE_USAGE, USAGE, USAGE_FOOTER, USAGE_HEADER } from './usage.js';

/** Runs one command; returns the process exit code. Errors are reported without personal data. */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      io.out(args[0] === 'csv' ? CSV_HELP : USAGE);
      return command ? 0 : 2;
    }
    if (command === 'verify-ledger') {
      return await runAudit(['verify', ...args], {
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
