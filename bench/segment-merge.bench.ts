/**
 * Segment merge at the federation, end to end: two partners' manifests of N tokens each (50 %
 * overlap, half of the tokens flagged as consented) sent to a real federation on 127.0.0.1 over a
 * fresh PostgreSQL database — signed headers, binary chunks over HTTP (both partners at once),
 * each chunk validated and stored, the whole manifest checked against its Merkle root, the
 * overlap of people, suppression, the registry check of the consent flags, the signed result.
 * Baseline in the same run: a plain in-memory `Set` intersection of the same tokens (base64url
 * strings), which validates, stores and signs nothing.
 *
 *   npm run build && node dist/bench/segment-merge.bench.js [N tokens per side, default 1000000]
 * Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createJwks, generateSigningKeyPair, jwsHash, signMessage, type SigningKeyPair } from '#protocol';
import { FederationClient, MergeClient } from '#federation-client';
import { bootstrapFederation } from '../apps/federation/src/bootstrap.js';
import { loadFederationConfig } from '../apps/federation/src/config.js';
import { MembersService } from '../apps/federation/src/members/members.service.js';
import { encodeManifest, type EncodedManifest } from '../libs/matching/src/index.js';
import { createBenchDatabase } from './bench-support.js';

const N = Number(process.argv[2] ?? 1_000_000);
const now = () => Math.floor(Date.now() / 1000);
const FEDERATION = 'bench-net';
const AGREEMENT = 'agreement-merge-bench';

interface Partner {
  id: string;
  key: SigningKeyPair;
}

function sign<K extends Parameters<typeof signMessage>[0]>(
  partner: Partner,
  kind: K,
  claims: Omit<Parameters<typeof signMessage<K>>[1], 'iss' | 'exp'>,
): string {
  return signMessage(
    kind,
    { iss: partner.id, exp: now() + 3600, ...claims } as never,
    partner.key.privateJwk,
  );
}

async function main(): Promise<void> {
  const db = await createBenchDatabase('merge');
  const federation = await bootstrapFederation(
    loadFederationConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: db.url,
      FEDERATION_ID: FEDERATION,
      KEY_ENCRYPTION_SECRET: 'bench secret of at least thirty-two characters',
    }),
  );
  try {
    const client = new FederationClient({ baseUrl: federation.url });
    const alice: Partner = { id: 'alice-bank', key: generateSigningKeyPair() };
    const bob: Partner = { id: 'bob-shop', key: generateSigningKeyPair() };
    for (const p of [alice, bob]) {
      const { applicationId } = await client.apply(
        sign(p, 'membership-application', {
          sub: p.id,
          aud: FEDERATION,
          name: p.id,
          endpoint: `https://${p.id}.example`,
          jwks: createJwks([p.key.publicJwk]),
        }),
      );
      await federation.app.get(MembersService).approve(applicationId, null as unknown as string);
    }
    const agreement = sign(alice, 'agreement', {
      aud: FEDERATION,
      agreementId: AGREEMENT,
      version: 1,
      parties: [alice.id, bob.id],
      direction: 'mutual',
      purposes: ['marketing'],
      categories: ['segment-membership'],
      retentionDays: 30,
      minCohortSize: 10,
      validFrom: now() - 10,
      validUntil: now() + 86_400,
    });
    await client.proposeAgreement(agreement);
    await client.transitionAgreement(
      AGREEMENT,
      sign(bob, 'agreement-transition', {
        aud: FEDERATION,
        agreementId: AGREEMENT,
        version: 1,
        agreementHash: jwsHash(agreement),
        from: 'proposed',
        to: 'accepted',
      }),
    );
    const merges = (p: Partner) =>
      new MergeClient(federation.url, FEDERATION, () => ({ partnerId: p.id, signingKey: p.key.privateJwk }));

    // Tokens: 1.5 N random 32-byte values; A has [0, N), B has [N/2, 1.5 N): 50 % overlap.
    const pool = randomBytes(Math.round(1.5 * N) * 32);
    const tokenAt = (i: number) => pool.subarray(i * 32, i * 32 + 32);
    const entries = (from: number) =>
      Array.from({ length: N }, (_, member) => ({
        token: tokenAt(from + member),
        member,
        consent: member % 2 === 0,
      }));
    let started = performance.now();
    const manifests: [EncodedManifest, EncodedManifest] = [
      encodeManifest(entries(0)),
      encodeManifest(entries(N / 2)),
    ];
    const encodeSeconds = (performance.now() - started) / 1000 / 2;

    // Baseline: Set intersection of the same tokens as strings (strings made outside the timing).
    const a = Array.from({ length: N }, (_, i) => tokenAt(i).toString('base64url'));
    const b = Array.from({ length: N }, (_, i) => tokenAt(N / 2 + i).toString('base64url'));
    started = performance.now();
    const set = new Set(a);
    let common = 0;
    for (const t of b) if (set.has(t)) common += 1;
    const setSeconds = (performance.now() - started) / 1000;

    const mergeId = `merge-bench-${randomBytes(4).toString('hex')}`;
    const proposal = sign(alice, 'merge-proposal', {
      aud: [bob.id, FEDERATION],
      mergeId,
      agreementId: AGREEMENT,
      partner: bob.id,
      segment: 'segment-a',
    });
    await merges(alice).propose(proposal);
    await merges(bob).accept(
      mergeId,
      sign(bob, 'merge-acceptance', {
        aud: [alice.id, FEDERATION],
        mergeId,
        agreementId: AGREEMENT,
        proposalHash: jwsHash(proposal),
        segment: 'segment-b',
      }),
    );

    // Measured: both partners send their header and stream their chunks at the same time.
    started = performance.now();
    const receipts = await Promise.all(
      ([alice, bob] as const).map(async (p, i) => {
        const m = manifests[i]!;
        await merges(p).sendManifest(
          mergeId,
          sign(p, 'merge-manifest', {
            aud: FEDERATION,
            mergeId,
            agreementId: AGREEMENT,
            segment: i === 0 ? 'segment-a' : 'segment-b',
            format: 'token32-member32-flags8',
            chunkCount: m.chunkCount,
            total: m.total,
            members: m.members,
            root: m.root,
          }),
        );
        let last;
        for (const [index, chunk] of m.chunks.entries())
          last = await merges(p).uploadChunk(mergeId, p.id, index, chunk);
        return last!;
      }),
    );
    let view = await merges(alice).get(mergeId);
    while (!view.result) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      view = await merges(alice).get(mergeId);
    }
    const mergeSeconds = (performance.now() - started) / 1000;
    const claims = JSON.parse(Buffer.from(view.result.split('.')[1]!, 'base64url').toString('utf8')) as {
      counts: Record<string, number | null>;
    };
    if (claims.counts.intersection !== common) {
      throw new Error(`the federation counted ${claims.counts.intersection}, the Set ${common}`);
    }
    const mb = (manifests[0].chunks.reduce((s, c) => s + c.length, 0) * 2) / 1e6;
    console.log(`segment merge, ${N.toLocaleString('en')} × ${N.toLocaleString('en')} tokens, 50 % overlap`);
    console.log(
      `  federation, end to end   ${mergeSeconds.toFixed(2).padStart(6)} s   (${mb.toFixed(0)} MB in ${receipts.reduce((s, r) => s + r.chunkCount, 0)} chunks over HTTP, validated, stored, intersected, signed; |A ∩ B| = ${claims.counts.intersection})`,
    );
    console.log(
      `  baseline Set intersection ${setSeconds.toFixed(2).padStart(5)} s   (same tokens as strings, in memory)`,
    );
    console.log(`  ratio                    ${(mergeSeconds / setSeconds).toFixed(2).padStart(6)} ×`);
    console.log(
      `  (node side, not timed above: sorting and encoding one manifest ${encodeSeconds.toFixed(2)} s)`,
    );
  } finally {
    await federation.app.close();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
