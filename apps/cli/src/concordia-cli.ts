import {
  FEDERATION_USAGE,
  FederationUsageError,
  runFederationCli,
} from '../../federation/src/cli/federation-cli.js';
import {
  CSV_HELP,
  NODE_USAGE,
  USAGE_FOOTER,
  USAGE_HEADER,
  defaultIo,
  reportCliError,
  runCli,
  type CliIo,
} from '../../partner-node/src/cli/commands.js';
import { promptSecret } from '../../partner-node/src/cli/terminal.js';

/**
 * The `concordia` operator CLI: one tool for whoever runs a partner node or a federation. It is the
 * one place that may import both apps (they never import each other): `federation …` commands go
 * to the federation's CLI, every other command to the partner node's.
 */
export const USAGE = `${USAGE_HEADER}${NODE_USAGE}

Federation commands (on the federation's database, from its environment):
${FEDERATION_USAGE}

${USAGE_FOOTER}`;

/** Runs one command; returns the process exit code. */
export async function runConcordiaCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.out(args[0] === 'csv' ? CSV_HELP : USAGE);
    return command ? 0 : 2;
  }
  if (command !== 'federation') return runCli(argv, io);
  try {
    return await runFederationCli(args, { ...io, readSecret: promptSecret });
  } catch (error) {
    return reportCliError(error, io, error instanceof FederationUsageError);
  }
}
