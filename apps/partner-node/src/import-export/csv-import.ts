import { performance } from 'node:perf_hooks';
import type { DataSource, QueryRunner } from 'typeorm';
import type { CsvColumn } from '#platform/csv/csv-columns';
import { CsvFatalError, type CsvSource } from '#platform/csv/csv-reader';
import { getLogger } from '#platform/logging/logger';
import {
  DEFAULT_MAX_PROBLEMS,
  type ImportOptions,
  type ImportReport,
  type RowProblem,
} from './import-report.js';
import { createStagingTable, openStagingSink, stageCsv, type StageCsvResult } from './staging.js';

/** Problems found by SQL over the staging table (the offending rows are removed from it). */
export interface SqlProblems {
  count: number;
  problems: RowProblem[];
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  details: Record<string, number>;
}

/** What differs between the customers and the orders import. */
export interface ImportPlan {
  kind: ImportReport['kind'];
  stageTable: string;
  columns: readonly CsvColumn[];
  /** Staging columns, in `columns` order. */
  stageColumns: readonly string[];
  /** A rule across columns of a valid row (values in `columns` order). */
  checkRow?: (values: readonly (string | null)[]) => string | undefined;
  /** Remembers what the bad rows were about (e.g. their order), before they are forgotten. */
  onBadRow?: (line: number, field: (name: string) => string | undefined) => void;
  /** Checks that need the database or the whole file; removes the offending rows from staging. */
  check(runner: QueryRunner, staged: StageCsvResult, ctx: PlanContext): Promise<SqlProblems>;
  /** Why nothing may be written even with skipInvalid (e.g. unreadable lines of an orders file). */
  refuse?(staged: StageCsvResult): string | undefined;
  /** What the report says about the rows that will be written (after the checks, before the merge). */
  summarise?(runner: QueryRunner, ctx: PlanContext): Promise<Partial<ImportReport>>;
  /** Merges the staging table into the real tables (inside the import's transaction). */
  merge(runner: QueryRunner, staged: StageCsvResult, ctx: PlanContext): Promise<MergeCounts>;
}

export interface PlanContext {
  /** Lower-case names of the columns present in the file's header. */
  header: ReadonlySet<string>;
  maxProblems: number;
  skipInvalid: boolean;
}

/** Merges two line-sorted problem lists, keeping at most `max`. */
export function mergeProblems(a: RowProblem[], b: RowProblem[], max: number): RowProblem[] {
  const out: RowProblem[] = [];
  let i = 0;
  let j = 0;
  while (out.length < max && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && a[i].line <= b[j].line)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

/**
 * Runs an import in ONE transaction on ONE connection: stream-parse and validate the file into a
 * temporary staging table, run the SQL checks, then either merge and commit, or roll back so that
 * nothing at all is written (the default when any row is bad). A crash or an error anywhere
 * rolls back too: an import never leaves half-written data.
 */
export async function runCsvImport(
  dataSource: DataSource,
  plan: ImportPlan,
  source: CsvSource,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const started = performance.now();
  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const skipInvalid = options.skipInvalid ?? false;
  const report: ImportReport = {
    kind: plan.kind,
    written: false,
    rows: 0,
    badRows: 0,
    problems: [],
    fileProblems: [],
    inserted: 0,
    updated: 0,
    unchanged: 0,
    details: {},
    durationMs: 0,
  };
  const done = (): ImportReport => {
    report.durationMs = Math.round(performance.now() - started);
    getLogger().info(
      {
        kind: report.kind,
        written: report.written,
        rows: report.rows,
        badRows: report.badRows,
        inserted: report.inserted,
        updated: report.updated,
        durationMs: report.durationMs,
      },
      'csv import finished',
    );
    return report;
  };

  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    // The checks and the merge hash, sort and flush GIN pending lists over the whole file: with the
    // default 4 MB each spills to disk many times over. For this transaction only.
    await runner.query(`SET LOCAL work_mem = '64MB'`);
    await createStagingTable(runner, plan.stageTable, plan.stageColumns);
    const sink = await openStagingSink(dataSource, runner, plan.stageTable, plan.stageColumns);
    let staged: StageCsvResult;
    try {
      staged = await stageCsv({
        source,
        columns: plan.columns,
        sink,
        maxProblems,
        onProgress: options.onProgress,
        onBadRow: plan.onBadRow,
        checkRow: plan.checkRow,
      });
    } catch (error) {
      await sink.abort();
      if (error instanceof CsvFatalError) {
        report.fileProblems.push(error.message);
        await runner.rollbackTransaction();
        return done();
      }
      throw error;
    }
    report.rows = staged.rows;
    if (staged.headerProblems.length > 0) {
      await sink.abort();
      report.fileProblems = staged.headerProblems;
      await runner.rollbackTransaction();
      return done();
    }
    // Temporary tables are never analysed automatically; the merge plans need the row count.
    await runner.query(`ANALYZE ${plan.stageTable}`);
    const ctx: PlanContext = {
      header: new Set(staged.header),
      maxProblems,
      skipInvalid,
    };
    const sqlProblems = await plan.check(runner, staged, ctx);
    staged.staged -= sqlProblems.count;
    report.badRows = staged.badRows + sqlProblems.count;
    report.problems = mergeProblems(staged.problems, sqlProblems.problems, maxProblems);
    const refusal = plan.refuse?.(staged);
    if (refusal) report.fileProblems.push(refusal);
    if (plan.summarise) Object.assign(report, await plan.summarise(runner, ctx));
    if (refusal || (report.badRows > 0 && !skipInvalid)) {
      await runner.rollbackTransaction();
      return done();
    }
    if (options.dryRun) {
      report.dryRun = true;
      await runner.rollbackTransaction();
      return done();
    }
    options.onMerge?.();
    const counts = await plan.merge(runner, staged, ctx);
    await runner.commitTransaction();
    Object.assign(report, counts, { written: true });
    return done();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/** Lists (up to `max`) and counts the staging rows a query selects, then deletes them. */
export async function takeProblemRows(
  runner: QueryRunner,
  stageTable: string,
  /** SELECT returning `line_no` and `reason` of the offending staging rows. */
  select: string,
  params: unknown[],
  max: number,
): Promise<SqlProblems> {
  const table = `${stageTable}_refused`;
  await runner.query(`CREATE TEMP TABLE ${table} ON COMMIT DROP AS ${select}`, params);
  const [{ count }] = (await runner.query(`SELECT count(*)::int AS count FROM ${table}`)) as {
    count: number;
  }[];
  if (count === 0) {
    await runner.query(`DROP TABLE ${table}`);
    return { count: 0, problems: [] };
  }
  const problems = (await runner.query(
    `SELECT line_no AS line, reason FROM ${table} ORDER BY line_no LIMIT ${Math.max(0, Math.floor(max))}`,
  )) as RowProblem[];
  await runner.query(`DELETE FROM ${stageTable} s USING ${table} r WHERE s.line_no = r.line_no`);
  await runner.query(`DROP TABLE ${table}`);
  return { count, problems };
}
