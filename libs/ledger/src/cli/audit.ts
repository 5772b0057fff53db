#!/usr/bin/env node
/**
 * The auditor's offline verifier of ledger exports. No database, no network.
 *
 *   audit verify <export.json> [--keys federation-jwks.json]
 *
 * Exit status: 0 verified, 1 verification failed (the first bad entry or checkpoint is named),
 * 2 unusable input (usage, unreadable file, not JSON).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { importJwks, isProtocolError, type Jwks, type OkpPublicJwk } from '#protocol';
import { ExportVerificationError, verifyExportOffThread } from '../verify-export.js';

export interface AuditIo {
  out(line: string): void;
  err(line: string): void;
  readFile(path: string): string;
}

const USAGE = `usage: audit verify <export.json> [--keys <jwks.json>]

Verifies a Concordia ledger export offline: canonical entries, leaf hashes, gap-free seqs, the
root at every checkpoint, checkpoint signatures, consistency between checkpoints, the JWS
embedded in entries and the signed messages (consents, agreements, envelopes, purge receipts,
membership statements) that entries name by hash, and a node's evidence: each receipt's record
hashes against the envelope's signed root, each signer's key against the membership statement the
entry names. --keys pins the accepted keys (a JWKS, e.g. the federation's key directory);
without it the keys listed in the export are used.`;

class InputError extends Error {}

function readJson(io: AuditIo, path: string, what: string): unknown {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what} ${path}${code ? ` (${code})` : ''}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${what} ${path} is not valid JSON (is it cut short?)`);
  }
}

/** Accepts a JWKS, or an array of JWKS / keys (several directories together). */
function readKeys(io: AuditIo, path: string): Jwks {
  const input = readJson(io, path, 'key file');
  const list = Array.isArray(input) ? input : [input];
  const keys: OkpPublicJwk[] = [];
  try {
    for (const item of list) {
      const jwks = item && typeof item === 'object' && 'keys' in item ? item : { keys: [item] };
      for (const key of importJwks(jwks).keys) if (!keys.some((k) => k.kid === key.kid)) keys.push(key);
    }
  } catch (error) {
    throw new InputError(`key file ${path}: ${isProtocolError(error) ? error.message : 'not a JWKS'}`);
  }
  return { keys };
}

export async function runAudit(argv: readonly string[], io: AuditIo): Promise<number> {
  try {
    const args = [...argv];
    if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
      io.out(USAGE);
      return args.length === 0 ? 2 : 0;
    }
    const command = args.shift();
    if (command !== 'verify') throw new InputError(`unknown command "${command}"\n${USAGE}`);
    let keysPath: string | undefined;
    const files: string[] = [];
    while (args.length > 0) {
      const arg = args.shift() as string;
      if (arg === '--keys') {
        keysPath = args.shift();
        if (!keysPath) throw new InputError('--keys needs a file');
      } else if (arg.startsWith('--keys=')) keysPath = arg.slice('--keys='.length);
      else if (arg.startsWith('-')) throw new InputError(`unknown option ${arg}\n${USAGE}`);
      else files.push(arg);
    }
    if (files.length !== 1) throw new InputError(`verify takes one export file\n${USAGE}`);
    const file = files[0] as string;
    const trustedKeys = keysPath ? readKeys(io, keysPath) : undefined;
    const doc = readJson(io, file, 'export');
    const started = performance.now();
    // Signatures on the threadpool: an export carries thousands of them, and the auditor has cores.
    const report = await verifyExportOffThread(doc, { trustedKeys });
    const seconds = (performance.now() - started) / 1000;
    const sizes = report.checkpointSizes;
    io.out(`Ledger export ${file}`);
    io.out(`  origin        ${report.origin}`);
    io.out(
      `  entries       ${report.entries}${report.firstSeq === null ? '' : ` (seq ${report.firstSeq} … ${report.lastSeq})`}`,
    );
    io.out(
      `  checkpoints   ${report.checkpoints}${sizes.length ? ` (sizes ${sizes[0]} … ${sizes.at(-1)})` : ''}, signed by ${report.signers.join(', ') || 'nobody'}`,
    );
    io.out(`  embedded JWS  ${report.jwsVerified} verified`);
    io.out(
      `  signed msgs   ${report.messagesVerified} verified (${report.statementsVerified} membership statements)`,
    );
    io.out(
      `  evidence      ${report.receiptsVerified} receipts of envelopes (signed root = record hashes), ${report.purgeReceiptsVerified} purge receipts`,
    );
    io.out(
      `  keys          ${report.keysPinned ? `pinned by ${keysPath}` : 'taken from the export (pass --keys to pin them to a trusted JWKS)'}`,
    );
    io.out(
      `OK: entries, leaf hashes, roots, signatures and consistency proofs verify (${seconds.toFixed(2)} s).`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ExportVerificationError) {
      io.err(`FAILED: ${error.message}`);
      return 1;
    }
    if (error instanceof InputError) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  process.exitCode = await runAudit(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readFile: (path) => readFileSync(path, 'utf8'),
  });
}
