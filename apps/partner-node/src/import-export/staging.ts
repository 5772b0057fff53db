import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, QueryRunner } from 'typeorm';
import { copyTextRow } from '#platform/csv/copy-text';
import { readCsv, type CsvSource } from '#platform/csv/csv-reader';
import { CsvRowValidator, type CsvColumn } from '#platform/csv/csv-columns';
import type { ImportProgress, RowProblem } from './import-report.js';

/**
 * Loads validated CSV rows into a temporary staging table, on the query runner's own connection
 * and inside its transaction: with COPY on a PostgreSQL server (pg-copy-streams), with batched
 * INSERTs on the embedded PGlite database, which has no COPY FROM STDIN.
 *
 * A staging table has `line_no int` and one `text` column per CSV column (already normalised by
 * the validator); the merge SQL casts them.
 */
export interface StagingSink {
  write(rows: readonly (string | null)[][]): Promise<void>;
  /** Flushes and closes; returns the number of rows staged. */
  finish(): Promise<number>;
  /** Gives up (the transaction is then rolled back): ends a COPY in progress with CopyFail. */
  abort(): Promise<void>;
}

/** The embedded database is configured without a URL (see `dataSourceOptions`). */
export function isEmbedded(dataSource: DataSource): boolean {
  return !(dataSource.options as { url?: string }).url;
}

export async function createStagingTable(
  runner: QueryRunner,
  table: string,
  columns: readonly string[],
): Promise<void> {
  const definitions = columns.map((c) => `${c} text`).join(', ');
  await runner.query(`CREATE TEMP TABLE ${table} (line_no int NOT NULL, ${definitions}) ON COMMIT DROP`);
}

/** COPY … FROM STDIN in text format, written in ~256 KiB pieces with back-pressure. */
class CopySink implements StagingSink {
  private readonly stream: Writable;
  private failure: Error | undefined;
  private rows = 0;

  constructor(client: pg.PoolClient, table: string, columns: readonly string[]) {
    this.stream = client.query(copyFrom(`COPY ${table} (line_no, ${columns.join(', ')}) FROM STDIN`));
    this.stream.on('error', (error: Error) => (this.failure ??= error));
  }

  async write(rows: readonly (string | null)[][]): Promise<void> {
    if (this.failure) throw this.failure;
    let text = '';
    for (const row of rows) {
      text += copyTextRow(row);
      if (text.length > 256 * 1024) {
        await this.push(text);
        text = '';
      }
    }
    if (text) await this.push(text);
    this.rows += rows.length;
  }

  private async push(text: string): Promise<void> {
    if (!this.stream.write(text)) {
      const drained = once(this.stream, 'drain');
      const failed = once(this.stream, 'error');
      await Promise.race([drained, failed]);
      if (this.failure) throw this.failure;
    }
  }

  async finish(): Promise<number> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await finished(this.stream);
    return this.rows;
  }

  async abort(): Promise<void> {
    if (this.stream.writableFinished || this.stream.destroyed) return;
    this.stream.destroy(new Error('import aborted'));
    await finished(this.stream).catch(() => undefined);
  }
}

/** Batched INSERTs: one JSON parameter per batch of rows, unpacked by the database. */
class InsertSink implements StagingSink {
  private batch: (string | null)[][] = [];
  private rows = 0;
  private readonly sql: string;

  constructor(
    private readonly runner: QueryRunner,
    table: string,
    columns: readonly string[],
    private readonly batchSize = 2000,
  ) {
    const values = columns.map((_, i) => `r->>${i + 1}`).join(', ');
    this.sql = `INSERT INTO ${table} (line_no, ${columns.join(', ')})
                SELECT (r->>0)::int, ${values} FROM json_array_elements($1::json) AS r`;
  }

  async write(rows: readonly (string | null)[][]): Promise<void> {
    for (const row of rows) {
      this.batch.push(row as (string | null)[]);
      if (this.batch.length >= this.batchSize) await this.flush();
    }
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    await this.runner.query(this.sql, [JSON.stringify(this.batch)]);
    this.rows += this.batch.length;
    this.batch = [];
  }

  async finish(): Promise<number> {
    await this.flush();
    return this.rows;
  }

  async abort(): Promise<void> {
    this.batch = [];
  }
}

export async function openStagingSink(
  dataSource: DataSource,
  runner: QueryRunner,
  table: string,
  columns: readonly string[],
): Promise<StagingSink> {
  if (isEmbedded(dataSource)) return new InsertSink(runner, table, columns);
  const client = (await runner.connect()) as pg.PoolClient;
  return new CopySink(client, table, columns);
}

export interface StageCsvOptions {
  source: CsvSource;
  columns: readonly CsvColumn[];
  sink: StagingSink;
  /** Keep at most this many problems in the report (all are counted). */
  maxProblems: number;
  onProgress?: (progress: ImportProgress) => void;
  /** A rule across columns of a valid row (values in `columns` order); returns why it is refused. */
  checkRow?: (values: readonly (string | null)[]) => string | undefined;
  /** Called for each bad row with its raw fields (by lower-case header name), e.g. to track its order. */
  onBadRow?: (line: number, field: (name: string) => string | undefined) => void;
}

export interface StageCsvResult {
  /** Problems with the header: nothing was read. */
  headerProblems: string[];
  /** Lower-case column names of the header. */
  header: string[];
  /** Data rows read (good and bad). */
  rows: number;
  staged: number;
  badRows: number;
  /** Rows that could not even be split into fields (their content is unknown). */
  syntaxProblems: number;
  problems: RowProblem[];
}

/**
 * Streams a CSV file through the validator into the staging sink. The file is never held in
 * memory: one chunk of records at a time.
 */
export async function stageCsv(options: StageCsvOptions): Promise<StageCsvResult> {
  const { columns, maxProblems } = options;
  const result: StageCsvResult = {
    headerProblems: [],
    header: [],
    rows: 0,
    staged: 0,
    badRows: 0,
    syntaxProblems: 0,
    problems: [],
  };
  let validator: CsvRowValidator | undefined;
  const header = result.header;
  const bad = (line: number, reason: string) => {
    result.rows++;
    result.badRows++;
    if (result.problems.length < maxProblems) result.problems.push({ line, reason });
  };
  for await (const chunk of readCsv(options.source)) {
    // Syntax problems and records arrive in line order; merge them.
    const syntax = chunk.problems;
    let s = 0;
    const good: (string | null)[][] = [];
    const syntaxUpTo = (line: number): boolean => {
      for (; s < syntax.length && syntax[s].line < line; s++) {
        if (!validator) {
          result.headerProblems.push(`line ${syntax[s].line}: ${syntax[s].reason}`);
          return false;
        }
        result.syntaxProblems++;
        bad(syntax[s].line, syntax[s].reason);
      }
      return true;
    };
    for (const record of chunk.records) {
      if (!syntaxUpTo(record.line)) return result;
      if (!validator) {
        header.push(...record.fields.map((f) => f.trim().toLowerCase()));
        const read = CsvRowValidator.fromHeader(columns, record.fields);
        if ('problems' in read) {
          result.headerProblems = read.problems;
          return result;
        }
        validator = read.validator;
        continue;
      }
      const check = validator.check(record.fields);
      if (check.ok && options.checkRow) {
        const refused = options.checkRow(check.values);
        if (refused) {
          bad(record.line, refused);
          options.onBadRow?.(record.line, (name) => {
            const at = header.indexOf(name);
            return at === -1 ? undefined : record.fields[at]?.trim();
          });
          continue;
        }
      }
      if (check.ok) {
        result.rows++;
        check.values.unshift(String(record.line));
        good.push(check.values);
      } else {
        bad(record.line, check.reason);
        options.onBadRow?.(record.line, (name) => {
          const at = header.indexOf(name);
          return at === -1 ? undefined : record.fields[at]?.trim();
        });
      }
    }
    if (!syntaxUpTo(Infinity)) return result;
    if (good.length > 0) await options.sink.write(good);
    options.onProgress?.({ bytesRead: chunk.bytesRead, rows: result.rows, badRows: result.badRows });
  }
  if (!validator) {
    result.headerProblems.push('the file is empty: a header line is expected');
    return result;
  }
  result.staged = await options.sink.finish();
  return result;
}
