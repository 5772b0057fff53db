/** A line of a member CSV: the external id in its first column, with its line number (from 1). */
export interface MemberCsvRow {
  line: number;
  externalId: string;
}

const EXTERNAL_ID = /^[\p{L}\p{N}._:/-]{1,100}$/u;

/**
 * Reads the first column of a CSV of customer external ids (an optional `external_id` header,
 * blank lines skipped, a quoted first field allowed). Malformed lines come back as errors naming
 * their line, so the user can fix the file in one go.
 */
export function externalIdsOfCsv(
  csv: string,
  maxLines: number,
): { rows: MemberCsvRow[]; errors: { line: number; message: string }[]; tooLong: boolean } {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length > maxLines + 1 || (lines.length > maxLines && lines[lines.length - 1] !== '')) {
    return { rows: [], errors: [], tooLong: true };
  }
  const rows: MemberCsvRow[] = [];
  const errors: { line: number; message: string }[] = [];
  lines.forEach((text, index) => {
    const line = index + 1;
    const first = firstField(text).trim();
    if (first === '') return;
    if (line === 1 && /^external[_ ]?id$/i.test(first)) return;
    if (!EXTERNAL_ID.test(first)) {
      errors.push({ line, message: `${JSON.stringify(first.slice(0, 40))} is not an external id` });
      return;
    }
    rows.push({ line, externalId: first });
  });
  return { rows, errors, tooLong: false };
}

function firstField(text: string): string {
  if (text.startsWith('"')) {
    const end = text.indexOf('"', 1);
    return end < 0 ? text : text.slice(1, end);
  }
  const comma = text.search(/[,;\t]/);
  return comma < 0 ? text : text.slice(0, comma);
}
