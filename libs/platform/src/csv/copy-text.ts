/**
 * PostgreSQL COPY text format (the default of `COPY … FROM STDIN`): columns separated by tabs,
 * rows by newlines, NULL as `\N`, and backslash, tab, newline and carriage return escaped.
 * https://www.postgresql.org/docs/current/sql-copy.html#SQL-COPY-FILE-FORMATS
 */
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyTextValue(value: string | null): string {
  if (value === null) return '\\N';
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPES, (c) => ESCAPED[c]) : value;
}

/** One row of COPY text, newline included. */
export function copyTextRow(values: readonly (string | null)[]): string {
  let row = copyTextValue(values[0] ?? null);
  for (let i = 1; i < values.length; i++) row += '\t' + copyTextValue(values[i]);
  return row + '\n';
}
