import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import {
  canonicalize,
  consistencyProof,
  generateSigningKeyPair,
  inclusionProof,
  leafHash,
  merkleRoot,
  openCheckpoint,
  jwsHash,
  noteVerifier,
  signJwt,
  signMessage,
  verifyConsistency,
  verifyInclusion,
} from '#protocol';
import { dataSourceOptions } from '#platform/database/data-source-options';
import { NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { createTestDatabase, type TestDatabase } from '#platform/testing/test-database';
import { runAudit, type AuditIo } from './cli/audit.js';
import { EXPORT_FORMAT, EXPORT_VERSION, type LedgerExport } from './export-format.js';
import { LedgerService, type LedgerSigner, type QueuedEntry } from './ledger.js';
import { LEDGER_MIGRATIONS } from './migrations/ledger-migrations.js';
import { ExportVerificationError, verifyExport, verifyExportOffThread } from './verify-export.js';
import { verifyExportWebCrypto, WEB_EXPORT_FORMAT, WEB_EXPORT_VERSION } from './verify-export-webcrypto.js';

const ORIGIN = 'concordia/test/ledger';

async function openDataSource(db: TestDatabase): Promise<DataSource> {
  const ds = new DataSource({
    ...dataSourceOptions({ url: db.url, embeddedDataDir: 'memory://', poolSize: 12 }, [], LEDGER_MIGRATIONS),
  });
  await ds.initialize();
  await ds.runMigrations();
  return ds;
}

function storedLeafHashes(ds: DataSource): Promise<Uint8Array[]> {
  return ds
    .query(`SELECT entry FROM ledger_entry ORDER BY seq`)
    .then((rows: { entry: string }[]) => rows.map((r) => leafHash(Buffer.from(r.entry, 'utf8'))));
}

/** Both verifiers (signatures checked at once, or on the threadpool) stop at the same first problem. */
async function expectVerifyError(
  doc: unknown,
  pattern: RegExp,
  options = {},
): Promise<ExportVerificationError> {
  let caught: unknown;
  try {
    verifyExport(doc, options);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ExportVerificationError);
  expect((caught as Error).message).toMatch(pattern);
  const offThread = await verifyExportOffThread(doc, options).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(offThread).toBeInstanceOf(ExportVerificationError);
  expect((offThread as ExportVerificationError).message).toBe((caught as Error).message);
  expect((offThread as ExportVerificationError).seq).toBe((caught as ExportVerificationError).seq);
  return caught as ExportVerificationError;
}

function captureIo(files: Record<string, string>): AuditIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: (line) => lines.push(line),
    err: (line) => errors.push(line),
    readFile: (path) => {
      if (!(path in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return files[path] as string;
    },
  };
}

describe('LedgerService (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let ledger: LedgerService;
  const key = generateSigningKeyPair();
  const signer: LedgerSigner = { name: ORIGIN, privateJwk: key.privateJwk };
  const verifiers = [noteVerifier(ORIGIN, key.publicJwk)];

  beforeAll(async () => {
    db = await createTestDatabase('ledger_lib');
    ds = await openDataSource(db);
    ledger = new LedgerService(ds, { origin: ORIGIN });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('refuses proofs and checkpoints on the empty ledger with typed errors', async () => {
    expect(await ledger.checkpoint(signer)).toBeNull();
    await expect(ledger.inclusionProof(0)).rejects.toBeInstanceOf(ValidationError);
    await expect(ledger.inclusionProof(0, 0)).rejects.toThrow(/treeSize: the empty tree/);
    await expect(ledger.entry(0)).rejects.toBeInstanceOf(NotFoundError);
    expect((await ledger.head()).size).toBe(0);
  });

  it('append inside a rolled-back transaction leaves nothing', async () => {
    await expect(
      ds.transaction(async (manager) => {
        await ledger.append(manager, 'test.rollback', { n: 1 });
        await ledger.enqueue(manager, 'test.rollback', { n: 2 });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const [counts] = await ds.query(
      `SELECT (SELECT count(*) FROM ledger_entry) AS e, (SELECT count(*) FROM ledger_node) AS n,
              (SELECT count(*) FROM ledger_queue) AS q, (SELECT size FROM ledger_head) AS s`,
    );
    expect(counts).toEqual({ e: '0', n: '0', q: '0', s: '0' });
  });

  it('refuses non-canonical entries, bad kinds and appends outside a transaction', async () => {
    await expect(ledger.appendNow('test.x', '{"b":1,"a":2}')).rejects.toMatchObject({
      code: 'NOT_CANONICAL',
    });
    await expect(ledger.appendNow('test.x', '{"a": 1}')).rejects.toMatchObject({ code: 'NOT_CANONICAL' });
    await expect(ledger.appendNow('Bad Kind', { a: 1 })).rejects.toMatchObject({ code: 'MALFORMED' });
    await expect(ledger.append(ds.manager, 'test.x', { a: 1 })).rejects.toThrow(/inside a transaction/);
    expect((await ledger.head()).size).toBe(0);
  });

  it('8 concurrent writers get a gap-free sequence whose root is merkleRoot of the leaves', async () => {
    const perWriter = 40;
    const seqs = await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        const mine: number[] = [];
        for (let i = 0; i < perWriter; i++) {
          const { seq } = await ds.transaction(async (manager) => {
            await manager.query(`SELECT pg_sleep(0)`); // the business change would go here
            return ledger.append(manager, 'test.concurrent', { writer, i });
          });
          mine.push(seq);
        }
        return mine;
      }),
    );
    const all = seqs.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 8 * perWriter }, (_, i) => i));
    const leaves = await storedLeafHashes(ds);
    const head = await ledger.head();
    expect(head.size).toBe(8 * perWriter);
    expect(Buffer.from(head.rootHash).equals(Buffer.from(merkleRoot(leaves)))).toBe(true);
    // Every completed perfect subtree is stored: n - popcount(n) nodes.
    const [{ n }] = await ds.query(`SELECT count(*) AS n FROM ledger_node`);
    expect(Number(n)).toBe(head.size - [...head.size.toString(2)].filter((b) => b === '1').length);
  });

  it('8 concurrent writers, one transaction in three rolled back after its appends: committed seqs stay gap-free', async () => {
    const before = (await ledger.head()).size;
    const committed = await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        const mine: { seq: number; leafHash: Uint8Array }[] = [];
        for (let i = 0; i < 30; i++) {
          const rollback = (writer + i) % 3 === 0;
          const appended = await ds
            .transaction(async (manager) => {
              const entries =
                i % 2 === 0
                  ? [await ledger.append(manager, 'test.rollbacks', { writer, i })]
                  : await ledger.appendMany(manager, [
                      { kind: 'test.rollbacks', entry: { writer, i, part: 1 } },
                      { kind: 'test.rollbacks', entry: { writer, i, part: 2 } },
                    ]);
              if (rollback) throw new Error('rolled back');
              return entries;
            })
            .catch((error: Error) => {
              if (error.message !== 'rolled back') throw error;
              return [];
            });
          mine.push(...appended);
        }
        return mine;
      }),
    );
    const all = committed.flat().sort((a, b) => a.seq - b.seq);
    const head = await ledger.head();
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: head.size - before }, (_, i) => before + i));
    // What each append returned is what was stored, and the root is that of every stored leaf.
    const stored = await storedLeafHashes(ds);
    for (const e of all) expect(Buffer.from(stored[e.seq]!).equals(Buffer.from(e.leafHash))).toBe(true);
    expect(Buffer.from(head.rootHash).equals(Buffer.from(merkleRoot(stored)))).toBe(true);
    const [{ n }] = await ds.query(`SELECT count(*) AS n FROM ledger_node`);
    expect(Number(n)).toBe(head.size - [...head.size.toString(2)].filter((b) => b === '1').length);
  });

  it('group commit: 8 writers enqueue, the sequencer makes it gap-free, same root rule', async () => {
    const before = (await ledger.head()).size;
    let done = false;
    const sequencer = (async () => {
      while (!done || (await ledger.pendingCount()) > 0) {
        if ((await ledger.sequencePending(500)) === 0) await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let i = 0; i < 30; i++) {
          await ds.transaction((manager) => ledger.enqueue(manager, 'test.queued', { writer, i }));
        }
      }),
    );
    done = true;
    await sequencer;
    const head = await ledger.head();
    expect(head.size).toBe(before + 240);
    const rows: { seq: string }[] = await ds.query(`SELECT seq FROM ledger_entry ORDER BY seq`);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: head.size }, (_, i) => i));
    expect(Buffer.from(head.rootHash).equals(Buffer.from(merkleRoot(await storedLeafHashes(ds))))).toBe(true);
  });

  it('the sequencer reads its queue by key, whatever the queue held when its session first called it', async () => {
    while ((await ledger.sequencePending()) > 0);
    const before = (await ledger.head()).size;
    const session = new pg.Client({ connectionString: db.url });
    await session.connect();
    try {
      // Statistics gathered on an empty queue (autovacuum's ANALYZE after a drain, or the bench's),
      // and plans PL/pgSQL keeps after five calls: a scan of the whole queue, whatever it holds.
      await session.query(`ANALYZE ledger_queue`);
      for (let i = 0; i < 6; i++) {
        await ds.transaction((manager) => ledger.enqueue(manager, 'test.plan', { warm: i }));
        await session.query(`SELECT * FROM ledger_sequence_queue(2000)`);
      }
      // A bulk file's queue: thousands of entries of the size of a consent's (its receipt inside).
      const entries = Array.from({ length: 20_000 }, (_, i) => ({
        kind: 'test.plan',
        entry: { i, receipt: 'x'.repeat(1500) },
      }));
      await ds.transaction((manager) => ledger.enqueueMany(manager, entries));
      const plans: string[] = [];
      session.on('notice', (notice) => plans.push(notice.message ?? ''));
      await session.query(`LOAD 'auto_explain'`);
      await session.query(`SET auto_explain.log_min_duration = 0`);
      await session.query(`SET auto_explain.log_nested_statements = on`);
      await session.query(`SET auto_explain.log_level = notice`);
      const [taken] = (await session.query(`SELECT * FROM ledger_sequence_queue(2000)`)).rows as {
        queue_ids: string[];
      }[];
      expect(taken!.queue_ids).toHaveLength(2000);
      const onQueue = plans.filter((plan) => /ledger_queue w/.test(plan));
      expect(onQueue.length).toBeGreaterThanOrEqual(2);
      for (const plan of onQueue) {
        expect(plan).toContain('ledger_queue_pkey');
        expect(plan).not.toMatch(/Seq Scan on ledger_queue/);
      }
    } finally {
      await session.end();
    }
    while ((await ledger.sequencePending()) > 0);
    expect((await ledger.head()).size).toBe(before + 6 + 20_000);
  });

  it('sequenced after each commit (startSequencer): 8 writers with rollbacks and nested transactions, gap-free, each writer in order, rolled back absent', async () => {
    const before = (await ledger.head()).size;
    const batches: number[] = [];
    ledger.startSequencer({ onBatch: (b) => batches.push(b.queueIds.length) });
    const committed: QueuedEntry[] = [];
    const rolledBack: QueuedEntry[] = [];
    try {
      await Promise.all(
        Array.from({ length: 8 }, async (_, writer) => {
          for (let i = 0; i < 24; i++) {
            const rollback = (writer + i) % 3 === 0;
            const mine: QueuedEntry[] = [];
            await ds
              .transaction(async (manager) => {
                await manager.query(`SELECT pg_sleep(0)`); // the business change would go here
                if (i % 4 === 1) {
                  // A nested transaction (savepoint): its release is not the commit.
                  await manager.transaction(async (inner) => {
                    mine.push(await ledger.enqueue(inner, 'test.nudged', { writer, i, nested: true }));
                  });
                } else if (i % 4 === 2) {
                  await ledger.enqueueMany(manager, [
                    { kind: 'test.nudged', entry: { writer, i, part: 1 } },
                    { kind: 'test.nudged', entry: { writer, i, part: 2 } },
                  ]);
                } else mine.push(await ledger.enqueue(manager, 'test.nudged', { writer, i }));
                if (rollback) throw new Error('rolled back');
              })
              .then(
                () => committed.push(...mine),
                (error: Error) => {
                  if (error.message !== 'rolled back') throw error;
                  rolledBack.push(...mine);
                },
              );
          }
        }),
      );
      // No sequencePending call here: the commits' nudges sequence everything.
      for (let waited = 0; (await ledger.pendingCount()) > 0; waited += 10) {
        if (waited > 20_000) throw new Error('the queue was not sequenced after the commits');
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await ledger.stopSequencer();
    }
    expect(batches.length).toBeGreaterThan(0);
    const head = await ledger.head();
    const added = await ledger.entries(before, 1000);
    expect(added.map((e) => e.seq)).toEqual(Array.from({ length: head.size - before }, (_, i) => before + i));
    const data = added.map((e) => JSON.parse(e.entry).data as { writer: number; i: number; part?: number });
    for (let w = 0; w < 8; w++) {
      // Each writer's committed changes, once each, in the order it made them.
      const expected = Array.from({ length: 24 }, (_, i) => i)
        .filter((i) => (w + i) % 3 !== 0)
        .flatMap((i) => (i % 4 === 2 ? [i, i] : [i]));
      expect(data.filter((d) => d.writer === w).map((d) => d.i)).toEqual(expected);
    }
    expect(Buffer.from(head.rootHash).equals(Buffer.from(merkleRoot(await storedLeafHashes(ds))))).toBe(true);
    // awaitSequenced gives each committed entry's seq (the leaf stored there), and refuses the
    // entries of rolled-back transactions.
    for (const entry of committed.slice(0, 20)) {
      const { seq } = await ledger.awaitSequenced(entry);
      expect(Buffer.from((await ledger.entry(seq)).leafHash).equals(Buffer.from(entry.leafHash))).toBe(true);
    }
    expect(rolledBack.length).toBeGreaterThan(0);
    await expect(ledger.awaitSequenced(rolledBack[0]!)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('awaitSequenced sequences the entry itself when no sequencer runs, and its proof verifies at once', async () => {
    const queued = await ds.transaction((manager) => ledger.enqueue(manager, 'test.awaited', { n: 1 }));
    expect(await ledger.pendingCount()).toBe(1);
    const { seq } = await ledger.awaitSequenced(queued);
    expect(await ledger.pendingCount()).toBe(0);
    const proof = await ledger.inclusionProof(seq);
    verifyInclusion(queued.leafHash, seq, proof.treeSize, proof.proof, proof.rootHash);
    // Asked again (from the batches it remembers), the same seq.
    expect((await ledger.awaitSequenced(queued)).seq).toBe(seq);
  });

  it('inclusion and consistency proofs match RFC 9162 (the protocol lib over all leaves) for many pairs', async () => {
    const leaves = await storedLeafHashes(ds);
    const n = leaves.length;
    const sizes = [
      1,
      2,
      3,
      4,
      5,
      7,
      8,
      9,
      15,
      16,
      17,
      31,
      32,
      33,
      63,
      64,
      65,
      100,
      127,
      128,
      129,
      255,
      256,
      257,
      n - 1,
      n,
    ];
    let checked = 0;
    for (const size of sizes) {
      const root = merkleRoot(leaves.slice(0, size));
      expect(Buffer.from(await ledger.rootAt(size)).equals(Buffer.from(root))).toBe(true);
      for (const index of new Set([0, 1, size >> 1, size - 2, size - 1].filter((i) => i >= 0 && i < size))) {
        const result = await ledger.inclusionProof(index, size);
        expect(result.proof.map((h) => Buffer.from(h).toString('hex'))).toEqual(
          inclusionProof(leaves, index, size).map((h) => Buffer.from(h).toString('hex')),
        );
        verifyInclusion(leaves[index] as Uint8Array, index, size, result.proof, root);
        checked++;
      }
      for (const from of [1, 2, 3, size >> 1, size - 1, size].filter((f) => f >= 1 && f <= size)) {
        const c = await ledger.consistencyProof(from, size);
        expect(c.proof.map((h) => Buffer.from(h).toString('hex'))).toEqual(
          consistencyProof(leaves, from, size).map((h) => Buffer.from(h).toString('hex')),
        );
        verifyConsistency(from, size, c.proof, merkleRoot(leaves.slice(0, from)), root);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('refuses proofs beyond the tree with clear typed errors', async () => {
    const { size } = await ledger.head();
    await expect(ledger.inclusionProof(size)).rejects.toThrow(/seq: is beyond the tree size/);
    await expect(ledger.inclusionProof(0, size + 1)).rejects.toThrow(/treeSize: is beyond the ledger size/);
    await expect(ledger.inclusionProof(5, 3)).rejects.toThrow(/seq: is beyond the tree size 3/);
    await expect(ledger.inclusionProof(-1)).rejects.toBeInstanceOf(ValidationError);
    await expect(ledger.inclusionProof(1.5)).rejects.toBeInstanceOf(ValidationError);
    await expect(ledger.consistencyProof(0, 3)).rejects.toThrow(/from: consistency with the empty tree/);
    await expect(ledger.consistencyProof(4, 3)).rejects.toThrow(/from: is beyond the size 3/);
    await expect(ledger.consistencyProof(1, size + 1)).rejects.toThrow(/to: is beyond the ledger size/);
    await expect(ledger.entry(size + 10)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('checkpoints sign size and root, are skipped when nothing is new, and stay consistent', async () => {
    const first = await ledger.checkpoint(signer);
    expect(first).not.toBeNull();
    expect(await ledger.checkpoint(signer)).toBeNull();
    const opened = openCheckpoint(first!.note, verifiers, { origin: ORIGIN });
    expect(opened.checkpoint.size).toBe((await ledger.head()).size);
    await ledger.appendNow('test.more', { after: 'checkpoint' });
    const second = await ledger.checkpoint(signer);
    expect(second!.size).toBe(first!.size + 1);
    const c = await ledger.consistencyProof(first!.size, second!.size);
    verifyConsistency(first!.size, second!.size, c.proof, first!.rootHash, second!.rootHash);
    expect((await ledger.checkpoints(10)).map((x) => x.size)).toEqual([second!.size, first!.size]);
  });

  it('append-only: the database refuses to change a stored entry', async () => {
    await expect(ds.query(`UPDATE ledger_entry SET kind = 'x.y' WHERE seq = 0`)).rejects.toThrow(
      /append-only/,
    );
    await expect(ds.query(`DELETE FROM ledger_checkpoint`)).rejects.toThrow(/append-only/);
  });

  describe('export and offline verification', () => {
    const partner = generateSigningKeyPair();
    let clean: LedgerExport;
    let jwsSeq: number;

    beforeAll(async () => {
      const now = Math.floor(Date.now() / 1000);
      const receiptJws = signJwt(
        'concordia-consent+jwt',
        { iss: 'bob-shop', iat: now, exp: now + 3600, jti: 'r-1', consentId: 'c-1' },
        partner.privateJwk,
      );
      jwsSeq = (await ledger.appendNow('consent.receipt', { consentId: 'c-1', receiptJws })).seq;
      await ledger.appendNow('test.tail', { n: 1 });
      await ledger.checkpoint(signer);
      clean = await ledger.export({ jws: { keys: [partner.publicJwk] } });
    });

    it('accepts a clean export and reports what it checked', () => {
      const report = verifyExport(clean);
      expect(report.entries).toBe(clean.toSize);
      expect(report.firstSeq).toBe(0);
      expect(report.lastSeq).toBe(clean.toSize - 1);
      expect(report.checkpoints).toBe(3);
      expect(report.jwsVerified).toBe(1);
      expect(report.signers).toEqual([ORIGIN]);
      // Pinned keys: the node's checkpoint key and the partner's JWS key.
      verifyExport(clean, { trustedKeys: { keys: [key.publicJwk, partner.publicJwk] } });
    });

    it("the WebCrypto twin (the console's check) agrees: clean, pinned, partial, and one changed byte", async () => {
      expect([WEB_EXPORT_FORMAT, WEB_EXPORT_VERSION]).toEqual([EXPORT_FORMAT, EXPORT_VERSION]);
      const report = await verifyExportWebCrypto(clean);
      expect(report).toMatchObject({
        entries: clean.toSize,
        checkpoints: 3,
        jwsVerified: 1,
        signers: [ORIGIN],
      });
      expect(report.lastRoot).toBe(clean.checkpoints.at(-1)!.rootHash);
      await verifyExportWebCrypto(clean, { trustedKeys: { keys: [key.publicJwk, partner.publicJwk] } });
      await expect(
        verifyExportWebCrypto(clean, { trustedKeys: { keys: [partner.publicJwk] } }),
      ).rejects.toThrow(/checkpoint at size \d+: is not signed by a known key/);
      const partial = await ledger.export({ fromSeq: 100, jws: { keys: [partner.publicJwk] } });
      expect((await verifyExportWebCrypto(partial)).entries).toBe(partial.toSize - 100);
      const forged = structuredClone(partial);
      forged.prefix[0] = Buffer.alloc(32, 7).toString('base64');
      await expect(verifyExportWebCrypto(forged)).rejects.toThrow(
        /checkpoint at size \d+: signed root does not match/,
      );
      // One byte of the file changed: both verifiers name the same entry.
      const text = JSON.stringify(clean);
      const at = text.indexOf('\\"i\\":5') + 6;
      const altered = JSON.parse(`${text.slice(0, at)}6${text.slice(at + 1)}`) as LedgerExport;
      const problem = /^entry seq \d+: content does not match its leaf hash/;
      expect(() => verifyExport(altered)).toThrow(problem);
      await expect(verifyExportWebCrypto(altered)).rejects.toThrow(problem);
    });

    it('verifies a partial export from a later seq (prefix frontier + checkpoints in range)', async () => {
      const partial = await ledger.export({ fromSeq: 100, jws: { keys: [partner.publicJwk] } });
      expect(partial.prefix.length).toBeGreaterThan(0);
      expect(verifyExport(partial).entries).toBe(partial.toSize - 100);
      const forged = structuredClone(partial);
      forged.prefix[0] = Buffer.alloc(32, 7).toString('base64');
      await expectVerifyError(forged, /checkpoint at size \d+: signed root does not match/);
    });

    it('catches one byte changed in one stored entry, naming that entry', async () => {
      const seq = 123;
      await ds.query(`ALTER TABLE ledger_entry DISABLE TRIGGER ledger_entry_append_only`);
      try {
        // One byte: the digit of "i" in {"i":N,…} becomes another digit.
        const [{ entry }] = await ds.query(`SELECT entry FROM ledger_entry WHERE seq = $1`, [seq]);
        const at = (entry as string).search(/"i":\d/) + 4;
        const digit = (entry as string)[at] === '9' ? '8' : String(Number((entry as string)[at]) + 1);
        const changed = `${(entry as string).slice(0, at)}${digit}${(entry as string).slice(at + 1)}`;
        expect(changed.length).toBe((entry as string).length);
        await ds.query(`UPDATE ledger_entry SET entry = $2 WHERE seq = $1`, [seq, changed]);
        const tampered = await ledger.export({ jws: { keys: [partner.publicJwk] } });
        const error = await expectVerifyError(
          tampered,
          /^entry seq 123: content does not match its leaf hash/,
        );
        expect(error.seq).toBe(seq);
        // Even with the stored leaf hash rewritten too, the signed root gives it away.
        await ds.query(`UPDATE ledger_entry SET leaf_hash = $2 WHERE seq = $1`, [
          seq,
          Buffer.from(leafHash(Buffer.from(changed))),
        ]);
        await expectVerifyError(await ledger.export(), /checkpoint at size \d+: signed root does not match/);
        // And the CLI says the same, with exit status 1.
        const io = captureIo({ 'x.json': JSON.stringify(tampered) });
        expect(await runAudit(['verify', 'x.json'], io)).toBe(1);
        expect(io.errors.join('\n')).toMatch(/FAILED: entry seq 123: content does not match/);
        await ds.query(`UPDATE ledger_entry SET entry = $2, leaf_hash = $3 WHERE seq = $1`, [
          seq,
          entry,
          Buffer.from(leafHash(Buffer.from(entry as string))),
        ]);
      } finally {
        await ds.query(`ALTER TABLE ledger_entry ENABLE TRIGGER ledger_entry_append_only`);
      }
      expect(verifyExport(await ledger.export({ jws: { keys: [partner.publicJwk] } })).entries).toBe(
        clean.toSize,
      );
    });

    it('reports a truncated export, a missing entry, and an unsigned tail', async () => {
      const cut = structuredClone(clean);
      cut.entries = cut.entries.slice(0, 50);
      await expectVerifyError(cut, /cut short|checkpoint at size/);
      const holed = structuredClone(clean);
      holed.entries.splice(10, 1);
      await expectVerifyError(holed, /^entry seq 10: is missing \(the next entry holds seq 11\)/);
      const tail = structuredClone(clean);
      tail.checkpoints = tail.checkpoints.slice(0, 1);
      await expectVerifyError(tail, /are not covered by any signed checkpoint/);
    });

    it('reports an unknown checkpoint key, a forged signature and an unknown JWS key', async () => {
      const other = generateSigningKeyPair();
      await expectVerifyError(clean, /checkpoint at size \d+: is not signed by a known key/, {
        trustedKeys: { keys: [other.publicJwk, partner.publicJwk] },
      });
      const swapped = structuredClone(clean);
      swapped.keys.checkpoint = [{ ...swapped.keys.checkpoint[0]!, publicJwk: other.publicJwk }];
      await expectVerifyError(swapped, /is not signed by a known key/);
      await expectVerifyError(
        clean,
        new RegExp(`^entry seq ${jwsSeq}: data.receiptJws is signed by an unknown key`),
        {
          trustedKeys: { keys: [key.publicJwk] },
        },
      );
    });

    it('reports a non-canonical entry and a changed kind, naming the entry', async () => {
      const reordered = structuredClone(clean);
      const e = reordered.entries[5]!;
      const parsed = JSON.parse(e.entry) as Record<string, unknown>;
      e.entry = JSON.stringify({ kind: parsed.kind, data: parsed.data, at: parsed.at });
      await expectVerifyError(reordered, /^entry seq 5: is not a valid canonical JSON leaf: .*NOT_CANONICAL/);
      const rekinded = structuredClone(clean);
      rekinded.entries[6]!.kind = 'consent.withdrawn';
      await expectVerifyError(rekinded, /^entry seq 6: kind "consent.withdrawn" differs/);
      expect(canonicalize(JSON.parse(clean.entries[5]!.entry))).toBe(clean.entries[5]!.entry);
    });

    it('CLI: summary and exit 0 on a clean export; clear errors, never a stack trace, otherwise', async () => {
      const text = JSON.stringify(clean);
      const jwks = JSON.stringify({ keys: [key.publicJwk, partner.publicJwk] });
      const ok = captureIo({ 'e.json': text, 'k.json': jwks });
      expect(await runAudit(['verify', 'e.json', '--keys', 'k.json'], ok)).toBe(0);
      const summary = ok.lines.join('\n');
      expect(summary).toMatch(new RegExp(`entries +${clean.toSize} \\(seq 0 … ${clean.toSize - 1}\\)`));
      expect(summary).toMatch(/checkpoints +3/);
      expect(summary).toMatch(/^OK: /m);

      const cases: [string[], Record<string, string>, RegExp, number][] = [
        [
          ['verify', 'e.json'],
          { 'e.json': text.slice(0, text.length / 2) },
          /not valid JSON \(is it cut short\?\)/,
          2,
        ],
        [['verify', 'e.json'], { 'e.json': '\u0000garbage' }, /not valid JSON/, 2],
        [['verify', 'e.json'], { 'e.json': '[1,2,3]' }, /FAILED: export: is not a JSON object/, 1],
        [['verify', 'e.json'], { 'e.json': '{"format":"x"}' }, /is not a concordia-ledger-export/, 1],
        [['verify', 'missing.json'], {}, /cannot read export missing.json \(ENOENT\)/, 2],
        [
          ['verify', 'e.json', '--keys', 'k.json'],
          { 'e.json': text, 'k.json': '{"keys":[{"kty":"RSA"}]}' },
          /key file k.json/,
          2,
        ],
        [['frobnicate'], {}, /unknown command/, 2],
      ];
      for (const [argv, files, pattern, status] of cases) {
        const io = captureIo(files);
        expect(await runAudit(argv, io)).toBe(status);
        expect(io.errors.join('\n')).toMatch(pattern);
        expect(io.errors.join('\n')).not.toMatch(/\n\s+at /);
      }
    });
  });

  describe('keys that retired, in the carried messages', () => {
    const now = Math.floor(Date.now() / 1000);
    const fedOld = generateSigningKeyPair();
    const fedNew = generateSigningKeyPair();
    const memberOld = generateSigningKeyPair();
    const memberNew = generateSigningKeyPair();
    const activatesAt = now + 100;
    const memberRetiredAt = now + 200;
    const statement = (iat: number, jti: string, signer = fedOld) =>
      signMessage(
        'membership-statement',
        {
          iss: 'test-net',
          sub: 'bob-shop',
          iat,
          exp: iat + 86_400,
          jti,
          name: 'Bob',
          endpoint: 'https://bob.example/concordia',
          status: 'active',
          jwks: { keys: [memberNew.publicJwk] },
          historicalKeys: [{ jwk: memberOld.publicJwk, retiredAt: memberRetiredAt }],
        },
        signer.privateJwk,
      );
    const withdrawal = (iat: number, jti: string) =>
      signMessage(
        'consent-withdrawal',
        {
          iss: 'bob-shop',
          aud: 'test-net',
          iat,
          exp: iat + 3600,
          jti,
          consentId: 'consent-0001',
          withdrawnAt: iat,
        },
        memberOld.privateJwk,
      );

    /** Appends each message as an entry naming it by hash, and exports them carried. */
    async function exportOf(messages: string[]): Promise<{ doc: LedgerExport; seqs: number[] }> {
      const carried: { seq: number; field: string; jws: string }[] = [];
      for (const jws of messages) {
        const { seq } = await ledger.appendNow('test.signed', { messageHash: jwsHash(jws) });
        carried.push({ seq, field: 'messageHash', jws });
      }
      await ledger.checkpoint(signer);
      const fromSeq = carried[0]!.seq;
      const doc = await ledger.export({
        fromSeq,
        jws: { keys: [fedOld.publicJwk, fedNew.publicJwk] },
        messages: async () => carried,
      });
      return { doc, seqs: carried.map((c) => c.seq) };
    }

    const rotation = signMessage(
      'federation-key-rotation',
      {
        iss: 'test-net',
        sub: 'test-net',
        iat: now,
        exp: now + 86_400,
        jti: 'rotation-1',
        jwk: fedNew.publicJwk,
        previousKid: fedOld.kid,
        activatesAt,
      },
      fedOld.privateJwk,
    );

    it('accepts what each key signed before it retired', async () => {
      const { doc } = await exportOf([
        rotation,
        statement(activatesAt - 1, 'statement-1'),
        statement(activatesAt, 'statement-2', fedNew),
        withdrawal(memberRetiredAt - 1, 'withdrawal-1'),
      ]);
      expect(
        verifyExport(doc, { trustedKeys: { keys: [key.publicJwk, fedOld.publicJwk, fedNew.publicJwk] } }),
      ).toMatchObject({ messagesVerified: 4, statementsVerified: 2 });
    });

    it("refuses a statement by the federation's previous key once the next one signs", async () => {
      const { doc, seqs } = await exportOf([rotation, statement(activatesAt, 'statement-3')]);
      const error = await expectVerifyError(
        doc,
        new RegExp(`signed by key ${fedOld.kid} after it retired \\(at ${activatesAt}\\)`),
      );
      expect(error.seq).toBe(seqs[1]);
    });

    it('refuses a member message by a key its statement lists as retired, from its retirement on', async () => {
      const { doc, seqs } = await exportOf([
        statement(now, 'statement-4'),
        withdrawal(memberRetiredAt - 1, 'withdrawal-2'),
        withdrawal(memberRetiredAt, 'withdrawal-3'),
      ]);
      const error = await expectVerifyError(
        doc,
        new RegExp(`signed by key ${memberOld.kid} after it retired \\(at ${memberRetiredAt}\\)`),
      );
      expect(error.seq).toBe(seqs[2]);
    });

    /** The JWS with one character of its signature changed (still well-formed base64url). */
    const forged = (jws: string): string => {
      const at = jws.length - 20;
      return `${jws.slice(0, at)}${jws[at] === 'A' ? 'B' : 'A'}${jws.slice(at + 1)}`;
    };

    it('names a forged signature first, even when the threadpool verifier meets a later problem first', async () => {
      // The forged statement's claims still vouch for the member's keys, so the walk goes on to the
      // withdrawal signed after its key retired: the first problem is still the forged signature.
      const { doc, seqs } = await exportOf([
        forged(statement(now, 'statement-5')),
        withdrawal(memberRetiredAt, 'withdrawal-4'),
      ]);
      const error = await expectVerifyError(
        doc,
        /the membership-statement carried for data\.messageHash: signature does not verify/,
      );
      expect(error.seq).toBe(seqs[0]);
    });

    it('refuses an embedded JWS with a forged signature, naming its entry', async () => {
      const jws = withdrawal(now, 'withdrawal-5');
      const { seq } = await ledger.appendNow('consent.withdrawn', { withdrawalJws: forged(jws) });
      await ledger.appendNow('test.tail', { n: 2 });
      await ledger.checkpoint(signer);
      const doc = await ledger.export({ fromSeq: seq, jws: { keys: [memberOld.publicJwk] } });
      const error = await expectVerifyError(doc, /data\.withdrawalJws: .*SIGNATURE_INVALID/);
      expect(error.seq).toBe(seq);
      // The same entries with the real signature verify, with both verifiers alike.
      const { seq: realSeq } = await ledger.appendNow('consent.withdrawn', { withdrawalJws: jws });
      await ledger.checkpoint(signer);
      const real = await ledger.export({ fromSeq: realSeq, jws: { keys: [memberOld.publicJwk] } });
      const report = verifyExport(real);
      expect(report.jwsVerified).toBe(1);
      expect(await verifyExportOffThread(real)).toEqual(report);
    });
  });
});

describe('ledger_append, the fold in the database (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  // RFC 6962 test leaves, behind the transparency-dev vectors (../shared/vectors/README.md).
  const leaves = [
    '',
    '00',
    '10',
    '2021',
    '3031',
    '40414243',
    '5051525354555657',
    '606162636465666768696a6b6c6d6e6f',
  ].map((hex) => leafHash(Buffer.from(hex, 'hex')));
  const append = (hashes: Uint8Array[]) =>
    ds.query(`SELECT ledger_append($1::text[], $2::text[], $3::bytea[], $4::timestamptz[]) AS first`, [
      hashes.map(() => 'test.vector'),
      hashes.map((_, i) => `{"i":${i}}`),
      hashes.map((h) => Buffer.from(h)),
      hashes.map(() => new Date().toISOString()),
    ]) as Promise<{ first: string }[]>;

  beforeAll(async () => {
    db = await createTestDatabase('ledger_fold');
    ds = await openDataSource(db);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('gives the RFC 6962 root of the 8 test leaves, and stores each completed subtree as the protocol lib hashes it', async () => {
    // In three calls (1, then 4 across a carry, then 3), as appends and sequencer batches come.
    expect((await append(leaves.slice(0, 1)))[0]!.first).toBe('0');
    expect((await append(leaves.slice(1, 5)))[0]!.first).toBe('1');
    expect((await append(leaves.slice(5)))[0]!.first).toBe('5');
    const head = await new LedgerService(ds, { origin: ORIGIN }).head();
    expect(head.size).toBe(8);
    expect(Buffer.from(head.rootHash).toString('hex')).toBe(
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    );
    const nodes: { level: number; idx: string; hash: Buffer }[] = await ds.query(
      `SELECT level, idx, hash FROM ledger_node ORDER BY level, idx`,
    );
    expect(nodes.map((n) => [n.level, Number(n.idx)])).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 0],
      [2, 1],
      [3, 0],
    ]);
    for (const n of nodes) {
      const width = 2 ** n.level;
      const start = Number(n.idx) * width;
      expect(n.hash.equals(Buffer.from(merkleRoot(leaves.slice(start, start + width))))).toBe(true);
    }
  });
});
