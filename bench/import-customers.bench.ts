/**
 * CSV import of customers through the product's importer (stream-parse + validate in Node, COPY
 * into a staging table, one-transaction merge into customer / customer_email / customer_phone
 * with their indexes) against a raw pg-copy-streams COPY of the same file into an equivalent plain
 * table, in the same run. Goal: the importer within 2× of the raw COPY.
 *
 *   npm run build && node dist/bench/import-customers.bench.js [--rows 1000000]
 *
 * Runs against BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) on a
 * database of its own, created and dropped.
 */
import 'reflect-metadata';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CustomerImportService } from '../apps/partner-node/src/import-export/customer-import.service.js';
import type { ImportReport } from '../apps/partner-node/src/import-export/import-report.js';
import {
  benchArgs,
  createBenchDatabase,
  fmt,
  migratedDataSource,
  writeCustomersCsv,
} from './bench-support.js';

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'silent';
  const { rows } = benchArgs({ rows: 1_000_000 });
  const dir = mkdtempSync(join(tmpdir(), 'concordia-bench-'));
  const file = join(dir, 'customers.csv');
  const db = await createBenchDatabase('import');
  try {
    let t = performance.now();
    const bytes = await writeCustomersCsv(file, rows);
    console.log(
      `generated ${fmt(rows)} customers, ${fmt(bytes / 1024 / 1024, 1)} MiB, in ${fmt((performance.now() - t) / 1000, 1)} s`,
    );
    // Baseline and floor run in a database of their own, so that the importer's tables start clean.
    const floorDb = await createBenchDatabase('floor');
    const floorSource = await migratedDataSource(floorDb.url);
    await floorSource.destroy();

    // Baseline: raw COPY of the same CSV into a plain table with the same columns, no indexes.
    const floor = new pg.Client({ connectionString: floorDb.url });
    await floor.connect();
    await floor.query(`
      CREATE TABLE copy_baseline (
        external_id text, first_name text, last_name text, email text, phone text, address_line1 text,
        address_postal_code text, address_city text, address_country text, language text,
        lifecycle_stage text, tags text, attributes jsonb)`);
    t = performance.now();
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      floor.query(copyFrom(`COPY copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)`)),
    );
    const copySeconds = (performance.now() - t) / 1000;
    // Baseline: raw COPY into an equivalent table: the same columns with the same kinds of indexes
    // as the product's (unique external id, trigram GiST on the name, e-mail prefix, reversed phone).
    await floor.query(`
      CREATE TABLE copy_equivalent (
        external_id text UNIQUE, first_name text, last_name text, email text, phone text, address_line1 text,
        address_postal_code text, address_city text, address_country text, language text,
        lifecycle_stage text, tags text, attributes jsonb,
        search_text text GENERATED ALWAYS AS (lower(first_name || ' ' || last_name)) STORED)`);
    await floor.query(`CREATE INDEX ON copy_equivalent USING gist (search_text gist_trgm_ops)`);
    await floor.query(`CREATE INDEX ON copy_equivalent (lower(email) text_pattern_ops)`);
    await floor.query(`CREATE INDEX ON copy_equivalent (reverse(phone) text_pattern_ops)`);
    t = performance.now();
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      floor.query(copyFrom(`COPY copy_equivalent FROM STDIN WITH (FORMAT csv, HEADER true)`)),
    );
    const equivalentSeconds = (performance.now() - t) / 1000;
    // The floor of the real tables: plain INSERT … SELECT of those rows into customer, customer_email
    // and customer_phone with all their indexes and foreign keys (no validation, no upsert), rolled back.
    await floor.query(`ANALYZE copy_baseline`);
    t = performance.now();
    await floor.query('BEGIN');
    await floor.query(`
      INSERT INTO customer (external_id, first_name, last_name, address_line1, address_postal_code, address_city,
                            address_country, language, lifecycle_stage, tags, attributes)
      SELECT external_id, first_name, last_name, address_line1, address_postal_code, address_city, address_country,
             language, coalesce(lifecycle_stage, 'lead'), coalesce(string_to_array(tags, '|'), '{}'),
             coalesce(attributes, '{}')
        FROM copy_baseline`);
    await floor.query(`ANALYZE customer`);
    await floor.query(`
      INSERT INTO customer_email (customer_id, address, is_primary)
      SELECT c.id, lower(b.email), true FROM copy_baseline b JOIN customer c ON c.external_id = b.external_id
       WHERE b.email IS NOT NULL`);
    await floor.query(`
      INSERT INTO customer_phone (customer_id, number, is_primary)
      SELECT c.id, b.phone, true FROM copy_baseline b JOIN customer c ON c.external_id = b.external_id
       WHERE b.phone IS NOT NULL`);
    const floorSeconds = (performance.now() - t) / 1000;
    await floor.query('ROLLBACK');
    await floor.end();
    await floorDb.drop();

    const dataSource = await migratedDataSource(db.url);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CHECKPOINT`);

    // The product's importer, through its service (as the CLI calls it).
    const importer = new CustomerImportService(dataSource);
    const run = async (): Promise<{ report: ImportReport; seconds: number; stageSeconds: number }> => {
      const started = performance.now();
      let merging = started;
      const report = await importer.import(createReadStream(file, { highWaterMark: 1 << 20 }), {
        onMerge: () => (merging = performance.now()),
      });
      if (!report.written) throw new Error(`import refused: ${JSON.stringify(report.problems.slice(0, 5))}`);
      return {
        report,
        seconds: (performance.now() - started) / 1000,
        stageSeconds: (merging - started) / 1000,
      };
    };
    const first = await run();
    await client.query(`CHECKPOINT`);
    const again = await run();
    const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM customer`)).rows as { n: number }[];
    await client.end();
    await dataSource.destroy();

    const line = (label: string, seconds: number) =>
      console.log(
        `${label.padEnd(44)} ${fmt(seconds, 2).padStart(8)} s ${fmt(rows / seconds).padStart(10)} rows/s`,
      );
    console.log(`\ncustomers import, ${fmt(rows)} rows (${fmt(n)} customers in the table)`);
    line('raw COPY into a plain table (baseline)', copySeconds);
    line('raw COPY into an equivalent indexed table', equivalentSeconds);
    line('raw INSERT…SELECT into the real tables (floor)', floorSeconds);
    line('importer, first import', first.seconds);
    line('  of which parse + validate + COPY to staging', first.stageSeconds);
    line('  of which checks + merge (3 tables, 16 indexes)', first.seconds - first.stageSeconds);
    line('importer, same file again (no change)', again.seconds);
    console.log(
      `created ${fmt(first.report.inserted)}, e-mails ${fmt(first.report.details.emails)}, phones ${fmt(first.report.details.phones)}; ` +
        `re-import: ${fmt(again.report.unchanged)} unchanged, ${fmt(again.report.updated)} updated`,
    );
    console.log(`ratio importer / raw COPY into a plain table: ${fmt(first.seconds / copySeconds, 2)}×`);
    console.log(
      `ratio importer / raw COPY into an equivalent indexed table: ${fmt(first.seconds / equivalentSeconds, 2)}× (goal ≤ 2×)`,
    );
    console.log(
      `ratio importer / (raw COPY + floor of the real tables): ${fmt(first.seconds / (copySeconds + floorSeconds), 2)}×`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
