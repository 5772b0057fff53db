/**
 * CSV import of customers through the product's importer (stream-parse + validate in Node, COPY
 * into a staging table, one-transaction merge into customer / customer_email / customer_phone
 * with their indexes) against, in the same run, a raw pg-copy-streams COPY of the same rows into
 * the same real tables of a migrated schema (all their indexes, constraints, foreign keys and
 * triggers). Goals (issue 17): the importer within 2× of that COPY; re-importing the unchanged
 * file within 0.5× of the first import.
 *
 *   npm run build && node dist/bench/import-customers.bench.js [--rows 1000000]
 *
 * Runs against BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) on a
 * database of its own, created and dropped.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CustomerImportService } from '../apps/partner-node/src/import-export/customer-import.service.js';
import {
  benchArgs,
  copyTextFile,
  createBenchDatabase,
  csvRecords,
  fmt,
  migratedDataSource,
  profileQueries,
  timedImport,
  writeCustomersCsv,
} from './bench-support.js';

const CUSTOMER_COPY_COLUMNS = [
  'id',
  'external_id',
  'first_name',
  'last_name',
  'address_line1',
  'address_postal_code',
  'address_city',
  'address_country',
  'language',
  'lifecycle_stage',
  'tags',
  'attributes',
];

/** The customers CSV as one COPY input per real table, the customer ids drawn here. */
async function splitForCopy(
  file: string,
  dir: string,
): Promise<{ customers: string; emails: string; phones: string }> {
  const paths = {
    customers: join(dir, 'customer.copy'),
    emails: join(dir, 'customer_email.copy'),
    phones: join(dir, 'customer_phone.copy'),
  };
  const customers = copyTextFile(paths.customers);
  const emails = copyTextFile(paths.emails);
  const phones = copyTextFile(paths.phones);
  const orNull = (value: string) => (value === '' ? null : value);
  for await (const field of csvRecords(file)) {
    const id = randomUUID();
    const tags = field('tags');
    await customers.row([
      id,
      field('external_id'),
      field('first_name'),
      field('last_name'),
      orNull(field('address_line1')),
      orNull(field('address_postal_code')),
      orNull(field('address_city')),
      orNull(field('address_country')),
      orNull(field('language')),
      field('lifecycle_stage') || 'lead',
      tags ? `{${tags.split('|').join(',')}}` : '{}',
      field('attributes') || '{}',
    ]);
    if (field('email')) await emails.row([id, field('email').toLowerCase(), 't']);
    if (field('phone')) await phones.row([id, field('phone'), 't']);
  }
  await Promise.all([customers.end(), emails.end(), phones.end()]);
  return paths;
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'silent';
  const { rows } = benchArgs({ rows: 1_000_000 });
  const dir = mkdtempSync(join(tmpdir(), 'concordia-bench-'));
  const file = join(dir, 'customers.csv');
  const db = await createBenchDatabase('import');
  const loadStart = readFileSync('/proc/loadavg', 'utf8').trim();
  try {
    let t = performance.now();
    const bytes = await writeCustomersCsv(file, rows);
    console.log(
      `generated ${fmt(rows)} customers, ${fmt(bytes / 1024 / 1024, 1)} MiB, in ${fmt((performance.now() - t) / 1000, 1)} s`,
    );
    // The baselines run in a database of their own, so that the importer's tables start clean.
    const baseDb = await createBenchDatabase('copy');
    const baseSource = await migratedDataSource(baseDb.url);
    await baseSource.destroy();
    const base = new pg.Client({ connectionString: baseDb.url });
    await base.connect();
    const copyIn = (target: string, path: string, options = '') =>
      pipeline(
        createReadStream(path, { highWaterMark: 1 << 20 }),
        base.query(copyFrom(`COPY ${target} FROM STDIN ${options}`)),
      );

    // Floor: raw COPY of the CSV into a plain table with the same columns, no index.
    await base.query(`
      CREATE TABLE copy_plain (
        external_id text, first_name text, last_name text, email text, phone text, address_line1 text,
        address_postal_code text, address_city text, address_country text, language text,
        lifecycle_stage text, tags text, attributes jsonb)`);
    t = performance.now();
    await copyIn('copy_plain', file, 'WITH (FORMAT csv, HEADER true)');
    const plainSeconds = (performance.now() - t) / 1000;
    await base.query(`DROP TABLE copy_plain`);

    // Baseline (issue 17): raw COPY of the same rows into the real tables (customer, customer_email,
    // customer_phone of a migrated schema: all their indexes, constraints, foreign keys and the name
    // vocabulary trigger), in one transaction. The file is first split into one COPY input per
    // table, ids included (untimed): the baseline does no parsing, validation or matching at all.
    t = performance.now();
    const split = await splitForCopy(file, dir);
    const splitSeconds = (performance.now() - t) / 1000;
    await base.query(`CHECKPOINT`);
    t = performance.now();
    await base.query('BEGIN');
    await copyIn(`customer (${CUSTOMER_COPY_COLUMNS.join(', ')})`, split.customers);
    await copyIn('customer_email (customer_id, address, is_primary)', split.emails);
    await copyIn('customer_phone (customer_id, number, is_primary)', split.phones);
    await base.query('COMMIT');
    const copySeconds = (performance.now() - t) / 1000;
    await base.end();
    await baseDb.drop();

    const dataSource = await migratedDataSource(db.url);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CHECKPOINT`);

    // The product's importer, through its service (as the CLI calls it).
    const profile = process.env.BENCH_PROFILE === '1' ? profileQueries(dataSource) : undefined;
    const importer = new CustomerImportService(dataSource);
    const first = await timedImport(importer, file);
    profile?.report('first import');
    await client.query(`CHECKPOINT`);
    const again = await timedImport(importer, file);
    profile?.report('re-import');
    const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM customer`)).rows as { n: number }[];
    await client.end();
    await dataSource.destroy();

    const line = (label: string, seconds: number) =>
      console.log(
        `${label.padEnd(58)} ${fmt(seconds, 2).padStart(8)} s ${fmt(rows / seconds).padStart(10)} rows/s`,
      );
    console.log(`\ncustomers import, ${fmt(rows)} rows (${fmt(n)} customers in the table)`);
    console.log(`(split of the file into COPY inputs for the baseline, untimed: ${fmt(splitSeconds, 1)} s)`);
    line('raw COPY into a plain table, no index (floor)', plainSeconds);
    line('raw COPY into the real tables, all indexes (baseline)', copySeconds);
    line('importer, first import', first.seconds);
    line('  of which parse, validate, COPY to staging, SQL checks', first.stageSeconds);
    line('  of which merge into the real tables', first.seconds - first.stageSeconds);
    line('importer, same file again (no change)', again.seconds);
    console.log(
      `created ${fmt(first.report.inserted)}, e-mails ${fmt(first.report.details.emails)}, phones ${fmt(first.report.details.phones)}; ` +
        `re-import: ${fmt(again.report.unchanged)} unchanged, ${fmt(again.report.updated)} updated`,
    );
    console.log(
      `ratio importer / raw COPY into the real tables: ${fmt(first.seconds / copySeconds, 2)}× (goal ≤ 2×)`,
    );
    console.log(`ratio re-import / first import: ${fmt(again.seconds / first.seconds, 2)}× (goal ≤ 0.5×)`);
    console.log(`ratio importer / raw COPY into a plain table: ${fmt(first.seconds / plainSeconds, 1)}×`);
    console.log(`load average: start ${loadStart}, end ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
