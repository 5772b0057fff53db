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
  try {
    JSON.parse(text);
  } catch {
    return false;
  }
  return isCanonicalJsonText(text);
}

/** Parses JSON text and refuses it unless it is canonical: used for ledger entries and payloads. */
export function parseCanonical(text: string): JsonValue {
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(text) as JsonValue;
  } catch (cause) {
    throw new ProtocolError('MALFORMED', 'not valid JSON', { cause });
  }
  if (!isCanonicalJsonText(text)) {
    throw new ProtocolError('NOT_CANONICAL', 'JSON is not in RFC 8785 canonical form (or not I-JSON)');
  }
  return parsed;
}

/**
 * For text that JSON.parse accepted: true iff it is exactly `canonicalize(JSON.parse(text))`,
 * decided in one pass over the text instead of serialising the parsed value again. The text is
 * canonical iff it has no insignificant white space, object members strictly increase by UTF-16
 * code units (no duplicates), every number is written as Number::toString writes it, every string
 * uses exactly JSON.stringify's escapes and no lone surrogate, and nesting stays under MAX_DEPTH.
 * The tests check it against the re-serialising definition on the RFC vectors and random documents.
 */
export function isCanonicalJsonText(text: string): boolean {
  return scanValue(text, 0, 0) === text.length;
}

// Each scanner returns the index just after the value it read, or -1 when it is not canonical.
function scanValue(text: string, at: number, depth: number): number {
  const c = text.charCodeAt(at);
  if (c === 0x22 /* " */) return scanString(text, at);
  if (c === 0x7b /* { */) return depth >= MAX_DEPTH ? -1 : scanObject(text, at, depth + 1);
  if (c === 0x5b /* [ */) return depth >= MAX_DEPTH ? -1 : scanArray(text, at, depth + 1);
  if (c === 0x74 /* t */) return text.startsWith('true', at) ? at + 4 : -1;
  if (c === 0x66 /* f */) return text.startsWith('false', at) ? at + 5 : -1;
  if (c === 0x6e /* n */) return text.startsWith('null', at) ? at + 4 : -1;
  return scanNumber(text, at);
}

function scanNumber(text: string, at: number): number {
  let end = at;
  let digitsOnly = true;
  for (; end < text.length; end++) {
    const c = text.charCodeAt(end);
    if (c >= 0x30 && c <= 0x39) continue;
    // '+', '-', '.', 'e', 'E': the other characters of a JSON number
    if (!(c === 0x2b || c === 0x2d || c === 0x2e || c === 0x65 || c === 0x45)) break;
    digitsOnly = false;
  }
  if (end === at) return -1;
  // Integers of up to 15 digits are exact doubles, which Number::toString writes digit for digit:
  // canonical unless written with a leading zero.
  if (digitsOnly && end - at <= 15) return end - at === 1 || text.charCodeAt(at) !== 0x30 ? end : -1;
  const token = text.slice(at, end);
  const value = Number(token);
  return Number.isFinite(value) && String(value) === token ? end : -1;
}

// The escapes JSON.stringify writes in short form: \" \\ \b \f \n \r \t.
const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const SHORT_ESCAPED_CONTROLS = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);

// Whether the string scanString last read holds an escape (its text is then not its value).
let scannedEscape = false;

function scanString(text: string, at: number): number {
  scannedEscape = false;
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      scannedEscape = true;
      const next = text.charCodeAt(i + 1);
      if (SHORT_ESCAPES.has(next)) {
        i++;
        continue;
      }
      if (next !== 0x75 /* u */) return -1;
      // \u is written only for the controls without a short form, as four lower-case hex digits.
      const hex = text.slice(i + 2, i + 6);
      const code = parseInt(hex, 16);
      if (!(code < 0x20) || SHORT_ESCAPED_CONTROLS.has(code) || hex !== code.toString(16).padStart(4, '0'))
        return -1;
      i += 5;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      // I-JSON: a surrogate only as the high half of a pair followed by its low half.
      const low = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) return -1;
      i++;
    }
  }
  return -1;
}

function scanArray(text: string, at: number, depth: number): number {
  let i = at + 1;
  if (text.charCodeAt(i) === 0x5d /* ] */) return i + 1;
  for (;;) {
    i = scanValue(text, i, depth);
    if (i < 0) return -1;
    const c = text.charCodeAt(i);
    if (c === 0x5d) return i + 1;
    if (c !== 0x2c /* , */) return -1;
    i++;
  }
}

function scanObject(text: string, at: number, depth: number): number {
  let i = at + 1;
  if (text.charCodeAt(i) === 0x7d /* } */) return i + 1;
  // The previous member's name: its decoded value if it had an escape, else its place in the text.
  let previousKey: string | undefined;
  let previousStart = -1;
  let previousEnd = -1;
  for (;;) {
    if (text.charCodeAt(i) !== 0x22) return -1;
    const keyEnd = scanString(text, i);
    if (keyEnd < 0) return -1;
    if (scannedEscape) {
      const key = JSON.parse(text.slice(i, keyEnd)) as string;
      const previous =
        previousKey ?? (previousStart < 0 ? undefined : text.slice(previousStart, previousEnd));
      if (previous !== undefined && !(previous < key)) return -1;
      previousKey = key;
      previousStart = -1;
    } else {
      if (previousKey !== undefined) {
        if (!(previousKey < text.slice(i + 1, keyEnd - 1))) return -1;
      } else if (previousStart >= 0 && !rangeBefore(text, previousStart, previousEnd, i + 1, keyEnd - 1)) {
        return -1;
      }
      previousKey = undefined;
      previousStart = i + 1;
      previousEnd = keyEnd - 1;
    }
    if (text.charCodeAt(keyEnd) !== 0x3a /* : */) return -1;
    i = scanValue(text, keyEnd + 1, depth);
    if (i < 0) return -1;
    const c = text.charCodeAt(i);
    if (c === 0x7d) return i + 1;
    if (c !== 0x2c) return -1;
    i++;
  }
}

/** text[a, aEnd) < text[b, bEnd) by UTF-16 code units, as `<` on strings, without slicing. */
function rangeBefore(text: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  const common = Math.min(aEnd - a, bEnd - b);
  for (let k = 0; k < common; k++) {
    const x = text.charCodeAt(a + k);
    const y = text.charCodeAt(b + k);
    if (x !== y) return x < y;
  }
  return aEnd - a < bEnd - b;
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
  const text = canonicalString(value);
  if (text === undefined) throw new ProtocolError('MALFORMED', 'string holds a lone surrogate');
  return text;
}

/** The RFC 8785 form of one string, or undefined if it is not I-JSON (a lone surrogate). */
export function canonicalString(value: string): string | undefined {
  if (!NEEDS_CARE.test(value)) return `"${value}"`;
  return LONE_SURROGATE.test(value) ? undefined : JSON.stringify(value);
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
  const { order, names } = shapeOf(Object.keys(object));
  let out = '{';
  for (let i = 0; i < order.length; i++) {
    const member = object[order[i] as string];
    if (member === undefined) continue;
    if (out.length > 1) out += ',';
    out += (names[i] as string) + serialize(member, depth);
  }
  return out + '}';
}

/** An object's member names in canonical order, and each one serialised with its colon. */
interface Shape {
  keys: readonly string[];
  order: readonly string[];
  names: readonly string[];
}

// Messages of one kind are objects of a few shapes, canonicalised again and again: each shape's
// order and names are worked out once. Found by comparing key lists (cheap: Object.keys returns
// the same internalised strings each time), in a small table whose oldest entry makes room.
const SHAPE_CACHE_SIZE = 64;
const shapes: Shape[] = [];
let nextShapeSlot = 0;

function shapeOf(keys: string[]): Shape {
  for (const shape of shapes) if (sameKeys(shape.keys, keys)) return shape;
  const order = [...keys];
  // Objects built in canonical order (parsed canonical text, or written so) need no sort.
  for (let i = 1; i < order.length; i++) {
    if (!((order[i - 1] as string) < (order[i] as string))) {
      order.sort();
      break;
    }
  }
  const shape: Shape = { keys, order, names: order.map((key) => serializeString(key) + ':') };
  // Objects used as maps (many distinct key sets) would only churn the table: keep small shapes.
  if (keys.length <= 64) {
    shapes[nextShapeSlot] = shape;
    nextShapeSlot = (nextShapeSlot + 1) % SHAPE_CACHE_SIZE;
  }
  return shape;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
