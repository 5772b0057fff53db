import { parseArgs } from 'node:util';

/** What `export-ledger --out <file.json> [--from <seq>] [--to <size>]` asks for. */
export interface ExportLedgerArgs {
  out: string;
  from?: number;
  to?: number;
}

/**
 * Reads the arguments of an `export-ledger` command (the node's and the federation's): `usage`
 * makes the caller's usage error, naming `command` or the bad option.
 */
export function parseExportLedgerArgs(
  args: string[],
  command: string,
  usage: (message: string) => Error,
): ExportLedgerArgs {
  const { values } = parseArgs({
    args,
    options: { out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    strict: true,
  });
  if (!values.out) throw usage(`${command} needs --out <file.json>`);
  const whole = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 0) throw usage(`--${name} must be a whole number ≥ 0`);
    return n;
  };
  return { out: values.out, from: whole('from', values.from), to: whole('to', values.to) };
}
