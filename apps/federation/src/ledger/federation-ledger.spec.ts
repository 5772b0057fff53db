import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  canonicalize,
  createJwks,
  generateSigningKeyPair,
  importPublicJwk,
  jwsHash,
  leafHash,
  noteVerifier,
  openCheckpoint,
  subjectToken,
  verifyConsistency,
  verifyInclusion,
  type Jwks,
} from '#protocol';
import { federationLedgerOrigin, type LedgerCheckpointView } from '#federation-client';
import {
  ExportVerificationError,
  LedgerService,
  verifyExport,
  verifyExportOffThread,
  type LedgerExport,
} from '#ledger';
import { runAudit, type AuditIo } from '#ledger/cli/audit';
import { inTransaction } from '#platform/database/transaction';
import { EventsService, FEDERATION_EVENT_TYPES } from '../events/events.service.js';
import { SimulatedPartner, startTestFederation, type TestFederation } from '../testing/test-federation.js';
import { FederationLedgerService } from './federation-ledger.service.js';

const now = () => Math.floor(Date.now() / 1000);
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const JANE = subjectToken(Buffer.alloc(32, 7), 'email', 'jane.doe@example.com');

/**
 * The federation ledger on real PostgreSQL and Redis: every federation event becomes an entry
 * (real flows over HTTP and GraphQL), concurrent appends are gap-free and in order, checkpoints
 * are signed by the federation's published key (scheduled and on demand), proofs verify, bad
 * requests are refused with a code, and the export verifies offline with the pinned JWKS.
 */
describe('federation ledger (real PostgreSQL and Redis)', () => {
  let fed: TestFederation;
  let dataSource: DataSource;
  let ledger: FederationLedgerService;
  const alice = new SimulatedPartner('alice-bank');
  const bob = new SimulatedPartner('bob-shop');
  const eve = new SimulatedPartner('eve-corp');
  const agreementId = 'agreement-ledger-0001';
  let agreementJws: string;
  let consentJws: string;

  const http = async (path: string, token?: string) => {
    const response = await fetch(`${fed.url}/federation/v1/ledger/${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const jwks = async (): Promise<Jwks> =>
    (await fetch(`${fed.url}/.well-known/jwks.json`)).json() as Promise<Jwks>;
  const operatorGql = async <T>(query: string, variables?: Record<string, unknown>) => {
    const result = await fed.gql<T>(query, variables, fed.operatorToken);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data as T;
  };
  const events = async (): Promise<{ type: string; canonical: string }[]> =>
    dataSource.query(`SELECT type, canonical FROM federation_event ORDER BY seq`);

  beforeAll(async () => {
    fed = await startTestFederation('fedledger', {
      LEDGER_CHECKPOINT_INTERVAL_SECONDS: '1',
      LEDGER_SEQUENCE_INTERVAL_MS: '1000',
    });
    dataSource = fed.app.get(DataSource);
    ledger = fed.app.get(FederationLedgerService);
  });
  afterAll(async () => fed?.close());

  it('turns every membership, key, agreement and consent change into a ledger entry, in order', async () => {
    for (const partner of [alice, bob])
      await fed.approve((await fed.client.apply(partner.application())).applicationId);
    const pending = await fed.client.apply(eve.application());
    await operatorGql(
      `mutation($id: ID!) { rejectApplication(applicationId: $id, reason: "unknown") { id } }`,
      {
        id: pending.applicationId,
      },
    );
    await operatorGql(`mutation { suspendMember(partnerId: "bob-shop", reason: "audit") { status } }`);
    await operatorGql(`mutation { reinstateMember(partnerId: "bob-shop") { status } }`);
    await operatorGql(`mutation { renewMembership(partnerId: "bob-shop") { status } }`);
    const newKey = generateSigningKeyPair();
    await fed.client.rotateKeys(
      'alice-bank',
      alice.sign('key-rotation', {
        aud: 'test-net',
        jwks: createJwks([alice.key.publicJwk, newKey.publicJwk]),
      }),
    );
    await operatorGql(`mutation { rotateFederationKey { kid } }`);

    agreementJws = alice.sign('agreement', {
      aud: ['bob-shop', 'test-net'],
      agreementId,
      version: 1,
      parties: ['alice-bank', 'bob-shop'],
      direction: 'mutual',
      purposes: ['customer-care'],
      categories: ['care-history'],
      retentionDays: 365,
      minCohortSize: 10,
      validFrom: now() - 10,
      validUntil: now() + 86_400,
    });
    await fed.client.proposeAgreement(agreementJws);
    const transition = (from: 'proposed' | 'active', to: 'accepted' | 'terminated') =>
      bob.sign('agreement-transition', {
        aud: ['test-net'],
        agreementId,
        version: 1,
        agreementHash: jwsHash(agreementJws),
        from,
        to,
      });
    await fed.client.transitionAgreement(agreementId, transition('proposed', 'accepted'));
    const consentId = `consent-${randomUUID()}`;
    consentJws = alice.sign(
      'consent-registration',
      alice.consentClaims({
        registrationId: consentId,
        subjectTokens: [{ kind: 'email', token: JANE, keyId: 'agreement-ledger-0001' }],
      }),
    );
    await fed.client.registerConsent(consentJws);
    await fed.client.withdrawConsent(
      consentId,
      alice.sign('consent-withdrawal', { aud: 'test-net', consentId, withdrawnAt: now() }),
    );
    await fed.client.transitionAgreement(agreementId, transition('active', 'terminated'));

    // The kinds no federation flow of this file produces (the relay's need partner nodes, see
    // test/sharing.spec.ts; merges come from the merge module) go through EventsService as their
    // callers use it: the event union and the database accept them.
    const produced = new Set((await events()).map((e) => e.type));
    const appended = FEDERATION_EVENT_TYPES.filter((type) => !produced.has(type));
    expect(appended.every((type) => /^(envelope|purge|merge)\./.test(type))).toBe(true);
    for (const type of appended) {
      await inTransaction(dataSource, (m) =>
        fed.app.get(EventsService).append(m, type, `${type}-1`, { n: 1 }),
      );
    }

    await operatorGql(`mutation { signFederationLedgerCheckpoint { size } }`);
    const rows = await events();
    const entries = await fed.app.get(LedgerService).entries(0, 1000);
    expect(entries).toHaveLength(rows.length);
    expect(entries.map((e) => e.seq)).toEqual(rows.map((_, i) => i));
    // Each entry holds its event's canonical JSON, verbatim, under its type.
    expect(entries.map((e) => [e.kind, JSON.parse(e.entry).data])).toEqual(
      rows.map((r) => [r.type, JSON.parse(r.canonical)]),
    );
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(FEDERATION_EVENT_TYPES));
    // Ids, kids and hashes: the subject token of the consent is in no entry.
    for (const e of entries) expect(e.entry).not.toContain(JANE);
  });

  it('keeps concurrent appends gap-free and in order, and leaves nothing of a rolled-back change', async () => {
    const before = await ledger.ledger.head();
    const events = fed.app.get(EventsService);
    const writers = 8;
    const perWriter = 15;
    await Promise.all(
      Array.from({ length: writers }, (_, w) =>
        (async () => {
          for (let i = 0; i < perWriter; i++) {
            const rollBack = i % 5 === 4;
            await inTransaction(dataSource, async (m) => {
              await events.append(m, 'merge.result', `writer-${w}`, { writer: w, i });
              if (rollBack) throw new Error('rolled back');
            }).catch((error: Error) => {
              if (error.message !== 'rolled back') throw error;
            });
          }
        })(),
      ),
    );
    await ledger.checkpointNow();
    const committed = perWriter - perWriter / 5;
    const head = await ledger.ledger.head();
    expect(head.size).toBe(before.size + writers * committed);
    const added = await ledger.ledger.entries(before.size, 1000);
    expect(added.map((e) => e.seq)).toEqual(added.map((_, i) => before.size + i));
    const data = added.map((e) => JSON.parse(e.entry).data as { writer: number; i: number });
    for (let w = 0; w < writers; w++) {
      // Each writer's committed changes, once each, in the order it made them.
      expect(data.filter((d) => d.writer === w).map((d) => d.i)).toEqual(
        Array.from({ length: perWriter }, (_, i) => i).filter((i) => i % 5 !== 4),
      );
    }
    expect(await ledger.ledger.pendingCount()).toBe(0);
  });

  it('signs checkpoints with its published key, on a schedule and on demand', async () => {
    const signed = await ledger.ledger.latestCheckpoint();
    await inTransaction(dataSource, (m) =>
      fed.app.get(EventsService).append(m, 'merge.proposed', 'scheduled', {}),
    );
    // Nobody asks: the scheduled jobs sequence the entry and sign a checkpoint that covers it.
    const until = Date.now() + 20_000;
    let latest: LedgerCheckpointView | undefined;
    while (Date.now() < until) {
      const { body } = await http('checkpoint');
      latest = body as unknown as LedgerCheckpointView;
      if (latest.size > (signed?.size ?? 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(latest!.size).toBe((await ledger.ledger.head()).size);
    const origin = federationLedgerOrigin('test-net');
    const published = (await jwks()).keys.find((k) => k.kid === latest!.signerKid);
    expect(published).toBeDefined();
    const opened = openCheckpoint(
      latest!.note,
      [noteVerifier(origin, importPublicJwk(published, 'Ed25519'))],
      {
        origin,
      },
    );
    expect(opened.checkpoint.size).toBe(latest!.size);
    expect(Buffer.from(opened.checkpoint.rootHash).toString('base64')).toBe(latest!.rootHash);

    const history = await http('checkpoints?limit=2');
    const page = history.body as { checkpoints: LedgerCheckpointView[]; nextBefore: number | null };
    expect(page.checkpoints.map((c) => c.size)).toEqual(
      [...page.checkpoints.map((c) => c.size)].sort((a, b) => b - a),
    );
    expect(page.checkpoints[0]!.size).toBe(latest!.size);
    const older = await http(`checkpoints?limit=100&before=${page.nextBefore}`);
    expect((older.body.checkpoints as LedgerCheckpointView[]).every((c) => c.size < page.nextBefore!)).toBe(
      true,
    );
  });

  it('serves inclusion proofs (by seq or leaf hash) and consistency proofs that verify', async () => {
    const { body } = await http('checkpoints?limit=100');
    const checkpoints = (body.checkpoints as LedgerCheckpointView[]).reverse();
    const [first, last] = [checkpoints[0]!, checkpoints.at(-1)!];
    expect(last.size).toBeGreaterThan(first.size);

    const consistency = await http(`proofs/consistency?from=${first.size}&to=${last.size}`);
    expect(consistency.status).toBe(200);
    const c = consistency.body as { fromRoot: string; toRoot: string; hashes: string[] };
    expect([c.fromRoot, c.toRoot]).toEqual([first.rootHash, last.rootHash]);
    expect(() =>
      verifyConsistency(
        first.size,
        last.size,
        c.hashes.map(fromB64),
        fromB64(first.rootHash),
        fromB64(last.rootHash),
      ),
    ).not.toThrow();

    const seq = 3;
    const bySeq = await http(`proofs/inclusion?seq=${seq}&treeSize=${last.size}`);
    const proof = bySeq.body as {
      entry: { entry: string; leafHash: string };
      proof: { treeSize: number; rootHash: string; hashes: string[]; checkpoint: { size: number } | null };
    };
    expect(proof.proof).toMatchObject({
      treeSize: last.size,
      rootHash: last.rootHash,
      checkpoint: { size: last.size },
    });
    const leaf = leafHash(Buffer.from(proof.entry.entry, 'utf8'));
    expect(Buffer.from(leaf).toString('base64')).toBe(proof.entry.leafHash);
    expect(() =>
      verifyInclusion(leaf, seq, last.size, proof.proof.hashes.map(fromB64), fromB64(last.rootHash)),
    ).not.toThrow();
    const byHash = await http(
      `proofs/inclusion?leafHash=${encodeURIComponent(proof.entry.leafHash)}&treeSize=${last.size}`,
    );
    expect(byHash.body).toEqual(bySeq.body);

    const gql = await operatorGql<{
      federationLedgerEntry: { entry: { seq: number }; proof: { hashes: string[] } };
    }>(
      `query($h: String, $t: Int) { federationLedgerEntry(leafHash: $h, treeSize: $t) { entry { seq } proof { hashes } } }`,
      { h: proof.entry.leafHash, t: last.size },
    );
    expect(gql.federationLedgerEntry).toEqual({ entry: { seq }, proof: { hashes: proof.proof.hashes } });
  });

  it('refuses bad proof requests with a clear code, and entries and exports to anonymous callers', async () => {
    const size = (await ledger.ledger.head()).size;
    const refused = async (path: string) => {
      const { status, body } = await http(path);
      const error = body.error as { code: string; reason?: string; field?: string };
      return [status, error.code, error.reason, error.field];
    };
    expect(await refused(`proofs/inclusion?seq=0&treeSize=${size + 1}`)).toEqual([
      400,
      'BAD_USER_INPUT',
      'SIZE_BEYOND_TREE',
      'treeSize',
    ]);
    // An entry that does not exist (yet) is not found; sizes beyond the tree are bad input.
    expect(await refused(`proofs/inclusion?seq=${size}`)).toEqual([404, 'NOT_FOUND', undefined, undefined]);
    expect(await refused(`proofs/consistency?from=5&to=3`)).toEqual([
      400,
      'BAD_USER_INPUT',
      'FROM_BEYOND_TO',
      'from',
    ]);
    expect(await refused(`proofs/consistency?from=1&to=${size + 10}`)).toEqual([
      400,
      'BAD_USER_INPUT',
      'SIZE_BEYOND_TREE',
      'to',
    ]);
    expect(await refused(`proofs/consistency?from=0&to=3`)).toEqual([
      400,
      'BAD_USER_INPUT',
      'EMPTY_TREE',
      'from',
    ]);
    expect(await refused(`proofs/consistency?from=-1`)).toEqual([
      400,
      'BAD_USER_INPUT',
      'NOT_A_SIZE',
      'from',
    ]);
    expect(await refused(`proofs/inclusion?seq=1.5`)).toEqual([400, 'BAD_USER_INPUT', 'NOT_A_SIZE', 'seq']);
    expect(await refused(`proofs/inclusion?leafHash=abc`)).toEqual([
      400,
      'BAD_USER_INPUT',
      'NOT_A_HASH',
      'leafHash',
    ]);
    const unknown = Buffer.alloc(32, 1).toString('base64');
    expect((await http(`proofs/inclusion?leafHash=${encodeURIComponent(unknown)}`)).status).toBe(404);
    expect((await http('entries')).status).toBe(401);
    expect((await http('export')).status).toBe(401);
    const anonymous = await fed.gql(`{ federationLedgerHead { size } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const entries = await http('entries?from=0&limit=2', fed.operatorToken);
    expect((entries.body.entries as { seq: number }[]).map((e) => e.seq)).toEqual([0, 1]);
  });

  describe('the export, verified offline against the pinned federation JWKS', () => {
    let doc: LedgerExport;
    let trustedKeys: Jwks;
    const copy = (): LedgerExport => JSON.parse(JSON.stringify(doc)) as LedgerExport;
    /** The first problem, as both verifiers (signatures at once, or on the threadpool) name it. */
    const failure = async (input: unknown): Promise<ExportVerificationError> => {
      const offThread = await verifyExportOffThread(input, { trustedKeys }).then(
        () => undefined,
        (error: unknown) => error,
      );
      try {
        verifyExport(input, { trustedKeys });
      } catch (error) {
        if (!(error instanceof ExportVerificationError)) throw error;
        expect(offThread).toBeInstanceOf(ExportVerificationError);
        expect((offThread as ExportVerificationError).message).toBe(error.message);
        expect((offThread as ExportVerificationError).seq).toBe(error.seq);
        return error;
      }
      throw new Error('the export verified');
    };
    const seqOf = (kind: string) => doc.entries.find((e) => e.kind === kind)!.seq;

    beforeAll(async () => {
      const { status, body } = await http('export', fed.operatorToken);
      expect(status).toBe(200);
      doc = body as unknown as LedgerExport;
      trustedKeys = await jwks();
    });

    it('verifies every entry, checkpoint and carried signed message', async () => {
      const report = verifyExport(doc, { trustedKeys });
      expect(await verifyExportOffThread(doc, { trustedKeys })).toEqual(report);
      expect(report.entries).toBe(doc.toSize);
      expect(report.checkpoints).toBeGreaterThan(2);
      // Two admissions, a rotation, suspension, reinstatement and renewal each issue a statement.
      expect(report.statementsVerified).toBe(6);
      // + the member's rotation announcement, the federation's key-rotation statement (signed by
      // its previous key), the agreement, its two transitions (accepted carries it for accepted and
      // activated), the consent and its withdrawal.
      expect(report.messagesVerified).toBe(6 + 1 + 1 + 1 + 3 + 2);
      expect(report.keysPinned).toBe(true);
      expect(doc.messages!.some((m) => m.jws === consentJws)).toBe(true);
    });

    it('names the entry whose carried consent receipt was tampered with', async () => {
      const tampered = copy();
      const message = tampered.messages!.find((m) => m.jws === consentJws)!;
      const [h, p, s] = message.jws.split('.');
      message.jws = `${h}.${p}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`;
      const error = await failure(tampered);
      expect(error.seq).toBe(message.seq);
      expect(error.message).toMatch(
        /the consent-registration carried for data\.messageHash does not match the hash/,
      );
    });

    it('catches a message the federation ledgered but the member never signed', async () => {
      const forger = generateSigningKeyPair();
      const forged = alice.sign(
        'agreement',
        {
          ...JSON.parse(Buffer.from(agreementJws.split('.')[1]!, 'base64url').toString()),
          iss: 'alice-bank',
        },
        forger,
      );
      await inTransaction(dataSource, (m) =>
        fed.app
          .get(EventsService)
          .append(m, 'agreement.proposed', 'forged', { messageHash: jwsHash(forged) }, { signed: [forged] }),
      );
      const { body } = await http('export', fed.operatorToken);
      const withForgery = body as unknown as LedgerExport;
      const error = await failure(withForgery);
      expect(error.seq).toBe(withForgery.toSize - 1);
      expect(error.message).toMatch(/signed by a key no membership statement of alice-bank vouches for/);
    });

    it('names the entry changed by one byte, and refuses a forged checkpoint, a cut and non-canonical JSON', async () => {
      const changed = copy();
      const target = changed.entries[seqOf('consent.registered')]!;
      target.entry = target.entry.replace('"customer-care"', '"customer-cara"');
      expect(await failure(changed)).toMatchObject({ seq: target.seq, where: `entry seq ${target.seq}` });

      const forged = copy();
      const other = generateSigningKeyPair();
      const c = forged.checkpoints[1]!;
      c.note = c.note.replace(
        /— (\S+) \S+\n$/,
        (_m, name: string) => `— ${name} ${Buffer.alloc(68, 9).toString('base64')}\n`,
      );
      forged.keys.checkpoint.push({ name: 'intruder', publicJwk: other.publicJwk, vkey: 'x' });
      expect((await failure(forged)).where).toBe(`checkpoint at size ${c.size}`);

      const cut = copy();
      cut.entries = cut.entries.slice(0, -3);
      expect((await failure(cut)).message).toMatch(/cut short|not covered|does not match the root/);

      const loose = copy();
      const entry = loose.entries[2]!;
      entry.entry = JSON.stringify(JSON.parse(entry.entry), null, 1);
      expect(await failure(loose)).toMatchObject({ seq: 2 });
      expect((await failure(loose)).message).toMatch(/canonical/);
      expect(canonicalize(JSON.parse(entry.entry))).not.toBe(entry.entry);
    });

    it('audit verify (the CLI) prints the summary, and names the stored entry changed by one byte', async () => {
      const files: Record<string, string> = { 'jwks.json': JSON.stringify(trustedKeys) };
      const run = async (args: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const io: AuditIo = {
          out: (line) => out.push(line),
          err: (line) => err.push(line),
          readFile: (path) => {
            if (!(path in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
            return files[path]!;
          },
        };
        return { status: await runAudit(args, io), out: out.join('\n'), err: err.join('\n') };
      };
      const exported = async () =>
        (
          await fetch(`${fed.url}/federation/v1/ledger/export`, {
            headers: { authorization: `Bearer ${fed.operatorToken}` },
          })
        ).text();
      const seq = seqOf('consent.withdrawn');
      files['clean.json'] = await exported();
      const clean = await run(['verify', 'clean.json', '--keys', 'jwks.json']);
      expect(clean.err).toMatch(
        /entry seq \d+: the agreement carried for data.messageHash is signed by a key no membership/,
      );

      // Without the forgery of the test above, the rest of the ledger verifies: export up to it.
      const forgedAt = (JSON.parse(files['clean.json']) as LedgerExport).entries.find((e) =>
        e.entry.includes('"forged"'),
      )!.seq;
      await fed.gql(`mutation { signFederationLedgerCheckpoint { size } }`, {}, fed.operatorToken);
      files['upto.json'] = JSON.stringify(await ledger.export(0, forgedAt));
      const ok = await run(['verify', 'upto.json', '--keys', 'jwks.json']);
      expect(ok.status).toBe(0);
      expect(ok.out).toMatch(new RegExp(`entries +${forgedAt} \\(seq 0 … ${forgedAt - 1}\\)`));
      expect(ok.out).toMatch(/signed msgs +14 verified \(6 membership statements\)/);
      expect(ok.out).toMatch(/keys +pinned by jwks.json/);

      await dataSource.transaction(async (m) => {
        await m.query(`SET LOCAL session_replication_role = replica`);
        await m.query(
          `UPDATE ledger_entry SET entry = replace(entry, '"consent.withdrawn"', '"consent.withdrawm"') WHERE seq = $1`,
          [seq],
        );
      });
      files['changed.json'] = JSON.stringify(await ledger.export(0, forgedAt));
      const changed = await run(['verify', 'changed.json', '--keys', 'jwks.json']);
      expect(changed.status).toBe(1);
      expect(changed.err).toMatch(new RegExp(`^FAILED: entry seq ${seq}: `));
    });
  });
});
