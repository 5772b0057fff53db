/**
 * Ledger benchmark (prints figures, asserts nothing), on its own throw-away databases of the
 * server at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres):
 *
 * 1. Durable appends per second under 8 concurrent writers, each append in its own committed
 *    transaction, against plain single-row INSERTs into an equivalent table by the same 8 writers
 *    in the same run (ratio): LedgerService.append (head row locked FOR UPDATE until the commit)
 *    and the queue path (enqueue in the caller's transaction, the sequencer run after each commit
 *    as the apps run it): the callers' rate, the sequencer's rate and the latency from a commit
 *    to its entry being in the tree (provable).
 * 2. Full offline verification (verifyExport, and the audit CLI) of an export of --verify-entries
 *    entries (default 1,000,000) with two signed checkpoints.
 * 3. Inclusion- and consistency-proof generation at --entries entries (default 10,000,000). The
 *    tables are filled in SQL (generate_series, sha256()), not by appends: the point is proof time
 *    at that size. Random proofs are verified against the head root with the protocol library.
 *
 *   npm run build && node dist/bench/ledger.bench.js [--entries N] [--verify-entries M] [--seconds S] [--keep]
 *   [--appends-only] (section 1 only)
 */
import { randomBytes, randomInt } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DataSource } from 'typeorm';
import {
  generateSigningKeyPair,
  subtreeHash,
  verifyConsistency,
  verifyInclusion,
} from '../libs/protocol/src/index.js';
import { buildLeaf } from '../libs/ledger/src/leaf.js';
import { compactRange, LedgerService } from '../libs/ledger/src/ledger.js';
import { withStoredHashes } from '../libs/ledger/src/hash-store.js';
import { LEDGER_MIGRATIONS } from '../libs/ledger/src/migrations/ledger-migrations.js';
import { verifyExport } from '../libs/ledger/src/verify-export.js';
import { dataSourceOptions } from '../libs/platform/src/database/data-source-options.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const WRITERS = 8;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} needs a positive integer`);
  return value;
}
const ENTRIES = option('entries', 10_000_000);
const VERIFY_ENTRIES = Math.min(option('verify-entries', 1_000_000), ENTRIES);
const SECONDS = option('seconds', 10);
const KEEP = process.argv.includes('--keep');
const APPENDS_ONLY = process.argv.includes('--appends-only');

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const secondsSince = (t: number) => (performance.now() - t) / 1000;

async function createDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cc_bench_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      if (KEEP) return void console.log(`  (kept database ${name})`);
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

async function openLedger(url: string): Promise<{ ds: DataSource; ledger: LedgerService }> {
  const ds = new DataSource(
    dataSourceOptions({ url, embeddedDataDir: 'memory://', poolSize: WRITERS + 2 }, [], LEDGER_MIGRATIONS),
  );
  await ds.initialize();
  await ds.runMigrations();
  return { ds, ledger: new LedgerService(ds, { origin: 'concordia/bench/ledger' }) };
}

/** Runs `op` in 8 concurrent loops for SECONDS; returns operations per second. */
async function writers(
  op: (writer: number, i: number) => Promise<unknown>,
): Promise<{ count: number; seconds: number }> {
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const counts = await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      let i = 0;
      while (performance.now() < until) await op(writer, i++);
      return i;
    }),
  );
  return { count: counts.reduce((a, b) => a + b, 0), seconds: secondsSince(started) };
}

const sample = (writer: number, i: number) => ({
  consentId: `c-${writer}-${i}`,
  purposes: ['customer-care', 'marketing'],
  recipients: ['bob-shop'],
  subject: 'k7Qp3n1yZ6VwB0d2XyT9aL4mE8sR5uH1jC6gF0bN2oI',
});

async function benchAppends(): Promise<void> {
  console.log(
    `\n1. Durable appends, ${WRITERS} concurrent writers, ${SECONDS} s per round, one committed transaction per entry`,
  );
  const db = await createDatabase('append');
  const { ds, ledger } = await openLedger(db.url);
  try {
    await ds.query(`CREATE TABLE plain_entry (id bigserial PRIMARY KEY, kind text NOT NULL, entry text NOT NULL,
      leaf_hash bytea NOT NULL, appended_at timestamptz NOT NULL)`);
    const plain = await writers((w, i) =>
      ds.transaction(async (m) => {
        const leaf = buildLeaf('consent.given', sample(w, i), new Date());
        await m.query(
          `INSERT INTO plain_entry (kind, entry, leaf_hash, appended_at) VALUES ($1, $2, $3, $4)`,
          [leaf.kind, leaf.text, Buffer.from(leaf.hash), leaf.at.toISOString()],
        );
      }),
    );
    const plainRate = plain.count / plain.seconds;
    const locked = await writers((w, i) =>
      ds.transaction((m) => ledger.append(m, 'consent.given', sample(w, i))),
    );
    const lockedRate = locked.count / locked.seconds;

    // The queue path: writers only insert a queue row in their transaction; the sequencer runs
    // after each commit (LedgerService.startSequencer, as the node and the federation run it) and
    // folds what is committed into the tree, a batch per transaction.
    const before = (await ledger.head()).size;
    const committedAt = new Map<number, number>();
    const sequencedAt = new Map<number, number>();
    let batches = 0;
    let lastBatch = 0;
    ledger.startSequencer({
      onBatch: ({ queueIds }) => {
        const now = performance.now();
        for (const id of queueIds) sequencedAt.set(id, now);
        batches++;
        lastBatch = now;
      },
      onError: (error) => console.error('   sequencer run failed:', error),
    });
    const started = performance.now();
    const queued = await writers(async (w, i) => {
      const entry = await ds.transaction((m) => ledger.enqueue(m, 'consent.given', sample(w, i)));
      committedAt.set(entry.queueId, performance.now());
    });
    const queuedRate = queued.count / queued.seconds;
    for (let waited = 0; (await ledger.pendingCount()) > 0 && waited < 60_000; waited += 5) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await ledger.stopSequencer();
    const sequenced = (await ledger.head()).size - before;
    const sequencerRate = sequenced / ((lastBatch - started) / 1000);
    const latencies = [...committedAt]
      .map(([id, at]) => Math.max(0, (sequencedAt.get(id) ?? Number.NaN) - at))
      .filter((ms) => !Number.isNaN(ms))
      .sort((x, y) => x - y);
    // The sequencer's capacity: a backlog of as many committed entries, drained batch by batch.
    const backlog = Math.max(1000, queued.count);
    for (let i = 0; i < backlog; i += 1000) {
      await ds.transaction((m) =>
        ledger.enqueueMany(
          m,
          Array.from({ length: Math.min(1000, backlog - i) }, (_, j) => ({
            kind: 'consent.given',
            entry: sample(9, i + j),
          })),
        ),
      );
    }
    const drainStarted = performance.now();
    let drained = 0;
    for (let moved = 1; moved > 0; drained += moved) moved = await ledger.sequencePending();
    const drainRate = drained / secondsSince(drainStarted);
    const [{ gaps }] = await ds.query(`SELECT count(*) - (max(seq) + 1) AS gaps FROM ledger_entry`);
    console.log(
      `   plain INSERT (baseline)                  ${fmt(plainRate).padStart(8)} /s   (${fmt(plain.count)} rows)`,
    );
    console.log(
      `   locked append (head FOR UPDATE)          ${fmt(lockedRate).padStart(8)} /s   ratio ${fmt(lockedRate / plainRate, 2)}   (${fmt(locked.count)} entries)`,
    );
    console.log(
      `   queue append (enqueue, caller's tx)      ${fmt(queuedRate).padStart(8)} /s   ratio ${fmt(queuedRate / plainRate, 2)}   (${fmt(queued.count)} entries; goal ≥ 0.50)`,
    );
    console.log(
      `   sequencer after each commit              ${fmt(sequencerRate).padStart(8)} /s   ratio ${fmt(sequencerRate / plainRate, 2)}   (${fmt(sequenced)} sequenced in ${batches} batches, ${fmt(sequenced / Math.max(1, batches), 1)} a batch)`,
    );
    console.log(
      `   latency commit → provable (in the tree)  p50 ${fmt(percentile(latencies, 50), 1)} ms, p95 ${fmt(percentile(latencies, 95), 1)} ms, p99 ${fmt(percentile(latencies, 99), 1)} ms, max ${fmt(latencies.at(-1) ?? 0, 1)} ms (${fmt(latencies.length)} entries)`,
    );
    console.log(
      `   sequencer capacity (backlog drained)     ${fmt(drainRate).padStart(8)} /s   ratio ${fmt(drainRate / plainRate, 2)}   (${fmt(drained)} entries, batches of 2,000)`,
    );
    console.log(
      `   gap check: ${gaps === '0' ? 'seq 0…n-1 without gaps' : `${gaps} GAPS`}; every queued entry sequenced: ${sequenced === queued.count ? 'yes' : `NO (${fmt(sequenced)} of ${fmt(queued.count)})`}`,
    );
  } finally {
    await ds.destroy();
    await db.drop();
  }
}

/** Fills entries [from, to) and every perfect subtree they complete, in SQL, in chunks. */
async function fill(client: pg.Client, from: number, to: number): Promise<void> {
  const CHUNK = 1_000_000;
  await client.query(`SET synchronous_commit = off`);
  for (let lo = from; lo < to; lo += CHUNK) {
    const hi = Math.min(to, lo + CHUNK);
    await client.query(
      `INSERT INTO ledger_entry (seq, kind, entry, leaf_hash, appended_at)
       SELECT g, 'bench.event', x.e, sha256('\\x00'::bytea || convert_to(x.e, 'UTF8')), '2025-01-01T00:00:00Z'
         FROM generate_series($1::bigint, $2::bigint - 1) g,
              LATERAL (SELECT '{"at":"2025-01-01T00:00:00.000Z","data":{"i":' || g || ',"subject":"k7Qp3n1yZ6VwB0d2XyT9aL4mE8sR5uH1jC6gF0bN2oI"},"kind":"bench.event"}' AS e) x`,
      [lo, hi],
    );
  }
  for (let level = 1; 2 ** level <= to; level++) {
    const first = Math.floor(from / 2 ** level);
    const last = Math.floor(to / 2 ** level); // exclusive
    for (let lo = first; lo < last; lo += CHUNK) {
      const hi = Math.min(last, lo + CHUNK);
      const children =
        level === 1
          ? `SELECT seq AS idx, leaf_hash AS hash FROM ledger_entry WHERE seq >= $1 * 2 AND seq < $2 * 2`
          : `SELECT idx, hash FROM ledger_node WHERE level = ${level - 1} AND idx >= $1 * 2 AND idx < $2 * 2`;
      await client.query(
        `INSERT INTO ledger_node (level, idx, hash)
         SELECT ${level}, c.idx / 2, sha256('\\x01'::bytea || string_agg(c.hash, ''::bytea ORDER BY c.idx))
           FROM (${children}) c GROUP BY c.idx / 2 HAVING count(*) = 2
         ON CONFLICT DO NOTHING`,
        [lo, hi],
      );
    }
  }
  await client.query(`ANALYZE ledger_entry`);
  await client.query(`ANALYZE ledger_node`);
}

/** Sets the head (size and frontier) after a SQL fill, from the stored subtrees. */
async function setHead(ds: DataSource, size: number): Promise<void> {
  const frontier = await withStoredHashes(ds.manager, (source) =>
    compactRange(size).map(([start, end]) => subtreeHash(source, start, end)),
  );
  await ds.query(`UPDATE ledger_head SET size = $1, frontier = $2`, [size, Buffer.concat(frontier)]);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function benchBig(): Promise<void> {
  const db = await createDatabase('big');
  const { ds, ledger } = await openLedger(db.url);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const key = generateSigningKeyPair();
  const signer = { name: 'concordia/bench/ledger', privateJwk: key.privateJwk };
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  try {
    console.log(`\n2. Offline verification of a ${fmt(VERIFY_ENTRIES)}-entry export`);
    let t = performance.now();
    const half = Math.floor(VERIFY_ENTRIES / 2);
    await fill(client, 0, half);
    await setHead(ds, half);
    await ledger.checkpoint(signer);
    await fill(client, half, VERIFY_ENTRIES);
    await setHead(ds, VERIFY_ENTRIES);
    await ledger.checkpoint(signer);
    console.log(
      `   filled in SQL and checkpointed at ${fmt(half)} and ${fmt(VERIFY_ENTRIES)}: ${fmt(secondsSince(t), 1)} s`,
    );
    t = performance.now();
    const doc = await ledger.export();
    const exportSeconds = secondsSince(t);
    const file = join(dir, 'export.json');
    writeFileSync(file, JSON.stringify(doc));
    console.log(
      `   export (LedgerService.export):  ${fmt(exportSeconds, 1)} s, ${fmt(statSync(file).size / 1e6, 0)} MB`,
    );
    t = performance.now();
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const parseSeconds = secondsSince(t);
    t = performance.now();
    const report = verifyExport(parsed);
    const verifySeconds = secondsSince(t);
    console.log(
      `   verifyExport: ${fmt(verifySeconds, 2)} s (+ ${fmt(parseSeconds, 2)} s JSON.parse) = ${fmt(report.entries / verifySeconds)} entries/s; ${report.checkpoints} checkpoints OK`,
    );
    const cli = fileURLToPath(new URL('../libs/ledger/src/cli/audit.js', import.meta.url));
    t = performance.now();
    const output = execFileSync(process.execPath, [cli, 'verify', file], { encoding: 'utf8' });
    console.log(
      `   audit verify (CLI, whole process): ${fmt(secondsSince(t), 2)} s -> ${output.trim().split('\n').at(-1)}`,
    );
    rmSync(file);

    console.log(`\n3. Proofs at ${fmt(ENTRIES)} entries`);
    t = performance.now();
    await fill(client, VERIFY_ENTRIES, ENTRIES);
    await setHead(ds, ENTRIES);
    const [{ entries, nodes }] = await ds.query(
      `SELECT pg_size_pretty(pg_total_relation_size('ledger_entry')) AS entries, pg_size_pretty(pg_total_relation_size('ledger_node')) AS nodes`,
    );
    console.log(
      `   filled in SQL: ${fmt(secondsSince(t), 1)} s (ledger_entry ${entries}, ledger_node ${nodes})`,
    );
    const head = await ledger.head();
    const timings: number[] = [];
    const ROUNDS = 1000;
    for (let i = 0; i < ROUNDS; i++) {
      const seq = randomInt(ENTRIES);
      const started = performance.now();
      const proof = await ledger.inclusionProof(seq, ENTRIES);
      timings.push(performance.now() - started);
      if (i < 100) verifyInclusion(proof.leafHash, seq, ENTRIES, proof.proof, head.rootHash);
    }
    timings.sort((a, b) => a - b);
    const avg = timings.reduce((a, b) => a + b, 0) / timings.length;
    console.log(
      `   inclusionProof(random seq, ${fmt(ENTRIES)}): avg ${fmt(avg, 2)} ms, p50 ${fmt(percentile(timings, 50), 2)} ms, p99 ${fmt(percentile(timings, 99), 2)} ms (${ROUNDS} proofs; 100 verified against the head root)`,
    );
    const past: number[] = [];
    for (let i = 0; i < 200; i++) {
      const size = 1 + randomInt(ENTRIES);
      const seq = randomInt(size);
      const started = performance.now();
      await ledger.inclusionProof(seq, size);
      past.push(performance.now() - started);
    }
    past.sort((a, b) => a - b);
    console.log(
      `   inclusionProof at a random past size: p50 ${fmt(percentile(past, 50), 2)} ms, p99 ${fmt(percentile(past, 99), 2)} ms`,
    );
    const cons: number[] = [];
    for (let i = 0; i < 200; i++) {
      const from = 1 + randomInt(ENTRIES - 1);
      const started = performance.now();
      const proof = await ledger.consistencyProof(from, ENTRIES);
      cons.push(performance.now() - started);
      if (i < 20) verifyConsistency(from, ENTRIES, proof.proof, proof.fromRoot, head.rootHash);
    }
    cons.sort((a, b) => a - b);
    console.log(
      `   consistencyProof(random, ${fmt(ENTRIES)}): p50 ${fmt(percentile(cons, 50), 2)} ms, p99 ${fmt(percentile(cons, 99), 2)} ms (20 verified)`,
    );
    t = performance.now();
    const appended = await ledger.appendNow('bench.after', { n: 1 });
    console.log(
      `   one more append at that size: seq ${fmt(appended.seq)}, ${fmt(secondsSince(t) * 1000, 1)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await client.end();
    await ds.destroy();
    await db.drop();
  }
}

async function main(): Promise<void> {
  console.log(`Ledger benchmark on ${new URL(ADMIN_URL).host}; node ${process.version}`);
  await benchAppends();
  if (!APPENDS_ONLY) await benchBig();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
