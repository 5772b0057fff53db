import { ProtocolError } from './errors.js';

/**
 * RFC 8785 JSON Canonicalization Scheme.
 *
 * - Strings: JSON.stringify already escapes exactly what RFC 8785 §3.2.2.2 asks (", \, the
 *   short escapes \b \t \n \f \r, other controls as lower-case \u00xx, nothing else).
 * - Numbers: RFC 8785 §3.2.2.3 *is* ECMAScript Number.prototype.toString, which JSON.stringify
 *   uses; -0 becomes 0. NaN and ±Infinity are not JSON and are refused.
 * - Object members sorted by their UTF-16 code units, which is what the default
 *   Array.prototype.sort comparison does.
 * - Input must be I-JSON (RFC 7493): lone surrogates are refused.
 *
 * Objects' members whose value is `undefined` are left out (as JSON.stringify does), so that
 * optional claims can be written naturally; `undefined` inside arrays is refused.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// Without the u flag this matches any surrogate code unit: strings free of it and of characters
// to escape (the vast majority) are written as they are, without JSON.stringify.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_CARE = /[\u0000-\u001F"\\\uD800-\uDFFF]/;

export function canonicalize(value: unknown): string {
  return serialize(value, 0);
}

export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(serialize(value, 0), 'utf8');
}

/** True if `text` is exactly the RFC 8785 form of the JSON it holds (no spaces, sorted, no duplicates). */
export function isCanonical(text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  try {
    return serialize(parsed, 0) === text;
  } catch {
    return false;
  }
}

/** Parses JSON text and refuses it unless it is canonical: used for ledger entries and payloads. */
export function parseCanonical(text: string): JsonValue {
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(text) as JsonValue;
  } catch (cause) {
    throw new ProtocolError('MALFORMED', 'not valid JSON', { cause });
  }
  let canonical: string;
  try {
    canonical = serialize(parsed, 0);
  } catch (cause) {
    throw new ProtocolError('NOT_CANONICAL', 'JSON is not I-JSON', { cause });
  }
  if (canonical !== text) throw new ProtocolError('NOT_CANONICAL', 'JSON is not in RFC 8785 canonical form');
  return parsed;
}

// Deep enough for any protocol message; stops a hostile document from exhausting the stack.
const MAX_DEPTH = 64;

function serialize(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value);
    case 'number':
      if (!Number.isFinite(value)) throw new ProtocolError('MALFORMED', `${value} is not a JSON number`);
      return String(value); // Number::toString, which RFC 8785 specifies; -0 gives "0".
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw new ProtocolError('MALFORMED', 'JSON nested too deeply');
      if (Array.isArray(value)) return serializeArray(value, depth + 1);
      return serializeObject(value as Record<string, unknown>, depth + 1);
    default:
      throw new ProtocolError('MALFORMED', `a ${typeof value} cannot be represented in JSON`);
  }
}

function serializeString(value: string): string {
  if (!NEEDS_CARE.test(value)) return `"${value}"`;
  if (LONE_SURROGATE.test(value)) throw new ProtocolError('MALFORMED', 'string holds a lone surrogate');
  return JSON.stringify(value);
}

function serializeArray(items: readonly unknown[], depth: number): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (items[i] === undefined) throw new ProtocolError('MALFORMED', 'undefined inside an array');
    if (i > 0) out += ',';
    out += serialize(items[i], depth);
  }
  return out + ']';
}

function serializeObject(object: Record<string, unknown>, depth: number): string {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    // Dates, Maps, class instances… have no single JSON form: callers convert them first.
    throw new ProtocolError('MALFORMED', 'only plain objects can be canonicalised');
  }
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += serializeString(key) + ':' + serialize(member, depth);
  }
  return out + '}';
}
