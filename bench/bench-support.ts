/**
 * Shared pieces of the database benchmarks: a throw-away database on the benchmark server
 * (`BENCH_DATABASE_URL`, default the local trust-auth server), a seeded generator of realistic
 * customers, and small statistics helpers. Figures are printed, never asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { copyTextRow } from '#platform/csv/copy-text';
import { readCsv, type CsvSource } from '#platform/csv/csv-reader';
import type { ImportOptions, ImportReport } from '../apps/partner-node/src/import-export/import-report.js';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../libs/platform/src/database/data-source-options.js';
import { PARTNER_NODE_MIGRATIONS } from '../apps/partner-node/src/database/migrations.js';

export const BENCH_ADMIN_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const name = `bench_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(BENCH_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: BENCH_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A DataSource on the bench database with the partner node's schema (all migrations applied). */
export async function migratedDataSource(url: string, poolSize = 4): Promise<DataSource> {
  const dataSource = new DataSource(
    dataSourceOptions({ url, embeddedDataDir: 'unused', poolSize }, [], PARTNER_NODE_MIGRATIONS),
  );
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

export function benchArgs(defaults: { rows: number; seconds?: number; concurrency?: number }) {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      seconds: { type: 'string' },
      concurrency: { type: 'string' },
    },
    strict: true,
  });
  const int = (text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const n = Number(text.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new Error(`not a positive whole number: ${text}`);
    return n;
  };
  return {
    rows: int(values.rows, defaults.rows),
    seconds: int(values.seconds, defaults.seconds ?? 10),
    concurrency: int(values.concurrency, defaults.concurrency ?? 16),
  };
}

/** mulberry32: a small, fast, seeded PRNG (the same seed gives the same data on every run). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FIRST_NAMES = [
  'Adèle',
  'Aiko',
  'Amara',
  'Anders',
  'Ana',
  'Anouk',
  'Arjun',
  'Astrid',
  'Beatriz',
  'Bruno',
  'Camille',
  'Carlos',
  'Chloé',
  'Chiara',
  'Dmitri',
  'Elena',
  'Elif',
  'Emma',
  'Fatima',
  'Felix',
  'Giulia',
  'Hannah',
  'Hugo',
  'Ines',
  'Isabel',
  'Jakub',
  'James',
  'Jean',
  'João',
  'Julia',
  'Kenji',
  'Lars',
  'Laura',
  'Léa',
  'Liam',
  'Lucas',
  'Luca',
  'Maëlle',
  'Marco',
  'María',
  'Mateo',
  'Mei',
  'Mohamed',
  'Nadia',
  'Noah',
  'Nora',
  'Olivia',
  'Omar',
  'Paul',
  'Pierre',
  'Priya',
  'Rafael',
  'Rania',
  'Sofia',
  'Sophie',
  'Søren',
  'Thomas',
  'Yusuf',
  'Zoé',
  'Zofia',
];
export const LAST_NAMES = [
  'Andersen',
  'Bauer',
  'Bernard',
  'Bianchi',
  'Brown',
  'Costa',
  'Dubois',
  'Dupont',
  'Durand',
  'Fernández',
  'Ferrari',
  'Fischer',
  'García',
  'Girard',
  'González',
  'Hansen',
  'Hoffmann',
  'Jansen',
  'Johansson',
  'Kowalski',
  'Kumar',
  'Lambert',
  'Laurent',
  'Lefèvre',
  'Leroy',
  'López',
  'Martin',
  'Martínez',
  'Meyer',
  'Moreau',
  'Müller',
  'Nakamura',
  'Nguyen',
  'Nielsen',
  'Novak',
  'O’Brien',
  'Petit',
  'Popescu',
  'Ricci',
  'Richard',
  'Roux',
  'Russo',
  'Santos',
  'Schmidt',
  'Schneider',
  'Silva',
  'Smith',
  'Sousa',
  'Tanaka',
  'Taylor',
  'Thomas',
  'Van Dijk',
  'Wagner',
  'Weber',
  'Williams',
  'Wilson',
  'Yılmaz',
  'Zhang',
  'Ziegler',
  'de Vries',
];
const CITIES: [string, string, string, string, string][] = [
  ['Paris', '75011', 'FR', 'fr', '+331'],
  ['Lyon', '69003', 'FR', 'fr', '+334'],
  ['Bordeaux', '33000', 'FR', 'fr', '+335'],
  ['Berlin', '10115', 'DE', 'de', '+4930'],
  ['München', '80331', 'DE', 'de', '+4989'],
  ['Madrid', '28013', 'ES', 'es', '+3491'],
  ['Lisboa', '1100-148', 'PT', 'pt-PT', '+35121'],
  ['Milano', '20121', 'IT', 'it', '+3902'],
  ['London', 'EC1A 1BB', 'GB', 'en-GB', '+4420'],
  ['Amsterdam', '1012 JS', 'NL', 'nl', '+3120'],
];
const STREETS = [
  'rue de la République',
  'Hauptstraße',
  'Calle Mayor',
  'High Street',
  'Via Roma',
  'Avenida da Liberdade',
];
const STAGES = ['lead', 'prospect', 'customer', 'customer', 'customer', 'churned'];
const TAGS = ['vip', 'newsletter', 'b2b', 'loyalty', 'student', 'employee'];
const SEGMENTS = ['bronze', 'silver', 'gold', 'platinum'];

export const CUSTOMER_CSV_HEADER = [
  'external_id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'address_line1',
  'address_postal_code',
  'address_city',
  'address_country',
  'language',
  'lifecycle_stage',
  'tags',
  'attributes',
];

const ascii = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

/** Writes `rows` customers as CSV (the product's import format); returns the file size in bytes. */
export async function writeCustomersCsv(path: string, rows: number, seed = 20250301): Promise<number> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const out = createWriteStream(path);
  let bytes = 0;
  let chunk = `${CUSTOMER_CSV_HEADER.join(',')}\n`;
  for (let i = 1; i <= rows; i++) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const [city, postal, country, language, prefix] = pick(CITIES);
    const phone = `${prefix}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
    const tags = random() < 0.4 ? `${pick(TAGS)}|${pick(TAGS)}` : random() < 0.5 ? pick(TAGS) : '';
    const attributes =
      random() < 0.3 ? `"{""segment"":""${pick(SEGMENTS)}"",""score"":${Math.floor(random() * 100)}}"` : '';
    const lastField = last.includes(' ') || last.includes('’') ? `"${last}"` : last;
    chunk +=
      `C${String(i).padStart(8, '0')},${first},${lastField},${ascii(first)}.${ascii(last)}.${i}@example.com,` +
      `${random() < 0.8 ? phone : ''},${1 + Math.floor(random() * 200)} ${pick(STREETS)},${postal},${city},` +
      `${country},${language},${pick(STAGES)},${tags},${attributes}\n`;
    if (chunk.length > 1 << 20) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await finished(out);
  return bytes;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const NODE_MAIN = fileURLToPath(new URL('../apps/partner-node/src/main.js', import.meta.url));

/**
 * A partner node in a child process (dist/apps/partner-node/src/main.js), so that it does not share
 * the load generator's event loop; `env` is added to this process's environment.
 */
export function startNodeProcess(env: Record<string, string>): {
  child: ChildProcess;
  exited: Promise<number | null>;
} {
  // BENCH_NODE_FLAGS: extra flags for the node process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((f) => f.length > 0);
  const child = spawn(process.execPath, [...flags, NODE_MAIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

/** Waits until the node at `url` answers /health (fails if it exits first, or after 150 s). */
export async function waitForHealth(url: string, exited: Promise<number | null>): Promise<void> {
  let dead = false;
  void exited.then(() => (dead = true));
  for (let i = 0; i < 600; i++) {
    if (dead) throw new Error('the partner node exited during start-up');
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the partner node did not become healthy in 150 s');
}

const LOAD_BATCH = 100_000;

/** A customer's name by its index (1…rows), e.g. `populationName` from the fixtures. */
export type NameOf = (index: number) => { firstName: string; lastName: string };

/** An e-mail local part from a name: accents off, letters and dots only ("Łukasz", "Čapek" → "lukasz.capek"). */
const mailLocal = (first: string, last: string) =>
  `${first}.${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ø/g, 'o')
    .replace(/ı/g, 'i')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();

/**
 * `rows` customers (external ids C00000001…) with a primary e-mail and (80 %) a phone, by
 * generate_series in batches of 100,000 (1,000,000 in about a minute). Names are picked uniformly
 * from FIRST_NAMES and LAST_NAMES (about 120 distinct words), or given by `nameOf` (a realistic
 * long tail of surnames: the customer search's vocabulary grows with the base, as a real one does).
 */
export async function loadCustomers(client: pg.Client, rows: number, nameOf?: NameOf): Promise<void> {
  for (let from = 1; from <= rows; from += LOAD_BATCH) {
    const to = Math.min(rows, from + LOAD_BATCH - 1);
    const given = nameOf ? Array.from({ length: to - from + 1 }, (_, k) => nameOf(from + k)) : [];
    const [firstName, lastName, mail] = nameOf
      ? [`f[i - $1 + 1]`, `l[i - $1 + 1]`, `m[substr(external_id, 2)::int - $1 + 1]`]
      : [
          `f[1 + abs(hashint4(i)) % cardinality(f)]`,
          `l[1 + abs(hashint4(i + 7919)) % cardinality(l)]`,
          `lower(regexp_replace(translate(first_name || '.' || last_name,
             'ÀÁÂÄÇÈÉÊËÍÎÏÑÓÔÖØÙÚÛÜàáâäçèéêëíîïñóôöøùúûüßğışł', 'AAAACEEEEIIINOOOOUUUUaaaaceeeeiiinoooouuuusgisl'),
             '[^A-Za-z.]', '', 'g'))`,
        ];
    await client.query(
      `WITH names AS (SELECT $3::text[] AS f, $4::text[] AS l, $5::text[] AS m),
            made AS (
              INSERT INTO customer (external_id, first_name, last_name, address_city, address_country, language,
                                    lifecycle_stage, tags)
              SELECT 'C' || lpad(i::text, 8, '0'),
                     ${firstName},
                     ${lastName},
                     (ARRAY['Paris','Lyon','Berlin','Madrid','Milano','London'])[1 + i % 6],
                     (ARRAY['FR','FR','DE','ES','IT','GB'])[1 + i % 6],
                     (ARRAY['fr','fr','de','es','it','en-GB'])[1 + i % 6],
                     (ARRAY['lead','prospect','customer','customer','churned'])[1 + i % 5],
                     CASE WHEN i % 3 = 0 THEN ARRAY['vip'] ELSE '{}' END
                FROM generate_series($1::int, $2::int) i, names
              RETURNING id, external_id, first_name, last_name),
            mails AS (
              INSERT INTO customer_email (customer_id, address, is_primary)
              SELECT id, ${mail} || '.' || ltrim(substr(external_id, 2), '0') || '@example.com', true
                FROM made, names)
       INSERT INTO customer_phone (customer_id, number, is_primary)
       SELECT id, '+336' || lpad((abs(hashint4(substr(external_id, 2)::int)) % 100000000)::text, 8, '0'), true
         FROM made WHERE substr(external_id, 2)::int % 5 <> 0
       ON CONFLICT DO NOTHING`,
      nameOf
        ? [
            from,
            to,
            given.map((n) => n.firstName),
            given.map((n) => n.lastName),
            given.map((n) => mailLocal(n.firstName, n.lastName)),
          ]
        : [from, to, FIRST_NAMES, LAST_NAMES, []],
    );
    process.stderr.write(`\rloaded ${fmt(to)} customers`);
  }
  process.stderr.write('\n');
  await client.query('ANALYZE');
}

export interface Measure {
  requests: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

/** `concurrency` workers call `work` in a loop for `seconds`; latencies in ms. */
export async function drive(
  concurrency: number,
  seconds: number,
  work: (i: number) => Promise<void>,
): Promise<Measure> {
  const latencies: number[] = [];
  let errors = 0;
  let counter = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const i = counter++;
        const t = performance.now();
        try {
          await work(i);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, seconds: (performance.now() - started) / 1000, latencies };
}

export interface BenchNode {
  url: string;
  /** The node process's id (for its CPU time: `cpuSecondsOf`). */
  pid: number;
  /** A GraphQL call as the node's administrator; throws the first GraphQL error. */
  gql(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * A partner node in a child process (its own event loop, not the load generator's) on `dbUrl`,
 * healthy and logged in as its administrator.
 */
export async function startBenchNode(dbUrl: string, poolSize: number): Promise<BenchNode> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const password = randomBytes(18).toString('base64url');
  const node = startNodeProcess({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: dbUrl,
    DATABASE_POOL_SIZE: String(poolSize),
    REDIS_URL: '',
    AUTH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    KEY_ENCRYPTION_SECRET: randomBytes(32).toString('base64url'),
    AUTH_TOKEN_TTL_SECONDS: '3600',
    ADMIN_EMAIL: 'bench-admin@example.test',
    ADMIN_PASSWORD: password,
    LOG_LEVEL: 'warn',
  });
  const stop = async () => {
    node.child.kill('SIGTERM');
    await node.exited;
  };
  let token: string | undefined;
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const body = (await postJson(
      `${url}/graphql`,
      { query, variables },
      token ? { authorization: `Bearer ${token}` } : {},
    )) as {
      data?: Record<string, unknown>;
      errors?: { message: string }[];
    };
    if (body.errors) throw new Error(body.errors[0].message);
    return body.data!;
  };
  try {
    const t = performance.now();
    await waitForHealth(url, node.exited);
    console.log(`partner node up on ${url} in ${fmt((performance.now() - t) / 1000, 1)} s`);
    const { login } = (await gql(
      `mutation($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { token } }`,
      { email: 'bench-admin@example.test', password },
    )) as { login: { token: string } };
    token = login.token;
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: node.child.pid!, gql, stop };
}

/**
 * CPU seconds so far of each PostgreSQL backend serving these databases (from /proc: the server
 * runs on this machine). Two readings give the backends' work in between (`backendCpuSeconds`):
 * per backend, so that a backend which connected in between counts from zero and one which
 * disconnected (an idle pool client closed) takes nothing away. Summing only the backends alive at
 * each reading did, and made one phase's PostgreSQL CPU look twice another's.
 */
export type BackendCpu = Map<number, { seconds: number; database: string }>;

export async function backendCpu(
  query: (sql: string, values: unknown[]) => Promise<unknown[]>,
  databases: readonly string[],
): Promise<BackendCpu> {
  const rows = (await query(`SELECT pid, datname FROM pg_stat_activity WHERE datname = ANY ($1::text[])`, [
    databases,
  ])) as { pid: number; datname: string }[];
  const cpu: BackendCpu = new Map();
  for (const { pid, datname } of rows) {
    const seconds = cpuSecondsOf(pid);
    if (seconds !== undefined) cpu.set(pid, { seconds, database: datname });
  }
  return cpu;
}

/** The backends' CPU seconds between two readings, of the databases `only` accepts (all without it). */
export const backendCpuSeconds = (
  from: BackendCpu,
  to: BackendCpu,
  only?: (database: string) => boolean,
): number =>
  [...to]
    .filter(([, b]) => !only || only(b.database))
    .reduce((sum, [pid, b]) => sum + b.seconds - (from.get(pid)?.seconds ?? 0), 0);

/** Kept-alive connections for the benches' HTTP requests (one per concurrent request). */
const benchAgent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * POSTs JSON and parses the JSON answer, over node:http with kept-alive connections: the load
 * generator shares the machine's two cores with what it measures, and `fetch` (undici) spent
 * about 1 ms of CPU per request, three times this, taken from the server under test.
 */
export function postJson(
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: benchAgent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(new Error(`${url}: HTTP ${res.statusCode}, not JSON (${String(error)})`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere.
 * On a shared machine a process's CPU per request says more than its latency, which includes the
 * time it waited for a core.
 */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on Linux on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * What this machine's raw node:crypto Ed25519 costs, one call at a time on one core (µs; a 1 kB
 * message, about a registration's): the machines the benches ran on differed most in this (a
 * verification took 61 µs on one and 115 µs on another), so a bench that signs prints it beside
 * its figures.
 */
export function ed25519Costs(calls = 2000): {
  signMicros: number;
  verifyMicros: number;
  /** libsodium's (sodium-native), what the servers' Ed25519 workers compute with; absent if it does not load. */
  sodium?: { signMicros: number; verifyMicros: number };
} {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const message = randomBytes(1024);
  const signature = sign(null, message, privateKey);
  const time = (call: () => void): number => {
    for (let i = 0; i < calls / 10; i++) call();
    const started = performance.now();
    for (let i = 0; i < calls; i++) call();
    return ((performance.now() - started) * 1000) / calls;
  };
  const costs = {
    signMicros: time(() => sign(null, message, privateKey)),
    verifyMicros: time(() => verify(null, message, publicKey, signature)),
  };
  let sodium: SodiumSign;
  try {
    sodium = createRequire(import.meta.url)('sodium-native') as SodiumSign;
  } catch {
    return costs;
  }
  const jwk = privateKey.export({ format: 'jwk' });
  const raw = Buffer.concat([Buffer.from(jwk.d!, 'base64url'), Buffer.from(jwk.x!, 'base64url')]);
  const out = Buffer.alloc(64);
  return {
    ...costs,
    sodium: {
      signMicros: time(() => sodium.crypto_sign_detached(out, message, raw)),
      verifyMicros: time(() => sodium.crypto_sign_verify_detached(signature, message, raw.subarray(32))),
    },
  };
}

/** The two calls of sodium-native the costs above time (the package ships no types). */
interface SodiumSign {
  crypto_sign_detached(signature: Buffer, message: Buffer, secretKey: Buffer): void;
  crypto_sign_verify_detached(signature: Buffer, message: Buffer, publicKey: Buffer): boolean;
}

/**
 * A file of PostgreSQL COPY text rows (the input of a raw `COPY … FROM STDIN` baseline), written
 * with back-pressure in ~1 MiB pieces.
 */
export function copyTextFile(path: string): {
  row(values: readonly (string | null)[]): Promise<void>;
  end(): Promise<void>;
} {
  const out = createWriteStream(path);
  let text = '';
  return {
    async row(values) {
      text += copyTextRow(values);
      if (text.length > 1 << 20) {
        const full = !out.write(text);
        text = '';
        if (full) await once(out, 'drain');
      }
    },
    async end() {
      out.end(text);
      await finished(out);
    },
  };
}

/** The records of a CSV file after its header, as a map from lower-case column name to value. */
export async function* csvRecords(path: string): AsyncGenerator<(name: string) => string> {
  let header: Map<string, number> | undefined;
  for await (const chunk of readCsv(createReadStream(path, { highWaterMark: 1 << 20 }))) {
    for (const { fields } of chunk.records) {
      if (!header) {
        header = new Map(fields.map((f, i) => [f.trim().toLowerCase(), i]));
        continue;
      }
      const at = header;
      yield (name) => fields[at.get(name) ?? -1] ?? '';
    }
  }
}

/**
 * Times every statement run through the data source's query runners (BENCH_PROFILE=1), to see
 * where an import spends its time; `report()` prints them, longest first, and forgets them.
 */
export function profileQueries(dataSource: DataSource): { report(title: string): void } {
  const timings: { sql: string; ms: number }[] = [];
  const create = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (...args) => {
    const runner = create(...args);
    const query = runner.query.bind(runner);
    runner.query = (async (sql: string, ...rest: unknown[]) => {
      const started = performance.now();
      try {
        return await (query as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
      } finally {
        timings.push({ sql: sql.replace(/\s+/g, ' ').trim().slice(0, 110), ms: performance.now() - started });
      }
    }) as typeof runner.query;
    return runner;
  };
  return {
    report(title) {
      console.log(`\n${title}: statements by time`);
      for (const { sql, ms } of timings.sort((a, b) => b.ms - a.ms).slice(0, 15))
        console.log(`${fmt(ms / 1000, 2).padStart(8)} s  ${sql}`);
      timings.length = 0;
    },
  };
}

/** One run of a CSV importer over a file: its report, its time and the time until the merge began. */
export async function timedImport(
  importer: {
    import(source: CsvSource, options: ImportOptions): Promise<ImportReport>;
  },
  file: string,
): Promise<{ report: ImportReport; seconds: number; stageSeconds: number }> {
  const started = performance.now();
  let merging = started;
  const report = await importer.import(createReadStream(file, { highWaterMark: 1 << 20 }), {
    onMerge: () => (merging = performance.now()),
  });
  if (!report.written)
    throw new Error(`import refused: ${JSON.stringify([report.fileProblems, report.problems.slice(0, 5)])}`);
  return { report, seconds: (performance.now() - started) / 1000, stageSeconds: (merging - started) / 1000 };
}
