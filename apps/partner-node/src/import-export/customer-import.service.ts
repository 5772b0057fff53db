import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CsvSource } from '#platform/csv/csv-reader';
import type { DataSource, QueryRunner } from 'typeorm';
import { CUSTOMER_COLUMNS, CUSTOMER_FIELDS, CUSTOMER_STAGE_COLUMNS } from './customer-csv.js';
import {
  runCsvImport,
  takeProblemRows,
  type ImportPlan,
  type MergeCounts,
  type PlanContext,
} from './csv-import.js';
import type { ImportOptions, ImportReport } from './import-report.js';

const STAGE = 'import_customer_stage';
/** The staging rows that change something, with their customer id and values. */
const WORK = 'import_customer_work';

/** How each customer field is computed from the staging row `s` (and the stored row `c`, if any). */
const FIELD_VALUE: Record<(typeof CUSTOMER_FIELDS)[number], string> = {
  first_name: 's.first_name',
  last_name: 's.last_name',
  address_line1: 's.address_line1',
  address_line2: 's.address_line2',
  address_postal_code: 's.address_postal_code',
  address_city: 's.address_city',
  address_region: 's.address_region',
  address_country: 's.address_country',
  language: 's.language',
  // Cannot be empty: an empty cell keeps the current stage (lead for a new customer).
  lifecycle_stage: `coalesce(s.lifecycle_stage, c.lifecycle_stage, 'lead')`,
  tags: `coalesce(string_to_array(s.tags, '|'), '{}'::text[])`,
  attributes: `coalesce(s.attributes::jsonb, '{}'::jsonb)`,
};

async function affected(runner: QueryRunner, sql: string, params: unknown[] = []): Promise<number> {
  const result = await runner.query(sql, params, true);
  return (result as { affected?: number }).affected ?? 0;
}

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
    // Fields whose column is in the file; the others keep their value on update.
    const fields = CUSTOMER_FIELDS.filter((f) => ctx.header.has(f));
    const withEmail = ctx.header.has('email');
    const withPhone = ctx.header.has('phone');
    // One pass over the file's rows joined with what is stored (by external id, then the primary
    // e-mail and phone): what each row changes. Rows equal to what is stored are left out, so that
    // an unchanged row costs no write, no index entry and no trigger work at all. New customers get
    // their id here, and the rows are kept in id order, so that the inserts below walk the indexes
    // keyed by customer id (and the foreign keys' probes of customer_pkey) page after page.
    const emailChanged = withEmail
      ? `s.email IS NOT NULL AND e.address IS DISTINCT FROM lower(s.email)`
      : 'false';
    const phoneChanged = withPhone ? `s.phone IS NOT NULL AND p.number IS DISTINCT FROM s.phone` : 'false';
    await runner.query(`
      CREATE TEMP TABLE ${WORK} ON COMMIT DROP AS
      SELECT * FROM (
        SELECT coalesce(c.id, gen_random_uuid()) AS id, c.id IS NULL AS is_new, s.external_id,
               ${fields.map((f) => `${FIELD_VALUE[f]} AS ${f}`).join(', ')}${fields.length ? ',' : ''}
               c.id IS NULL ${
                 fields.length
                   ? `OR (${fields.map((f) => `c.${f}`).join(', ')}) IS DISTINCT FROM (${fields.map((f) => FIELD_VALUE[f]).join(', ')})`
                   : ''
               } AS fields_changed,
               ${withEmail ? 'lower(s.email)' : 'NULL::text'} AS email, ${emailChanged} AS email_changed,
               ${withPhone ? 's.phone' : 'NULL::text'} AS phone, ${phoneChanged} AS phone_changed
          FROM ${STAGE} s
          LEFT JOIN customer c ON c.external_id = s.external_id
          ${withEmail ? 'LEFT JOIN customer_email e ON e.customer_id = c.id AND e.is_primary' : ''}
          ${withPhone ? 'LEFT JOIN customer_phone p ON p.customer_id = c.id AND p.is_primary' : ''}
      ) w
       WHERE fields_changed OR email_changed OR phone_changed
       ORDER BY id`);
    const [work] = (await runner.query(`
      SELECT count(*) FILTER (WHERE is_new)::int AS inserted,
             count(*) FILTER (WHERE fields_changed AND NOT is_new)::int AS updated,
             count(*) FILTER (WHERE (email_changed OR phone_changed) AND NOT is_new)::int AS contacts
        FROM ${WORK}`)) as { inserted: number; updated: number; contacts: number }[];
    const details: Record<string, number> = { emails: 0, phones: 0 };
    const counts = (): MergeCounts => ({
      inserted: work.inserted,
      updated: work.updated,
      unchanged: staged.staged - work.inserted - work.updated,
      details,
    });
    if (work.inserted + work.updated + work.contacts === 0) return counts();
    await runner.query(`ANALYZE ${WORK}`);

    if (work.inserted > 0) {
      // New customers: plain inserts (a customer created meanwhile with one of these external ids
      // makes the unique index refuse the import as a whole; it can be run again).
      await runner.query(`
        INSERT INTO customer (id, external_id, ${fields.join(', ')})
        SELECT id, external_id, ${fields.join(', ')} FROM ${WORK} WHERE is_new`);
    }
    if (work.updated > 0) {
      await runner.query(`
        UPDATE customer c SET ${fields.map((f) => `${f} = w.${f}`).join(', ')}, updated_at = now()
          FROM ${WORK} w
         WHERE c.id = w.id AND w.fields_changed AND NOT w.is_new`);
    }
    // The file's e-mail and phone become primary; the previous primary ones stay, as secondary.
    // A new customer has none yet: plain inserts.
    const contact = async (table: string, column: string, value: 'email' | 'phone'): Promise<number> => {
      let written = 0;
      if (work.inserted > 0)
        written += await affected(
          runner,
          `INSERT INTO ${table} (customer_id, ${column}, is_primary)
           SELECT id, ${value}, true FROM ${WORK} WHERE is_new AND ${value} IS NOT NULL`,
        );
      if (work.updated + work.contacts > 0) {
        await runner.query(`
          UPDATE ${table} x SET is_primary = false
            FROM ${WORK} w
           WHERE w.${value}_changed AND NOT w.is_new AND x.customer_id = w.id AND x.is_primary
             AND x.${column} <> w.${value}`);
        written += await affected(
          runner,
          `INSERT INTO ${table} AS x (customer_id, ${column}, is_primary)
           SELECT id, ${value}, true FROM ${WORK} WHERE ${value}_changed AND NOT is_new
           ON CONFLICT (customer_id, ${column}) DO UPDATE SET is_primary = true WHERE NOT x.is_primary`,
        );
      }
      return written;
    };
    if (withEmail) details.emails = await contact('customer_email', 'address', 'email');
    if (withPhone) details.phones = await contact('customer_phone', 'number', 'phone');
    return counts();
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
