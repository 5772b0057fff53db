import { canonicalize, leafHash, parseCanonical, ProtocolError, type JsonValue } from '#protocol';

/**
 * A ledger leaf is the RFC 8785 canonical JSON of `{"at": <ISO time>, "data": <entry>, "kind": <kind>}`:
 * the kind and the time are covered by the leaf hash, so they cannot be changed unseen either.
 * The `kind` and `appended_at` columns repeat them for queries; the verifier checks they agree.
 */
export const KIND_PATTERN = /^[a-z][a-z0-9._-]{0,63}$/;

export interface Leaf {
  kind: string;
  at: Date;
  /** Canonical JSON text of the leaf document: what is stored and hashed. */
  text: string;
  hash: Uint8Array;
}

export interface LeafDocument {
  at: string;
  data: JsonValue;
  kind: string;
}

/** An entry's canonical JSON text, written by `canonicalEntry` (so known canonical without a re-read). */
export interface CanonicalEntry {
  readonly text: string;
}

// The entries canonicalEntry wrote: only these skip the check of their text (an object literal
// with a `text` is an ordinary JSON value, canonicalised as such).
const written = new WeakSet<CanonicalEntry>();

/**
 * A ledger entry as canonical JSON text, for a caller that keeps the text too (the federation's
 * event log): `buildLeaf` takes it without parsing it back to check what was just written.
 */
export function canonicalEntry(value: JsonValue | Record<string, unknown>): CanonicalEntry {
  const entry = Object.freeze({ text: canonicalize(value) });
  written.add(entry);
  return entry;
}

/**
 * Builds a leaf. `entry` is a JSON value (canonicalised here), JSON text, which must already be
 * canonical (non-canonical text is refused with ProtocolError NOT_CANONICAL, never rewritten), or
 * a `canonicalEntry`.
 */
export function buildLeaf(kind: string, entry: unknown, at: Date): Leaf {
  if (typeof kind !== 'string' || !KIND_PATTERN.test(kind)) {
    throw new ProtocolError('MALFORMED', 'ledger entry kind must match ^[a-z][a-z0-9._-]{0,63}$');
  }
  if (typeof entry === 'object' && entry !== null && written.has(entry as CanonicalEntry)) {
    // The leaf document's canonical form with canonical data: its keys in order ("at" < "data" <
    // "kind"), and neither the ISO time nor a kind (KIND_PATTERN) holds a character to escape.
    const text = `{"at":"${at.toISOString()}","data":${(entry as CanonicalEntry).text},"kind":"${kind}"}`;
    return { kind, at, text, hash: leafHash(Buffer.from(text, 'utf8')) };
  }
  const data = typeof entry === 'string' ? parseCanonical(entry) : (entry as JsonValue);
  if (data === undefined) throw new ProtocolError('MALFORMED', 'ledger entry is empty');
  const text = canonicalize({ at: at.toISOString(), data, kind });
  return { kind, at, text, hash: leafHash(Buffer.from(text, 'utf8')) };
}

/** Parses a stored leaf and checks its shape (canonical form included). */
export function parseLeaf(text: string): LeafDocument {
  const value = parseCanonical(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('MALFORMED', 'leaf is not a JSON object');
  }
  const keys = Object.keys(value);
  const { at, data, kind } = value as Partial<LeafDocument>;
  if (keys.length !== 3 || typeof at !== 'string' || typeof kind !== 'string' || data === undefined) {
    throw new ProtocolError('MALFORMED', 'leaf must hold exactly "at", "data" and "kind"');
  }
  if (!KIND_PATTERN.test(kind)) throw new ProtocolError('MALFORMED', 'leaf kind is not valid');
  if (Number.isNaN(Date.parse(at)) || new Date(at).toISOString() !== at) {
    throw new ProtocolError('MALFORMED', 'leaf time is not an ISO 8601 UTC timestamp');
  }
  return { at, data, kind };
}
