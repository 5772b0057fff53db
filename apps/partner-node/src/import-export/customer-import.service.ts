import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CsvSource } from '#platform/csv/csv-reader';
import type { DataSource, QueryRunner } from 'typeorm';
import { CUSTOMER_IMPORT_FIELDS, CustomerImportRepository } from '../customers/customer-import.repository.js';
import { CUSTOMER_COLUMNS, CUSTOMER_STAGE_COLUMNS } from './customer-csv.js';
import {
  runCsvImport,
  takeProblemRows,
  type ImportPlan,
  type MergeCounts,
  type PlanContext,
} from './csv-import.js';
import type { ImportOptions, ImportReport } from './import-report.js';

const STAGE = 'import_customer_stage';
/** Customers: duplicates of an external id in the file are refused (the first one counts). */
const customerPlan: ImportPlan = {
  kind: 'customers',
  stageTable: STAGE,
  columns: CUSTOMER_COLUMNS,
  stageColumns: CUSTOMER_STAGE_COLUMNS,

  async check(runner: QueryRunner, _staged, ctx: PlanContext) {
    return takeProblemRows(
      runner,
      STAGE,
      `SELECT s.line_no, 'external_id: appears again in the file (first on line ' || d.first_line || ')' AS reason
         FROM ${STAGE} s
         JOIN (SELECT external_id, min(line_no) AS first_line FROM ${STAGE}
                GROUP BY external_id HAVING count(*) > 1) d ON d.external_id = s.external_id
        WHERE s.line_no <> d.first_line`,
      [],
      ctx.maxProblems,
    );
  },

  async merge(runner: QueryRunner, staged, ctx: PlanContext): Promise<MergeCounts> {
    // The customers module's statements; fields whose column is not in the file keep their value.
    const counts = await new CustomerImportRepository(runner).merge(
      CUSTOMER_IMPORT_FIELDS.filter((f) => ctx.header.has(f)),
      { email: ctx.header.has('email'), phone: ctx.header.has('phone') },
    );
    return {
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: staged.staged - counts.inserted - counts.updated,
      details: counts.details,
    };
  },
};

/**
 * Imports customers from a CSV stream (see CUSTOMER_COLUMNS for the format): idempotent by
 * `external_id`, all or nothing unless `skipInvalid`.
 */
@Injectable()
export class CustomerImportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  import(source: CsvSource, options: ImportOptions = {}): Promise<ImportReport> {
    return runCsvImport(this.dataSource, customerPlan, source, options);
  }
}
