/**
 * An array parameter (`$1::text[]`, `::uuid[]`, `::bigint[]`…) written as PostgreSQL's array
 * literal in one join (issue 17). node-postgres writes a JavaScript array by concatenating each
 * element, quoted and escaped by two regular expressions, onto the text so far: a federation's
 * batch of 400 registrations sends a score of such arrays, and their ropes and copies were a
 * tenth of what its process allocated. Here an element that needs no quotes (ids, tokens,
 * hashes, times, numbers: the usual case) goes as it is, and the text is one flat string.
 *
 * What the database reads is what node-postgres's literal says: an element is quoted (its `"`
 * and `\` escaped) when it is empty, is `NULL` in any case, or holds anything but letters, digits
 * and `_ . : + - / @ =`; a null is NULL; bytes are hex. Long texts (JWSs, JSON) go better as
 * `packedTextArray`.
 */
const BARE = /^[A-Za-z0-9_.:+\-/@=]+$/;
const NULL_WORD = /^null$/i;

type Element = string | number | Uint8Array | null;

const element = (value: Element): string => {
  if (value === null) return 'NULL';
  // bytea in hex, its backslash escaped, as node-postgres writes it.
  if (value instanceof Uint8Array)
    return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  const text = String(value);
  return BARE.test(text) && !NULL_WORD.test(text) ? text : `"${text.replace(/["\\]/g, '\\$&')}"`;
};

export const arrayLiteral = (values: readonly Element[]): string => {
  if (values.length === 0) return '{}';
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = element(values[i]!);
  // The braces inside the first and last elements: one join makes the whole text flat.
  parts[0] = `{${parts[0]}`;
  parts[parts.length - 1] = `${parts[parts.length - 1]}}`;
  return parts.join(',');
};
