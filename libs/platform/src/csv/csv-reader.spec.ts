import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { CsvFatalError, readCsv, type CsvRecord, type CsvSyntaxProblem } from './csv-reader.js';
import { copyTextRow, copyTextValue } from './copy-text.js';

async function readAll(
  text: string,
  chunkSize = text.length || 1,
): Promise<{ records: CsvRecord[]; problems: CsvSyntaxProblem[] }> {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const records: CsvRecord[] = [];
  const problems: CsvSyntaxProblem[] = [];
  for await (const chunk of readCsv(chunks)) {
    records.push(...chunk.records);
    problems.push(...chunk.problems);
  }
  return { records, problems };
}

describe('readCsv', () => {
  it('reads plain, quoted and multi-line fields with the line where each record starts', async () => {
    const text =
      'id,name,note\r\n1,Ada,plain\r\n\r\n2,"Lovelace, Ada","says ""hi"""\n3,"two\nlines",x\n4,,\n';
    const { records, problems } = await readAll(text);
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['id', 'name', 'note'] },
      { line: 2, fields: ['1', 'Ada', 'plain'] },
      { line: 4, fields: ['2', 'Lovelace, Ada', 'says "hi"'] },
      { line: 5, fields: ['3', 'two\nlines', 'x'] },
      { line: 7, fields: ['4', '', ''] },
    ]);
  });

  it('gives the same records whatever the chunk boundaries (1 byte, 3 bytes, multi-byte UTF-8)', async () => {
    const text = '\uFEFFa,b\n"é, ü","x""y"\r\n€,"multi\r\nline"\nlast,"q"';
    const whole = await readAll(text);
    expect(whole.records.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['é, ü', 'x"y'],
      ['€', 'multi\r\nline'],
      ['last', 'q'],
    ]);
    expect(whole.records.map((r) => r.line)).toEqual([1, 2, 3, 5]);
    for (const size of [1, 2, 3, 5, 7]) expect(await readAll(text, size)).toEqual(whole);
  });

  // 5,000 rows: more than two of the 64 KiB slices a large piece is parsed in (a byte, a string).
  it('agrees with csv-parse on a generated file with awkward values', async () => {
    const pick = (i: number) =>
      ['plain', 'with, comma', 'with "quote"', 'multi\nline', '', ' spaced ', 'é€😀', 'a\r\nb'][i % 8];
    const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const rows: string[][] = [];
    for (let i = 0; i < 5000; i++) rows.push([String(i), pick(i), pick(i * 7 + 3), pick(i * 13 + 5)]);
    const text = rows.map((r, i) => r.map(quote).join(',') + (i % 2 ? '\r\n' : '\n')).join('');
    const expected = parse(text, { skip_empty_lines: true, record_delimiter: ['\r\n', '\n'] }) as string[][];
    for (const size of [text.length, 64, 17]) {
      const { records, problems } = await readAll(text, size);
      expect(problems).toEqual([]);
      expect(records.map((r) => r.fields)).toEqual(expected);
    }
    expect(text.length).toBeGreaterThan(2 * 64 * 1024);
    const fromString: string[][] = [];
    for await (const chunk of readCsv([text])) fromString.push(...chunk.records.map((r) => r.fields));
    expect(fromString).toEqual(expected);
  });

  it('reports malformed records with their line and goes on with the next line', async () => {
    const text = 'a,b\n1,x"y\n2,"ok"\n3,"bad"z\n4,"fine"\n5,"never closed\n6,x\n';
    const { records, problems } = await readAll(text, 4);
    expect(records.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'a'],
      [3, '2'],
      [5, '4'],
    ]);
    expect(problems).toEqual([
      { line: 2, reason: 'a quote inside an unquoted field (quote the whole field)' },
      { line: 4, reason: 'unexpected text after a closing quote' },
      { line: 6, reason: 'quote opened on line 6 is never closed' },
    ]);
  });

  it('stops with CsvFatalError when a record grows past the limit', async () => {
    const text = 'a,b\n1,"' + 'x'.repeat(5000);
    const chunks = [Buffer.from(text.slice(0, 2000)), Buffer.from(text.slice(2000))];
    const run = async () => {
      for await (const chunk of readCsv(chunks, { maxRecordChars: 1000 })) void chunk;
    };
    await expect(run()).rejects.toThrow(CsvFatalError);
  });
});

describe('COPY text encoding', () => {
  it('escapes backslash, tab, newline and carriage return, and writes NULL as \\N', () => {
    expect(copyTextValue('plain')).toBe('plain');
    expect(copyTextValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyTextValue(null)).toBe('\\N');
    expect(copyTextRow(['1', null, 'x\ty'])).toBe('1\t\\N\tx\\ty\n');
  });
});
