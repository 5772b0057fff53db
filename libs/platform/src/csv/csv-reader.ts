import { StringDecoder } from 'node:string_decoder';

/**
 * A streaming RFC 4180 CSV reader built for imports of millions of rows.
 *
 * Why not csv-parse: it is correct but parses about 100,000 rows/s here, five times slower than
 * PostgreSQL ingests them with COPY. This reader takes a fast path for the common line without
 * quotes (one `indexOf` and one `split`) and a small state machine for quoted records; its output
 * is checked against csv-parse in the tests.
 *
 * - Fields are separated by `,` (configurable), records by LF or CRLF; a UTF-8 BOM is dropped.
 * - A field may be quoted with `"`; inside it `""` is a quote, and delimiters and newlines are data.
 * - Empty lines are skipped. Every record carries the line number where it starts (1-based,
 *   counting physical lines), so problems can be reported as "line 17: …".
 * - Malformed records (a quote in an unquoted field, text after a closing quote, a quote never
 *   closed) are reported with their line and skipped; the reader resumes at the next line.
 * - Memory stays bounded: a record larger than `maxRecordChars` stops the reader with a
 *   CsvFatalError (most often an unclosed quote that swallows the rest of the file).
 */
export interface CsvRecord {
  /** Line where the record starts (1-based). */
  line: number;
  fields: string[];
}

export interface CsvSyntaxProblem {
  line: number;
  reason: string;
}

export interface CsvChunk {
  records: CsvRecord[];
  problems: CsvSyntaxProblem[];
  /** Bytes consumed from the source so far (for progress bars). */
  bytesRead: number;
}

export interface CsvReaderOptions {
  delimiter?: string;
  /** Largest record accepted, in characters (default 1 MiB). */
  maxRecordChars?: number;
}

/** A byte or text stream: a file stream, an HTTP body, or simply an array of buffers. */
export type CsvSource = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

export class CsvFatalError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvFatalError';
  }
}

/** Characters or bytes of the source parsed at a time (see readCsv). */
const SLICE = 64 * 1024;
const LF = 10;
const CR = 13;
const QUOTE = 34;

type SlowResult =
  | { kind: 'record'; fields: string[]; next: number; lines: number }
  | { kind: 'problem'; reason: string; next: number; lines: number }
  | { kind: 'incomplete' };

/** The synchronous core: feed it text, collect records and problems. */
export class CsvTokenizer {
  private buf = '';
  private pos = 0;
  private line = 1;
  /** Position of the next quote at or after `pos`; -1 = not searched yet; Infinity = none in buf. */
  private quoteAt = -1;
  private started = false;
  private readonly delim: string;
  private readonly delimCode: number;
  private readonly maxRecordChars: number;

  constructor(options: CsvReaderOptions = {}) {
    this.delim = options.delimiter ?? ',';
    if (this.delim.length !== 1 || this.delim === '"' || this.delim === '\n' || this.delim === '\r') {
      throw new Error('CSV delimiter must be one character other than a quote or a newline');
    }
    this.delimCode = this.delim.charCodeAt(0);
    this.maxRecordChars = options.maxRecordChars ?? 1024 * 1024;
  }

  /** Parses as much of the text seen so far as possible; `final` marks the end of the input. */
  push(text: string, final: boolean, records: CsvRecord[], problems: CsvSyntaxProblem[]): void {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
    this.quoteAt = -1;
    const buf = this.buf;
    const len = buf.length;
    while (this.pos < len) {
      const pos = this.pos;
      let nl = buf.indexOf('\n', pos);
      if (nl === -1) {
        if (!final) break;
        nl = len;
      }
      if (this.quoteAt !== Infinity && this.quoteAt < pos) {
        const q = buf.indexOf('"', pos);
        this.quoteAt = q === -1 ? Infinity : q;
      }
      if (this.quoteAt > nl) {
        // Fast path: a line without quotes.
        let end = nl;
        if (end > pos && buf.charCodeAt(end - 1) === CR) end--;
        if (end > pos) records.push({ line: this.line, fields: buf.slice(pos, end).split(this.delim) });
        this.pos = nl + 1;
        this.line++;
        continue;
      }
      const result = this.slowRecord(pos, final);
      if (result.kind === 'incomplete') break;
      if (result.kind === 'record') records.push({ line: this.line, fields: result.fields });
      else problems.push({ line: this.line, reason: result.reason });
      this.line += result.lines;
      this.pos = result.next;
    }
    if (final) {
      this.buf = '';
      this.pos = 0;
    } else if (len - this.pos > this.maxRecordChars) {
      throw new CsvFatalError(
        this.line,
        `record longer than ${this.maxRecordChars} characters (a quote never closed?)`,
      );
    }
  }

  /** A record containing at least one quote, parsed field by field. */
  private slowRecord(start: number, final: boolean): SlowResult {
    const buf = this.buf;
    const len = buf.length;
    const fields: string[] = [];
    let i = start;
    let lines = 0;
    const problem = (reason: string, at: number): SlowResult => {
      // Resume after the end of the physical line where the problem was found.
      const nl = buf.indexOf('\n', at);
      if (nl === -1 && !final) return { kind: 'incomplete' };
      const next = nl === -1 ? len : nl + 1;
      return { kind: 'problem', reason, next, lines: lines + (nl === -1 ? 0 : 1) };
    };
    for (;;) {
      if (i < len && buf.charCodeAt(i) === QUOTE) {
        const openedAtLine = lines;
        let value = '';
        let segment = i + 1;
        let j = segment;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q === -1) {
            if (!final) return { kind: 'incomplete' };
            return {
              kind: 'problem',
              reason: `quote opened on line ${this.line + openedAtLine} is never closed`,
              next: len,
              lines: lines + countNewlines(buf, i, len),
            };
          }
          if (q + 1 >= len && !final) return { kind: 'incomplete' };
          if (buf.charCodeAt(q + 1) === QUOTE) {
            value += buf.slice(segment, q + 1);
            j = q + 2;
            segment = j;
            continue;
          }
          value += buf.slice(segment, q);
          lines += countNewlines(buf, i, q);
          i = q + 1;
          break;
        }
        fields.push(value);
        if (i >= len) {
          if (!final) return { kind: 'incomplete' };
          return { kind: 'record', fields, next: len, lines: lines + 1 };
        }
        const c = buf.charCodeAt(i);
        if (c === this.delimCode) {
          i++;
          continue;
        }
        if (c === LF) return { kind: 'record', fields, next: i + 1, lines: lines + 1 };
        if (c === CR) {
          if (i + 1 >= len && !final) return { kind: 'incomplete' };
          if (i + 1 >= len) return { kind: 'record', fields, next: len, lines: lines + 1 };
          if (buf.charCodeAt(i + 1) === LF) return { kind: 'record', fields, next: i + 2, lines: lines + 1 };
        }
        return problem('unexpected text after a closing quote', i);
      }
      // Unquoted field: up to the next delimiter or end of line.
      let j = i;
      let c = -1;
      while (j < len) {
        c = buf.charCodeAt(j);
        if (c === this.delimCode || c === LF || c === QUOTE) break;
        j++;
      }
      if (j >= len) {
        if (!final) return { kind: 'incomplete' };
        fields.push(stripCr(buf.slice(i, len)));
        return { kind: 'record', fields, next: len, lines: lines + 1 };
      }
      if (c === QUOTE) return problem('a quote inside an unquoted field (quote the whole field)', j);
      if (c === this.delimCode) {
        fields.push(buf.slice(i, j));
        i = j + 1;
        continue;
      }
      fields.push(stripCr(buf.slice(i, j)));
      return { kind: 'record', fields, next: j + 1, lines: lines + 1 };
    }
  }
}

function stripCr(value: string): string {
  return value.length > 0 && value.charCodeAt(value.length - 1) === CR ? value.slice(0, -1) : value;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  let at = text.indexOf('\n', from);
  while (at !== -1 && at < to) {
    count++;
    at = text.indexOf('\n', at + 1);
  }
  return count;
}

/**
 * Reads a byte or text stream (a file stream, an HTTP body…) and yields the records chunk by chunk.
 * Nothing but the current chunk and an unfinished record is held in memory.
 */
export async function* readCsv(source: CsvSource, options: CsvReaderOptions = {}): AsyncGenerator<CsvChunk> {
  const tokenizer = new CsvTokenizer(options);
  const decoder = new StringDecoder('utf8');
  let bytesRead = 0;
  for await (const piece of source) {
    // Large pieces (a file read by the MiB) are parsed a slice at a time: the records of a slice are
    // checked and written before the next is parsed, so fewer of them outlive a young-generation
    // garbage collection (at 1 MiB, the collector took about half the time of parsing and checking).
    const size = typeof piece === 'string' ? piece.length : piece.byteLength;
    for (let at = 0; at < size || at === 0; at += SLICE) {
      let text: string;
      if (typeof piece === 'string') {
        text = size <= SLICE ? piece : piece.slice(at, at + SLICE);
        bytesRead += Buffer.byteLength(text);
      } else {
        const bytes = Buffer.isBuffer(piece)
          ? piece
          : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
        const slice = size <= SLICE ? bytes : bytes.subarray(at, at + SLICE);
        bytesRead += slice.byteLength;
        text = decoder.write(slice);
      }
      const records: CsvRecord[] = [];
      const problems: CsvSyntaxProblem[] = [];
      tokenizer.push(text, false, records, problems);
      if (records.length > 0 || problems.length > 0) yield { records, problems, bytesRead };
      if (size === 0) break;
    }
  }
  const records: CsvRecord[] = [];
  const problems: CsvSyntaxProblem[] = [];
  tokenizer.push(decoder.end(), true, records, problems);
  yield { records, problems, bytesRead };
}
