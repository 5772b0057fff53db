import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import {
  consistencyProof,
  generateSigningKeyPair,
  leafHash,
  merkleRoot,
  noteVerifier,
  openCheckpoint,
  parseVerifierKey,
  signCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '#protocol';
import { LedgerService, verifyExport } from '#ledger';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { KeysService } from '../keys/keys.service.js';
import { Role } from '../users/role.js';
import { LedgerKeyring } from './ledger-keyring.js';
import { NodeLedgerService } from './node-ledger.service.js';

const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

interface Head {
  ledgerHead: {
    origin: string;
    size: number;
    rootHash: string;
    pending: number;
    checkpointKey: string;
    latestCheckpoint: { size: number; note: string } | null;
  };
}

const HEAD = `{ ledgerHead { origin size rootHash pending checkpointKey latestCheckpoint { size note } } }`;

describe('partner node ledger (GraphQL, periodic checkpoints, federation checkpoints)', () => {
  let node: TestNode;
  let compliance: string;
  let admin: string;
  let agent: string;
  let ledger: LedgerService;

  beforeAll(async () => {
    node = await startTestNode('ledger', {
      LEDGER_CHECKPOINT_INTERVAL_SECONDS: '1',
      LEDGER_SEQUENCE_INTERVAL_MS: '100',
    });
    compliance = await node.tokenFor(Role.COMPLIANCE);
    admin = await node.tokenFor(Role.ADMIN);
    agent = await node.tokenFor(Role.AGENT);
    ledger = node.app.get(LedgerService);
  });
  afterAll(async () => node?.close());

  async function head(): Promise<Head['ledgerHead']> {
    const response = await node.gql<Head>(HEAD, {}, compliance);
    expect(response.errors).toBeUndefined();
    return response.data!.ledgerHead;
  }

  async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 8000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > until) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('is for compliance officers and admins only', async () => {
    expect((await node.gql(HEAD, {}, agent)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await node.gql(HEAD, {}, admin)).errors).toBeUndefined();
    expect((await head()).size).toBe(0);
  });

  it('sequences queued entries and signs periodic checkpoints, skipping them when nothing is new', async () => {
    const dataSource = node.app.get(DataSource);
    for (let i = 0; i < 20; i++) await ledger.appendNow('test.event', { i });
    await dataSource.transaction((m) => ledger.enqueue(m, 'test.queued', { queued: true }));
    const signed = await waitFor(async () => {
      const h = await head();
      return h.pending === 0 && h.latestCheckpoint?.size === 21 ? h : undefined;
    });
    const verifier = parseVerifierKey(signed.checkpointKey);
    const opened = openCheckpoint(signed.latestCheckpoint!.note, [verifier], { origin: signed.origin });
    expect(opened.checkpoint.size).toBe(21);
    expect(Buffer.from(opened.checkpoint.rootHash).toString('base64')).toBe(signed.rootHash);
    const sizes = async () =>
      (
        await node.gql<{ ledgerCheckpoints: { nodes: { size: number }[] } }>(
          `{ ledgerCheckpoints(first: 10) { nodes { size } } }`,
          {},
          compliance,
        )
      ).data!.ledgerCheckpoints.nodes.map((c) => c.size);
    const before = await sizes();
    expect(before[0]).toBe(21);
    await new Promise((r) => setTimeout(r, 2200)); // two more timer periods, nothing new
    expect(await sizes()).toEqual(before);
  });

  it('pages entries and proves one by inclusion in a signed checkpoint', async () => {
    const page1 = await node.gql<{
      ledgerEntries: { nodes: { seq: number }[]; pageInfo: { endCursor: string; hasNextPage: boolean } };
    }>(
      `query($after: String) { ledgerEntries(first: 15, after: $after) { nodes { seq } pageInfo { endCursor hasNextPage } } }`,
      {},
      compliance,
    );
    expect(page1.data!.ledgerEntries.nodes.map((e) => e.seq)).toEqual(
      Array.from({ length: 15 }, (_, i) => i),
    );
    const page2 = await node.gql<{
      ledgerEntries: { nodes: { seq: number }[]; pageInfo: { hasNextPage: boolean } };
    }>(
      `query($after: String) { ledgerEntries(first: 15, after: $after) { nodes { seq } pageInfo { hasNextPage } } }`,
      { after: page1.data!.ledgerEntries.pageInfo.endCursor },
      compliance,
    );
    expect(page2.data!.ledgerEntries.nodes.map((e) => e.seq)).toEqual([15, 16, 17, 18, 19, 20]);
    expect(page2.data!.ledgerEntries.pageInfo.hasNextPage).toBe(false);

    const response = await node.gql<{
      ledgerEntry: {
        entry: { seq: number; entry: string; leafHash: string; kind: string };
        proof: { treeSize: number; rootHash: string; hashes: string[]; checkpoint: { note: string } | null };
      };
    }>(
      `{ ledgerEntry(seq: 7) { entry { seq kind entry leafHash } proof { treeSize rootHash hashes checkpoint { note } } } }`,
      {},
      compliance,
    );
    expect(response.errors).toBeUndefined();
    const { entry, proof } = response.data!.ledgerEntry;
    expect(entry.kind).toBe('test.event');
    expect(JSON.parse(entry.entry)).toMatchObject({ data: { i: 7 }, kind: 'test.event' });
    const leaf = leafHash(Buffer.from(entry.entry, 'utf8'));
    expect(Buffer.from(leaf).toString('base64')).toBe(entry.leafHash);
    const h = await head();
    const signedRoot = openCheckpoint(proof.checkpoint!.note, [parseVerifierKey(h.checkpointKey)]).checkpoint
      .rootHash;
    expect(proof.treeSize).toBe(21);
    verifyInclusion(leaf, 7, proof.treeSize, proof.hashes.map(fromB64), signedRoot);
  });

  it('gives consistency proofs, and clear typed errors beyond the tree', async () => {
    const c = await node.gql<{
      ledgerConsistencyProof: {
        fromSize: number;
        toSize: number;
        fromRoot: string;
        toRoot: string;
        hashes: string[];
      };
    }>(`{ ledgerConsistencyProof(from: 5, to: 21) { fromSize toSize fromRoot toRoot hashes } }`, {}, admin);
    const p = c.data!.ledgerConsistencyProof;
    verifyConsistency(5, 21, p.hashes.map(fromB64), fromB64(p.fromRoot), fromB64(p.toRoot));

    const errors = async (query: string) => (await node.gql(query, {}, compliance)).errors?.[0];
    expect(await errors(`{ ledgerEntry(seq: 500) { entry { seq } } }`)).toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    expect(await errors(`{ ledgerEntry(seq: 3, treeSize: 500) { entry { seq } } }`)).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'treeSize' },
    });
    expect(await errors(`{ ledgerConsistencyProof(from: 0, to: 3) { hashes } }`)).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'from' },
    });
    expect(await errors(`{ ledgerConsistencyProof(from: 9, to: 3) { hashes } }`)).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'from' },
    });
  });

  it('exports a document that the offline verifier accepts', async () => {
    await ledger.appendNow('test.late', { late: true }); // exportLedger checkpoints it first
    const response = await node.gql<{ exportLedger: string }>(`{ exportLedger }`, {}, compliance);
    expect(response.errors).toBeUndefined();
    const doc: unknown = JSON.parse(response.data!.exportLedger);
    const report = verifyExport(doc);
    expect(report.entries).toBe(22);
    expect(report.checkpointSizes.slice(-2)).toEqual([21, 22]);
    // Checkpoints are signed by the node key, so the node's published JWKS pins them.
    const pinned = verifyExport(doc, { trustedKeys: await node.app.get(KeysService).jwks() });
    expect(pinned.keysPinned).toBe(true);
    const stranger = generateSigningKeyPair();
    expect(() => verifyExport(doc, { trustedKeys: { keys: [stranger.publicJwk] } })).toThrow(
      /checkpoint at size \d+: is not signed by a known key/,
    );
  });

  describe('federation checkpoints', () => {
    const fed = generateSigningKeyPair();
    const ORIGIN = 'concordia/federation/ledger';
    const leaves = Array.from({ length: 50 }, (_, i) => leafHash(Buffer.from(`federation entry ${i}`)));
    const forked = leaves.map((leaf, i) => (i === 12 ? leafHash(Buffer.from('rewritten')) : leaf));
    const note = (tree: Uint8Array[], size: number) =>
      signCheckpoint(
        { origin: ORIGIN, size, rootHash: merkleRoot(tree.slice(0, size)) },
        { name: ORIGIN, privateJwk: fed.privateJwk },
      );
    const b64 = (hashes: Uint8Array[]) => hashes.map((h) => Buffer.from(h).toString('base64'));
    let service: NodeLedgerService;

    beforeAll(() => {
      service = node.app.get(NodeLedgerService);
    });

    it('refuses them while no federation key is known', async () => {
      await expect(service.acceptFederationCheckpoint(note(leaves, 10), [])).rejects.toMatchObject({
        code: 'CONFLICT',
      });
    });

    it('records consistent ones, and raises an alert for an inconsistent one', async () => {
      node.app.get(LedgerKeyring).setFederationCheckpointKeys([noteVerifier(ORIGIN, fed.publicJwk)], ORIGIN);
      expect((await service.acceptFederationCheckpoint(note(leaves, 10), []))?.status).toBe('first');
      expect(
        (await service.acceptFederationCheckpoint(note(leaves, 30), b64(consistencyProof(leaves, 10, 30))))
          ?.status,
      ).toBe('consistent');
      expect(await service.acceptFederationCheckpoint(note(leaves, 30), [])).toBeNull(); // same head again

      // A forged note (unknown key) is refused and leaves no trace.
      const stranger = generateSigningKeyPair();
      const forgedNote = signCheckpoint(
        { origin: ORIGIN, size: 40, rootHash: merkleRoot(forked.slice(0, 40)) },
        { name: ORIGIN, privateJwk: stranger.privateJwk },
      );
      await expect(service.acceptFederationCheckpoint(forgedNote, [])).rejects.toMatchObject({
        code: 'MESSAGE_REFUSED',
        reason: 'UNKNOWN_KEY',
      });

      // The federation rewrote entry 12 and presents a bigger tree with a proof from its own history.
      const inconsistent = await service.acceptFederationCheckpoint(
        note(forked, 40),
        b64(consistencyProof(forked, 30, 40)),
      );
      expect(inconsistent?.status).toBe('inconsistent');
      // The next honest one is still checked against the last consistent checkpoint (size 30).
      expect(
        (await service.acceptFederationCheckpoint(note(leaves, 50), b64(consistencyProof(leaves, 30, 50))))
          ?.status,
      ).toBe('consistent');

      const alerts = await node.gql<{
        ledgerAlerts: { nodes: { kind: string; message: string; federationCheckpointId: string }[] };
      }>(`{ ledgerAlerts(first: 10) { nodes { kind message federationCheckpointId } } }`, {}, compliance);
      expect(alerts.errors).toBeUndefined();
      expect(alerts.data!.ledgerAlerts.nodes).toEqual([
        {
          kind: 'FEDERATION_CHECKPOINT_INCONSISTENT',
          message: expect.stringMatching(
            /size 40 is not consistent with the one of size 30/,
          ) as unknown as string,
          federationCheckpointId: inconsistent!.id,
        },
      ]);
      const seen = await node.gql<{
        ledgerFederationCheckpoints: { nodes: { size: number; status: string }[] };
      }>(`{ ledgerFederationCheckpoints(first: 10) { nodes { size status } } }`, {}, admin);
      expect(seen.data!.ledgerFederationCheckpoints.nodes.map((c) => `${c.size}:${c.status}`).sort()).toEqual(
        ['10:FIRST', '30:CONSISTENT', '40:INCONSISTENT', '50:CONSISTENT'].sort(),
      );
    });
  });
});
