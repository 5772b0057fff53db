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

/** How each customer field is computed from the staging row `s` (and the current row `cur`). */
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
  lifecycle_stage: `coalesce(s.lifecycle_stage, cur.lifecycle_stage, 'lead')`,
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
    const joinCurrent = fields.includes('lifecycle_stage')
      ? `LEFT JOIN customer cur ON cur.external_id = s.external_id`
      : '';
    const [counts] = (await runner.query(`
      WITH upserted AS (
        INSERT INTO customer AS c (external_id, ${fields.join(', ')})
        SELECT s.external_id, ${fields.map((f) => FIELD_VALUE[f]).join(', ')}
          FROM ${STAGE} s ${joinCurrent}
        ON CONFLICT (external_id) WHERE external_id IS NOT NULL DO UPDATE
           SET ${fields.map((f) => `${f} = excluded.${f}`).join(', ')}, updated_at = now()
         WHERE (${fields.map((f) => `c.${f}`).join(', ')}) IS DISTINCT FROM (${fields.map((f) => `excluded.${f}`).join(', ')})
        RETURNING (xmax = 0) AS inserted
      )
      SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
             count(*) FILTER (WHERE NOT inserted)::int AS updated
        FROM upserted`)) as { inserted: number; updated: number }[];

    const details: Record<string, number> = { emails: 0, phones: 0 };
    const withEmail = ctx.header.has('email');
    const withPhone = ctx.header.has('phone');
    if (withEmail || withPhone) {
      await runner.query(`
        CREATE TEMP TABLE import_customer_contact ON COMMIT DROP AS
        SELECT c.id AS customer_id, ${withEmail ? 'lower(s.email)' : 'NULL::text'} AS email,
               ${withPhone ? 's.phone' : 'NULL::text'} AS phone
          FROM ${STAGE} s JOIN customer c ON c.external_id = s.external_id
         WHERE ${[withEmail && 's.email IS NOT NULL', withPhone && 's.phone IS NOT NULL'].filter(Boolean).join(' OR ')}
         -- In customer id order, so that the inserts below walk the indexes keyed by customer id
         -- (and the foreign key's probes of customer_pkey) page after page, not at random.
         ORDER BY c.id`);
      // The file's e-mail and phone become primary; the previous primary ones stay, as secondary.
      if (withEmail) {
        await runner.query(`
          UPDATE customer_email e SET is_primary = false
            FROM import_customer_contact m
           WHERE m.email IS NOT NULL AND e.customer_id = m.customer_id AND e.is_primary AND e.address <> m.email`);
        details.emails = await affected(
          runner,
          `INSERT INTO customer_email AS e (customer_id, address, is_primary)
           SELECT customer_id, email, true FROM import_customer_contact WHERE email IS NOT NULL
           ON CONFLICT (customer_id, address) DO UPDATE SET is_primary = true WHERE NOT e.is_primary`,
        );
      }
      if (withPhone) {
        await runner.query(`
          UPDATE customer_phone p SET is_primary = false
            FROM import_customer_contact m
           WHERE m.phone IS NOT NULL AND p.customer_id = m.customer_id AND p.is_primary AND p.number <> m.phone`);
        details.phones = await affected(
          runner,
          `INSERT INTO customer_phone AS p (customer_id, number, is_primary)
           SELECT customer_id, phone, true FROM import_customer_contact WHERE phone IS NOT NULL
           ON CONFLICT (customer_id, number) DO UPDATE SET is_primary = true WHERE NOT p.is_primary`,
        );
      }
    }
    return {
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: staged.staged - counts.inserted - counts.updated,
      details,
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
