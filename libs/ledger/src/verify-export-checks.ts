import { isProtocolError } from '#protocol';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  MESSAGE_HASH_FIELD,
  type ExportedMessage,
  type LedgerExport,
} from './export-format.js';

// The export verifier's failures and its checks of shapes (pure): hashes, counts, embedded JWS,
// carried messages by seq, the export document itself.

/** A verification failure; `where` names the first bad entry or checkpoint ("entry seq 17"). */
export class ExportVerificationError extends Error {
  override readonly name = 'ExportVerificationError';
  constructor(
    readonly where: string,
    readonly problem: string,
    readonly seq?: number,
  ) {
    super(`${where}: ${problem}`);
  }
}

/** A carried message once verified: its kind, signing kid and claims. */
export interface VerifiedCarried {
  kind: string;
  kid: string;
  claims: Record<string, unknown>;
}

const HASH_B64 = /^[A-Za-z0-9+/]{43}=$/;

export function fail(where: string, problem: string, seq?: number): never {
  throw new ExportVerificationError(where, problem, seq);
}

export function describe(error: unknown): string {
  if (isProtocolError(error)) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

export function decodeHash(text: unknown, where: string, what: string, seq?: number): Buffer {
  if (typeof text !== 'string' || !HASH_B64.test(text))
    fail(where, `${what} is not a base64 SHA-256 hash`, seq);
  return Buffer.from(text, 'base64');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Every string found under a member named `jws` or ending in `Jws`, with its path. */
export function embeddedJws(
  value: unknown,
  path: string,
  found: [string, string][] = [],
): [string, string][] {
  if (Array.isArray(value)) value.forEach((item, i) => embeddedJws(item, `${path}[${i}]`, found));
  else if (isObject(value)) {
    for (const [key, member] of Object.entries(value)) {
      const memberPath = `${path}.${key}`;
      if ((key === 'jws' || key.endsWith('Jws')) && typeof member === 'string')
        found.push([memberPath, member]);
      else embeddedJws(member, memberPath, found);
    }
  }
  return found;
}

/** Carried messages grouped by the seq of the entry that names them (shapes checked). */
export function messagesBySeq(messages: unknown): Map<number, ExportedMessage[]> {
  const bySeq = new Map<number, ExportedMessage[]>();
  if (messages === undefined) return bySeq;
  if (!Array.isArray(messages)) fail('export', 'messages must be an array');
  for (const [i, m] of messages.entries()) {
    if (!isObject(m) || !isCount(m.seq) || typeof m.field !== 'string' || typeof m.jws !== 'string') {
      fail(`message ${i} of the export`, 'needs a seq, a field and a jws');
    }
    if (!MESSAGE_HASH_FIELD.test(m.field))
      fail(`message ${i} of the export`, `field "${m.field}" is not a hash field`);
    const list = bySeq.get(m.seq) ?? [];
    list.push({ seq: m.seq, field: m.field, jws: m.jws });
    bySeq.set(m.seq, list);
  }
  return bySeq;
}

export function checkShape(input: unknown): asserts input is LedgerExport {
  const where = 'export';
  if (!isObject(input)) fail(where, 'is not a JSON object');
  if (input.format !== EXPORT_FORMAT) fail(where, `is not a ${EXPORT_FORMAT} document`);
  if (input.version !== EXPORT_VERSION)
    fail(where, `format version ${String(input.version)} is not supported`);
  if (typeof input.origin !== 'string' || input.origin === '') fail(where, 'has no origin');
  if (!isCount(input.fromSeq) || !isCount(input.toSize) || !isCount(input.entryCount)) {
    fail(where, 'fromSeq, toSize and entryCount must be integers ≥ 0');
  }
  if (input.toSize < input.fromSeq) fail(where, 'toSize is below fromSeq');
  if (!Array.isArray(input.prefix) || !Array.isArray(input.entries) || !Array.isArray(input.checkpoints)) {
    fail(where, 'prefix, entries and checkpoints must be arrays');
  }
  const keys = input.keys as Record<string, unknown> | undefined;
  if (!isObject(keys) || !Array.isArray(keys.checkpoint) || !isObject(keys.jws)) {
    fail(where, 'keys must hold "checkpoint" (array) and "jws" (JWKS)');
  }
}
