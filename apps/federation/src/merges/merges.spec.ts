import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { jwksKeyResolver, jwsHash, verifyMessage, type MessageInput } from '#protocol';
import { FederationError, MergeClient } from '#federation-client';
import {
  auditMerge,
  encodeManifest,
  RECORD_BYTES,
  type EncodedManifest,
  type PublishedMerge,
} from '#matching';
import { SimulatedPartner, startTestFederation, type TestFederation } from '../testing/test-federation.js';
import { MergesRepository } from './merges.repository.js';

const now = () => Math.floor(Date.now() / 1000);
const raw = (name: string) => createHash('sha256').update(name).digest();
const token = (name: string) => raw(name).toString('base64url');

/** A segment: members, each with tokens and a consent flag. */
type Segment = { tokens: string[]; consent?: boolean; bucket?: number }[];
const manifestOf = (segment: Segment, chunk = 4): EncodedManifest =>
  encodeManifest(
    segment.flatMap((p, member) =>
      p.tokens.map((t) => ({ token: raw(t), member, consent: p.consent ?? false, bucket: p.bucket })),
    ),
    chunk,
  );

// A: 10 members; B: 6. Shared people: p1 (both consent, backed by both registries), e2 (both
// flag it, but bob's consent for it is for customer care only), e3 (only bob flags it). |A ∩ B| = 3.
const SEGMENT_A: Segment = [
  { tokens: ['a:e1', 'p1'], consent: true },
  { tokens: ['e2'], consent: true },
  { tokens: ['e3'] },
  ...Array.from({ length: 7 }, (_, i) => ({ tokens: [`a-only:${i}`], consent: true })),
];
const SEGMENT_B: Segment = [
  { tokens: ['p1', 'b:e1'], consent: true },
  { tokens: ['e2'], consent: true },
  { tokens: ['e3'], consent: true },
  ...Array.from({ length: 3 }, (_, i) => ({ tokens: [`b-only:${i}`] })),
];

describe('segment merges at the federation (real PostgreSQL, two simulated partners)', () => {
  let fed: TestFederation;
  let db: DataSource;
  const alice = new SimulatedPartner('alice-bank');
  const bob = new SimulatedPartner('bob-shop');
  const carol = new SimulatedPartner('carol-store');
  const client = (p: SimulatedPartner) => new MergeClient(fed.url, 'test-net', () => p.signer);
  const rows = async (table: string) =>
    Number(((await db.query(`SELECT count(*) AS n FROM ${table}`)) as { n: string }[])[0]!.n);

  const agree = async (
    agreementId: string,
    purposes: string[],
    categories: string[],
    mergeBuckets?: ['country'],
    minCohortSize = 4,
  ) => {
    const jws = alice.sign('agreement', {
      aud: ['bob-shop', 'test-net'],
      agreementId,
      version: 1,
      parties: ['alice-bank', 'bob-shop'],
      direction: 'mutual',
      purposes: purposes as never,
      categories: categories as never,
      retentionDays: 30,
      minCohortSize,
      ...(mergeBuckets ? { mergeBuckets } : {}),
      validFrom: now() - 10,
      validUntil: now() + 86_400,
    });
    await fed.client.proposeAgreement(jws);
    await fed.client.transitionAgreement(
      agreementId,
      bob.sign('agreement-transition', {
        aud: ['test-net'],
        agreementId,
        version: 1,
        agreementHash: jwsHash(jws),
        from: 'proposed',
        to: 'accepted',
      }),
    );
  };
  const consent = async (
    from: SimulatedPartner,
    to: string,
    tokens: string[],
    terms: Pick<MessageInput<'consent-registration'>, 'purposes' | 'categories'> = {
      purposes: ['marketing'],
      categories: ['segment-membership'],
    },
    keyId = 'merge-agreement-1',
  ) => {
    const claims = from.consentClaims({
      subjectTokens: tokens.map((t) => ({ kind: 'email' as const, token: token(t), keyId })),
      ...terms,
      recipient: to,
    });
    await fed.client.registerConsent(from.sign('consent-registration', claims));
  };
  const refusal = async (send: () => Promise<unknown>): Promise<FederationError> => {
    const error = await send().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FederationError);
    return error as FederationError;
  };
  const propose = (
    mergeId: string,
    agreementId = 'merge-agreement-1',
    options: { by?: SimulatedPartner; bucketBy?: 'country' } = {},
  ) =>
    (options.by ?? alice).sign('merge-proposal', {
      aud: ['bob-shop', 'test-net'],
      mergeId,
      agreementId,
      partner: 'bob-shop',
      segment: 'segment-premium-a',
      ...(options.bucketBy ? { bucketBy: options.bucketBy } : {}),
    });
  const acceptanceOf = (
    mergeId: string,
    proposal: string,
    options: { by?: SimulatedPartner; bucketBy?: 'country' } = {},
  ) =>
    (options.by ?? bob).sign('merge-acceptance', {
      aud: ['alice-bank', 'test-net'],
      mergeId,
      agreementId: 'merge-agreement-1',
      proposalHash: jwsHash(proposal),
      segment: 'segment-loyal-b',
      ...(options.bucketBy ? { bucketBy: options.bucketBy } : {}),
    });
  const manifestHeader = (
    from: SimulatedPartner,
    mergeId: string,
    segment: string,
    m: EncodedManifest,
    buckets?: string[],
  ) =>
    from.sign('merge-manifest', {
      ...(buckets ? { buckets } : {}),
      aud: 'test-net',
      mergeId,
      agreementId: 'merge-agreement-1',
      segment,
      format: 'token32-member32-flags8',
      chunkCount: m.chunkCount,
      total: m.total,
      members: m.members,
      root: m.root,
    });

  beforeAll(async () => {
    // The network's floor for merges; merge-agreement-small is under it.
    fed = await startTestFederation('merges_fed', { MERGE_MIN_COHORT_SIZE: '4' });
    db = fed.app.get(DataSource);
    for (const p of [alice, bob, carol])
      await fed.approve((await fed.client.apply(p.application())).applicationId);
    await agree('merge-agreement-1', ['marketing'], ['segment-membership'], ['country']);
    await agree('merge-agreement-2', ['marketing'], ['segment-membership']);
    await agree('merge-agreement-small', ['marketing'], ['segment-membership'], undefined, 3);
    await agree('care-agreement-1', ['customer-care'], ['care-history', 'segment-membership']);
    await consent(alice, 'bob-shop', ['p1', 'e2']);
    await consent(bob, 'alice-bank', ['p1']);
    // bob's consent for e2 is for customer care: it does not back bob's marketing flag.
    await consent(
      bob,
      'alice-bank',
      ['e2'],
      { purposes: ['customer-care'], categories: ['care-history'] },
      'care-agreement-1',
    );
  });
  afterAll(async () => fed?.close());

  it('refuses a merge under an agreement without marketing, a breakdown it does not allow, a stranger; stores nothing', async () => {
    const before = await rows('segment_merge');
    expect(
      (await refusal(() => client(alice).propose(propose('merge-care-0001', 'care-agreement-1')))).reason,
    ).toBe('MERGE_NOT_ALLOWED');
    // A breakdown the agreement's terms do not allow.
    const byCountry = propose('merge-country-0001', 'merge-agreement-2', { bucketBy: 'country' });
    const notAllowed = await refusal(() => client(alice).propose(byCountry));
    expect([notAllowed.reason, notAllowed.message]).toEqual([
      'MERGE_NOT_ALLOWED',
      'agreement merge-agreement-2 does not allow a breakdown by country',
    ]);
    // An agreement whose minimum cohort is under the network's floor.
    const small = await refusal(() =>
      client(alice).propose(propose('merge-small-0001', 'merge-agreement-small')),
    );
    expect([small.reason, small.message]).toEqual([
      'COHORT_TOO_SMALL',
      'agreement merge-agreement-small suppresses counts under 3; merges need a minimum cohort of at least 4',
    ]);
    const stranger = propose('merge-carol-0001', 'merge-agreement-1', { by: carol });
    expect((await refusal(() => client(carol).propose(stranger))).reason).toBe('WRONG_PARTY');
    expect(await rows('segment_merge')).toBe(before);
  });

  it('runs a merge: proposal, acceptance, manifests in chunks, signed result with suppression and consent', async () => {
    const proposal = propose('merge-0001');
    const proposed = await client(alice).propose(proposal);
    expect(proposed).toMatchObject({ state: 'proposed', proposer: 'alice-bank', partner: 'bob-shop' });
    expect((await refusal(() => client(alice).propose(proposal))).reason).toBe('REPLAYED');
    expect((await client(bob).list()).map((m) => m.mergeId)).toContain('merge-0001');

    const acceptance = (by: SimulatedPartner) => acceptanceOf('merge-0001', proposal, { by });
    const wrong = await refusal(() => client(alice).accept('merge-0001', acceptance(alice)));
    expect(wrong.reason).toBe('WRONG_PARTY');
    expect((await client(bob).accept('merge-0001', acceptance(bob))).state).toBe('accepted');

    const a = manifestOf(SEGMENT_A);
    const b = manifestOf(SEGMENT_B);
    // A manifest for another segment than the one its sender named.
    expect(
      (
        await refusal(() =>
          client(alice).sendManifest('merge-0001', manifestHeader(alice, 'merge-0001', 'segment-x', a)),
        )
      ).reason,
    ).toBe('WRONG_SEGMENT');
    await client(alice).sendManifest(
      'merge-0001',
      manifestHeader(alice, 'merge-0001', 'segment-premium-a', a),
    );
    await client(bob).sendManifest('merge-0001', manifestHeader(bob, 'merge-0001', 'segment-loyal-b', b));

    // A chunk with a duplicated token is refused naming chunk and record; nothing stored.
    const bad = Buffer.from(a.chunks[1]!);
    bad.copy(bad, RECORD_BYTES, 0, RECORD_BYTES);
    const dup = await refusal(() => client(alice).uploadChunk('merge-0001', 'alice-bank', 1, bad));
    expect({ status: dup.status, message: dup.message }).toEqual({
      status: 400,
      message: 'chunks[1]: chunk 1, record 1: duplicated token',
    });
    expect(await rows('merge_manifest_chunk')).toBe(0);
    // …and recorded for the operator, like any refused message (no token in it).
    expect(
      await db.query(
        `SELECT kind, reason, issuer, route, message FROM refusal WHERE kind = 'merge-manifest-chunk'`,
      ),
    ).toEqual([
      {
        kind: 'merge-manifest-chunk',
        reason: 'DUPLICATE_TOKEN',
        issuer: 'alice-bank',
        route: 'POST /federation/v1/merges/:mergeId/manifests/:party/chunks/:index',
        message: 'merge merge-0001, chunks[1]: chunk 1, record 1: duplicated token',
      },
    ]);
    // Only a party uploads, and only its own chunks.
    expect(
      (await refusal(() => client(bob).uploadChunk('merge-0001', 'alice-bank', 0, a.chunks[0]!))).status,
    ).toBe(403);

    for (const [i, chunk] of a.chunks.entries())
      await client(alice).uploadChunk('merge-0001', 'alice-bank', i, chunk);
    let last;
    for (const [i, chunk] of b.chunks.entries())
      last = await client(bob).uploadChunk('merge-0001', 'bob-shop', i, chunk);
    expect(last).toMatchObject({ complete: true, state: 'completed' });
    expect(await rows('merge_manifest_chunk')).toBe(0);

    const view = await client(alice).get('merge-0001');
    const { claims } = await verifyMessage(
      'merge-result',
      view.result!,
      jwksKeyResolver(await fed.client.jwks()),
      {
        audience: 'alice-bank',
        issuer: 'test-net',
      },
    );
    // k = 4: |A ∩ B| = 3 is suppressed, and with it A \ B, B \ A and A ∪ B (differencing).
    expect(claims.counts).toEqual({ a: 10, b: 6, intersection: null, union: null, aOnly: null, bOnly: null });
    expect(claims.minCohortSize).toBe(4);
    expectAudited(claims);
    expect(claims.consented).toMatchObject({ persons: 1, tokens: 1 });
    const consented = await client(bob).consented('merge-0001');
    expect(consented).toEqual(raw('p1'));
    expect(createHash('sha256').update(consented).digest('base64url')).toBe(claims.consented.tokensHash);
    expect(claims.manifests).toEqual(view.manifests.map((m) => m.manifestHash));

    const events: { type: string }[] = await db.query(
      `SELECT type FROM federation_event WHERE subject = 'merge-0001' ORDER BY seq`,
    );
    expect(events.map((e) => e.type)).toEqual([
      'merge.proposed',
      'merge.accepted',
      'merge.manifest',
      'merge.manifest',
      'merge.result',
    ]);
    expect((await refusal(() => client(carol).get('merge-0001'))).status).toBe(403);
  });

  it('refuses a manifest whose chunks do not hash to its signed root, and lets it be sent again', async () => {
    const proposal = propose('merge-0002');
    await client(alice).propose(proposal);
    await client(bob).accept('merge-0002', acceptanceOf('merge-0002', proposal));
    const a = manifestOf(SEGMENT_A);
    const other = manifestOf(SEGMENT_B);
    // The signed header of `a` with the root of other chunks.
    await client(alice).sendManifest(
      'merge-0002',
      manifestHeader(alice, 'merge-0002', 'segment-premium-a', { ...a, root: other.root }),
    );
    let error: FederationError | undefined;
    for (const [i, chunk] of a.chunks.entries()) {
      error = await client(alice)
        .uploadChunk('merge-0002', 'alice-bank', i, chunk)
        .then(() => undefined)
        .catch((e: FederationError) => e);
      if (error) break;
    }
    expect([error?.status, error?.message]).toEqual([
      400,
      'manifest: the chunks do not hash to the signed root',
    ]);
    expect((await client(alice).get('merge-0002')).manifests).toEqual([]);
    expect(await rows('merge_manifest_chunk')).toBe(0);
    await client(alice).sendManifest(
      'merge-0002',
      manifestHeader(alice, 'merge-0002', 'segment-premium-a', a),
    );
    expect((await client(alice).get('merge-0002')).manifests).toHaveLength(1);
  });

  it('breaks the counts down by country, each side by its own values, suppressed like the counts', async () => {
    const proposal = propose('merge-0003', 'merge-agreement-1', { bucketBy: 'country' });
    await client(alice).propose(proposal);
    const acceptance = (bucketBy?: 'country') => acceptanceOf('merge-0003', proposal, { bucketBy });
    expect((await refusal(() => client(bob).accept('merge-0003', acceptance()))).reason).toBe(
      'STATE_MISMATCH',
    );
    await client(bob).accept('merge-0003', acceptance('country'));
    // A: FR for the first six members, DE for the other four; B: all FR but two unknown.
    const a = manifestOf(SEGMENT_A.map((p, i) => ({ ...p, bucket: i < 6 ? 1 : 2 })));
    const b = manifestOf(SEGMENT_B.map((p, i) => ({ ...p, bucket: i < 4 ? 1 : 0 })));
    expect(
      (
        await refusal(() =>
          client(alice).sendManifest(
            'merge-0003',
            manifestHeader(alice, 'merge-0003', 'segment-premium-a', a),
          ),
        )
      ).reason,
    ).toBe('STATE_MISMATCH');
    await client(alice).sendManifest(
      'merge-0003',
      manifestHeader(alice, 'merge-0003', 'segment-premium-a', a, ['FR', 'DE']),
    );
    await client(bob).sendManifest(
      'merge-0003',
      manifestHeader(bob, 'merge-0003', 'segment-loyal-b', b, ['FR']),
    );
    for (const [i, chunk] of a.chunks.entries())
      await client(alice).uploadChunk('merge-0003', 'alice-bank', i, chunk);
    // As if another federation process received alice's chunks: they are read back from PostgreSQL.
    (fed.app.get(MergesRepository) as unknown as { chunkCache: Map<string, Buffer> }).chunkCache.clear();
    for (const [i, chunk] of b.chunks.entries())
      await client(bob).uploadChunk('merge-0003', 'bob-shop', i, chunk);
    const { claims } = await verifyMessage(
      'merge-result',
      (await client(bob).get('merge-0003')).result!,
      jwksKeyResolver(await fed.client.jwks()),
      { audience: 'bob-shop', issuer: 'test-net' },
    );
    // |A ∩ B| = 3 < 4 is suppressed, and every cell that adds up to it with published ones. A's
    // sizes: unknown 0 (< 4) would be 10 − 6 − 4, so one of FR and DE goes too: FR, whose
    // suppressed "in both" and "only" let the deviation that protects the unknown row pass
    // through it at almost no cost.
    expect(claims.breakdown).toEqual({
      attribute: 'country',
      a: [
        { bucket: null, count: null, intersection: null, only: null },
        { bucket: 'FR', count: null, intersection: null, only: null },
        { bucket: 'DE', count: 4, intersection: null, only: null },
      ],
      b: [
        { bucket: null, count: null, intersection: null, only: null },
        // 2 unknown (< 4) would be 6 − 4: FR goes too.
        { bucket: 'FR', count: null, intersection: null, only: null },
      ],
    });
    expectAudited(claims);
  });
});

/** The signed result leaves the auditor nothing: no suppressed cell pinned or proven small. */
function expectAudited(published: PublishedMerge) {
  const audit = auditMerge(published);
  expect([audit.pinned, audit.provenSmall, audit.publishedSmall]).toEqual([[], [], []]);
}
