import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestFederation, type TestFederation } from '../apps/federation/src/testing/test-federation.js';
import {
  addCustomer,
  agree,
  giveConsent,
  joinNetwork,
  ok,
  publishNotice,
  startPartners,
  waitFor,
} from '../apps/partner-node/src/testing/network.js';
import type { TestNode } from '../apps/partner-node/src/testing/test-node.js';
import { NodeLedgerService } from '../apps/partner-node/src/ledger/node-ledger.service.js';
import { Role } from '../apps/partner-node/src/users/role.js';
import { verifyExport, type LedgerExport } from '#ledger';
import { unverifiedJwsPart, type Jwks } from '#protocol';
import { auditMerge, type PublishedMerge } from '../libs/matching/src/index.js';

/**
 * Segment merge across the network: the federation and two partner nodes on their own PostgreSQL
 * databases, queues on the machine's Redis. A mutual marketing agreement, consents (some customers
 * consenting, some not), a proposal, its acceptance, both manifests built and streamed by queue
 * jobs, a signed result with small cells suppressed, a member-level merge holding only people
 * both sides consented to share, a campaign on it, and withdrawals removing subjects at refresh.
 */
/** The nodes' settings for this test (validated with the rest of their configuration). */
const NODE_SETTINGS = {
  SEGMENT_MERGE_SYNC_MS: '1000',
};

const MERGE_FIELDS = `id state role partnerId agreementId error resultJws
  counts { ours theirs both either onlyOurs onlyTheirs minCohortSize consentedPeople
    ourBuckets { bucket people both only } theirBuckets { bucket people both only } }
  segment { id } mergedSegment { id kind size }`;
interface MergeView {
  id: string;
  state: string;
  role: string;
  error: string | null;
  resultJws: string | null;
  counts: Record<string, unknown> | null;
  mergedSegment: { id: string; kind: string; size: number } | null;
}

// People: shared1…shared4 are customers of both; alpha has 4 more, beta 2 more.
// Consent to share segment membership for marketing with the other partner:
//   alpha: shared1, shared2, shared3; beta: shared1, shared2 (shared3 refused, shared4 never asked).
const SHARED = ['shared1', 'shared2', 'shared3', 'shared4'];
const email = (who: string) => `${who}@example.org`;

describe('segment merge: federation + two partner nodes (PostgreSQL, Redis)', () => {
  let federation: TestFederation;
  let alpha: TestNode;
  let beta: TestNode;
  const admin: Record<string, string> = {};
  const marketer: Record<string, string> = {};
  const customers: Record<string, Record<string, string>> = { alpha: {}, beta: {} };
  const consents: Record<string, Record<string, string>> = { alpha: {}, beta: {} };
  const segment: Record<string, string> = {};
  let agreementId: string;
  let careAgreementId: string;
  let mergeId: string;
  const node = (name: 'alpha' | 'beta') => (name === 'alpha' ? alpha : beta);
  const count = async (n: TestNode, table: string) =>
    Number(
      ((await n.app.get(DataSource).query(`SELECT count(*) AS n FROM ${table}`)) as { n: string }[])[0]!.n,
    );
  const merge = async (name: 'alpha' | 'beta', id: string): Promise<MergeView> => {
    // segmentMerges synchronises with the federation before it lists.
    ok(await node(name).gql(`{ segmentMerges(first: 5) { nodes { id } } }`, {}, marketer[name]));
    return ok(
      await node(name).gql<{ segmentMerge: MergeView }>(
        `query($id: ID!) { segmentMerge(id: $id) { ${MERGE_FIELDS} } }`,
        { id },
        marketer[name],
      ),
    ).segmentMerge;
  };
  const members = async (n: TestNode, segmentId: string): Promise<string[]> =>
    (
      (await n.app
        .get(DataSource)
        .query(`SELECT customer_id FROM segment_member WHERE segment_id = $1 ORDER BY customer_id`, [
          segmentId,
        ])) as { customer_id: string }[]
    ).map((r) => r.customer_id);

  beforeAll(async () => {
    // Small test segments: the network's floor for merges is lowered to the agreements' cohort of 3.
    federation = await startTestFederation('merge_fed', { MERGE_MIN_COHORT_SIZE: '3' });
    ({ alpha, beta } = await startPartners(
      'merge',
      federation.url,
      {
        alpha: 'alpha-shop',
        beta: 'beta-bank',
      },
      NODE_SETTINGS,
    ));
    Object.assign(admin, await joinNetwork(federation, { alpha, beta }));
    for (const name of ['alpha', 'beta'] as const) marketer[name] = await node(name).tokenFor(Role.MARKETER);

    const propose = (purposes: string[], categories: string[], mergeBuckets?: string[]) =>
      agree(
        { node: alpha, admin: admin.alpha! },
        { node: beta, admin: admin.beta! },
        {
          purposes,
          categories,
          direction: 'MUTUAL',
          retentionDays: 30,
          minCohortSize: 3,
          ...(mergeBuckets ? { mergeBuckets } : {}),
        },
      );
    agreementId = await propose(['MARKETING'], ['SEGMENT_MEMBERSHIP'], ['COUNTRY']);
    careAgreementId = await propose(['CUSTOMER_CARE'], ['CARE_HISTORY', 'SEGMENT_MEMBERSHIP']);

    const people = {
      alpha: [...SHARED, 'alpha-only1', 'alpha-only2', 'alpha-only3', 'alpha-only4'],
      beta: [...SHARED, 'beta-only1', 'beta-only2'],
    };
    const consenting = { alpha: ['shared1', 'shared2', 'shared3'], beta: ['shared1', 'shared2'] };
    for (const name of ['alpha', 'beta'] as const) {
      const db = node(name).app.get(DataSource);
      for (const who of people[name]) {
        // Countries: the shared people in FR; alpha's others two in DE, two unknown; beta's unknown.
        const country = SHARED.includes(who)
          ? 'FR'
          : ['alpha-only1', 'alpha-only2'].includes(who)
            ? 'DE'
            : null;
        customers[name][who] = await addCustomer(node(name), email(who), {
          first_name: who,
          last_name: 'Test',
          address_country: country,
        });
      }
      // beta knows shared2 by phone as well: still one person.
      if (name === 'beta') {
        await db.query(
          `INSERT INTO customer_phone (customer_id, number, is_primary) VALUES ($1, '+33612345678', true)`,
          [customers.beta.shared2],
        );
      }
      const { createSegment } = ok(
        await node(name).gql<{ createSegment: { id: string } }>(
          `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
          { input: { name: `${name} premium`, kind: 'STATIC' } },
          marketer[name],
        ),
      );
      segment[name] = createSegment.id;
      ok(
        await node(name).gql(
          `mutation($input: SegmentListEditInput!) { addSegmentMembers(input: $input) { size } }`,
          { input: { segmentId: segment[name], customerIds: Object.values(customers[name]) } },
          marketer[name],
        ),
      );
      const party = { node: node(name), admin: admin[name]! };
      const notice = await publishNotice(party, {
        noticeKey: 'segment-sharing',
        version: '2026-01',
        language: 'en',
        title: 'Joint offers',
        body: 'We tell our partner that you are in a shared segment, for joint offers, when you agree.',
      });
      for (const who of consenting[name]) {
        const given = await giveConsent(party, {
          customerId: customers[name][who]!,
          privacyNoticeId: notice,
          purposes: ['MARKETING'],
          categories: ['SEGMENT_MEMBERSHIP'],
          recipient: name === 'alpha' ? 'beta-bank' : 'alpha-shop',
        });
        expect(given.registrationStatus).toBe('REGISTERED');
        consents[name][who] = given.id;
      }
    }
  }, 150_000);

  afterAll(async () => {
    await alpha?.close();
    await beta?.close();
    await federation?.close();
  });

  const PROPOSE = `mutation($input: ProposeSegmentMergeInput!) { proposeSegmentMerge(input: $input) { ${MERGE_FIELDS} } }`;

  it('refuses a merge under an agreement without marketing, or of a segment this node does not own; stores nothing', async () => {
    const fedBefore = await federation.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM segment_merge`);
    const care = await alpha.gql(
      PROPOSE,
      { input: { agreementId: careAgreementId, segmentId: segment.alpha } },
      marketer.alpha,
    );
    expect(care.errors?.[0]).toMatchObject({
      message: `agreementId: agreement ${careAgreementId} does not cover the purpose marketing`,
      extensions: { code: 'BAD_USER_INPUT' },
    });
    // beta's segment id is not a segment of alpha.
    const foreign = await alpha.gql(
      PROPOSE,
      { input: { agreementId, segmentId: segment.beta } },
      marketer.alpha,
    );
    expect(foreign.errors?.[0]).toMatchObject({
      message: `segmentId: no segment ${segment.beta} on this node`,
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const agent = await alpha.gql(
      PROPOSE,
      { input: { agreementId, segmentId: segment.alpha } },
      await alpha.tokenFor(Role.AGENT),
    );
    expect(agent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const compliance = await alpha.gql(
      PROPOSE,
      { input: { agreementId, segmentId: segment.alpha } },
      await alpha.tokenFor(Role.COMPLIANCE),
    );
    expect(compliance.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count(alpha, 'segment_merge')).toBe(0);
    expect(
      await federation.app.get(DataSource).query(`SELECT count(*)::int AS n FROM segment_merge`),
    ).toEqual(fedBefore);
  });

  it('merges the two segments: signed result with small cells suppressed, member-level merge of consenting people only', async () => {
    const proposed = ok(
      await alpha.gql<{ proposeSegmentMerge: MergeView }>(
        PROPOSE,
        { input: { agreementId, segmentId: segment.alpha, bucketBy: 'COUNTRY' } },
        marketer.alpha,
      ),
    ).proposeSegmentMerge;
    expect(proposed).toMatchObject({ state: 'PROPOSED', role: 'PROPOSER', counts: null });
    mergeId = proposed.id;

    const incoming = ok(
      await beta.gql<{ segmentMerges: { nodes: MergeView[] } }>(
        `{ segmentMerges(incoming: true) { nodes { ${MERGE_FIELDS} } } }`,
        {},
        marketer.beta,
      ),
    ).segmentMerges.nodes;
    expect(incoming).toEqual([expect.objectContaining({ id: mergeId, state: 'PROPOSED', role: 'PARTNER' })]);
    const accepted = ok(
      await beta.gql<{ acceptSegmentMerge: MergeView }>(
        `mutation($input: AcceptSegmentMergeInput!) { acceptSegmentMerge(input: $input) { ${MERGE_FIELDS} } }`,
        { input: { mergeId, segmentId: segment.beta } },
        marketer.beta,
      ),
    ).acceptSegmentMerge;
    expect(accepted.state).toBe('ACCEPTED');

    const done = {
      alpha: await waitFor(
        'alpha’s result',
        async () => {
          const m = await merge('alpha', mergeId);
          if (m.state === 'FAILED') throw new Error(m.error ?? 'failed');
          return m.state === 'COMPLETED' && m;
        },
        45_000,
      ),
      beta: await waitFor(
        'beta’s result',
        async () => {
          const m = await merge('beta', mergeId);
          return m.state === 'COMPLETED' && m;
        },
        45_000,
      ),
    };
    // |A| = 8, |B| = 6 (shared2 by e-mail and phone is one person), |A ∩ B| = 4, |B \ A| = 2 < 3:
    // suppressed, and with it ∩, A \ B and ∪, which would give it back by subtraction.
    expect(done.alpha.counts).toEqual({
      ours: 8,
      theirs: 6,
      both: null,
      either: null,
      onlyOurs: null,
      onlyTheirs: null,
      minCohortSize: 3,
      consentedPeople: 2,
      // By country, each side by its own values: with |A ∩ B| suppressed no bucket shows its
      // share of it; DE (2) and unknown (2) are below 3. beta's FR (4) goes with its unknown (2),
      // which would be 6 − 4.
      ourBuckets: [
        { bucket: null, people: null, both: null, only: null },
        { bucket: 'DE', people: null, both: null, only: null },
        { bucket: 'FR', people: 4, both: null, only: null },
      ],
      theirBuckets: [
        { bucket: null, people: null, both: null, only: null },
        { bucket: 'FR', people: null, both: null, only: null },
      ],
    });
    expect(done.beta.counts).toMatchObject({ ours: 6, theirs: 8, both: null, consentedPeople: 2 });
    expect(done.alpha.resultJws).toBe(done.beta.resultJws);
    // The signed result (verified by both nodes) leaves an auditor who solves every identity of
    // the published table nothing: no suppressed cell pinned, none proven under the cohort.
    const audited = auditMerge(
      unverifiedJwsPart(done.alpha.resultJws!, 'claims') as unknown as PublishedMerge,
    );
    expect(audited.suppressed.length).toBeGreaterThan(0);
    expect([audited.pinned, audited.provenSmall, audited.publishedSmall]).toEqual([[], [], []]);

    // The member-level merge: shared1 and shared2 only (shared3: beta's customer did not consent).
    const { materialiseMergedSegment } = ok(
      await alpha.gql<{ materialiseMergedSegment: { id: string; kind: string; size: number } }>(
        `mutation($input: MaterialiseMergedSegmentInput!) { materialiseMergedSegment(input: $input) { id kind size } }`,
        { input: { mergeId, name: 'Premium at both' } },
        marketer.alpha,
      ),
    );
    expect(materialiseMergedSegment).toMatchObject({ kind: 'MERGED', size: 2 });
    segment.merged = materialiseMergedSegment.id;
    expect(await members(alpha, segment.merged)).toEqual(
      [customers.alpha.shared1!, customers.alpha.shared2!].sort(),
    );
    const again = await alpha.gql(
      `mutation($input: MaterialiseMergedSegmentInput!) { materialiseMergedSegment(input: $input) { id } }`,
      { input: { mergeId } },
      marketer.alpha,
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    // Compliance officers read merges (audit), they do not make them.
    const audit = ok(
      await alpha.gql<{ segmentMerge: { resultJws: string } }>(
        `query($id: ID!) { segmentMerge(id: $id) { resultJws } }`,
        { id: mergeId },
        await alpha.tokenFor(Role.COMPLIANCE),
      ),
    );
    expect(audit.segmentMerge.resultJws).toBe(done.alpha.resultJws);

    // Recorded on both nodes' ledgers (the federation's events: apps/federation/src/merges/merges.spec.ts).
    const kinds = async (n: TestNode) => {
      await n.app.get(NodeLedgerService).sequenceNow(); // entries are queued with their changes
      const rows: { kind: string }[] = await n.app
        .get(DataSource)
        .query(`SELECT DISTINCT kind FROM ledger_entry WHERE kind LIKE 'segment-merge.%' ORDER BY kind`);
      return rows.map((r) => r.kind);
    };
    expect(await kinds(alpha)).toEqual(
      expect.arrayContaining([
        'segment-merge.proposed',
        'segment-merge.accepted',
        'segment-merge.manifest',
        'segment-merge.result',
      ]),
    );
    expect(await kinds(beta)).toEqual(
      expect.arrayContaining([
        'segment-merge.received',
        'segment-merge.accepted',
        'segment-merge.manifest',
        'segment-merge.result',
      ]),
    );
  });

  it('targets a campaign at the merged segment', async () => {
    const { createCampaign } = ok(
      await alpha.gql<{ createCampaign: { id: string } }>(
        `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
        {
          input: {
            name: 'Joint offer',
            segmentId: segment.merged,
            channel: 'EMAIL',
            startsAt: new Date().toISOString(),
            endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          },
        },
        marketer.alpha,
      ),
    );
    const { launchCampaign } = ok(
      await alpha.gql<{ launchCampaign: { results: { reach: number } } }>(
        `mutation($id: ID!) { launchCampaign(id: $id) { results { reach } } }`,
        { id: createCampaign.id },
        marketer.alpha,
      ),
    );
    expect(launchCampaign.results.reach).toBe(2);
  });

  it('a withdrawn consent, here or at the partner, removes the subject at the next refresh', async () => {
    const refresh = async () =>
      ok(
        await alpha.gql<{ refreshMergedSegment: { size: number } }>(
          `mutation($id: ID!) { refreshMergedSegment(segmentId: $id) { size } }`,
          { id: segment.merged },
          marketer.alpha,
        ),
      ).refreshMergedSegment.size;
    expect(await refresh()).toBe(2);
    ok(
      await alpha.gql(
        `mutation($id: ID!) { withdrawConsent(consentId: $id) { id } }`,
        { id: consents.alpha.shared2 },
        admin.alpha,
      ),
    );
    expect(await refresh()).toBe(1);
    expect(await members(alpha, segment.merged)).toEqual([customers.alpha.shared1]);
    // beta's customer shared1 withdraws at beta: the federation's registry says so at alpha's refresh.
    ok(
      await beta.gql(
        `mutation($id: ID!) { withdrawConsent(consentId: $id) { id } }`,
        { id: consents.beta.shared1 },
        admin.beta,
      ),
    );
    expect(await refresh()).toBe(0);
  });

  it('the federation ledger records every merge step, and its export verifies offline with the signed messages', async () => {
    const response = await fetch(`${federation.url}/federation/v1/ledger/export`, {
      headers: { authorization: `Bearer ${federation.operatorToken}` },
    });
    expect(response.status).toBe(200);
    const doc = (await response.json()) as LedgerExport;
    const jwks = (await (await fetch(`${federation.url}/.well-known/jwks.json`)).json()) as Jwks;
    const report = verifyExport(doc, { trustedKeys: jwks });
    const kinds = new Set(doc.entries.map((e) => e.kind));
    for (const kind of ['merge.proposed', 'merge.accepted', 'merge.manifest', 'merge.result']) {
      expect(kinds).toContain(kind);
    }
    // proposal, acceptance, two manifest headers and the federation-signed result are carried and checked
    const mergeEntries = doc.entries.filter((e) => e.kind.startsWith('merge.')).map((e) => e.seq);
    const carried = (doc.messages ?? []).filter((m) => mergeEntries.includes(m.seq));
    expect(carried.length).toBeGreaterThanOrEqual(5);
    expect(report.messagesVerified).toBeGreaterThanOrEqual(carried.length);
  });

  it('lists the agreements a marketer can merge under, gives the pinned federation keys with a result, and declines a proposal', async () => {
    const listed = ok(
      await alpha.gql<{ mergeAgreements: { agreementId: string; minCohortSize: number }[] }>(
        `{ mergeAgreements { agreementId partnerId minCohortSize } }`,
        {},
        marketer.alpha,
      ),
    ).mergeAgreements.map((a) => a.agreementId);
    expect(listed).toContain(agreementId);
    expect(listed).not.toContain(careAgreementId);
    const keys = ok(
      await alpha.gql<{ segmentMerge: { resultJws: string; federationJwks: string } }>(
        `query($id: ID!) { segmentMerge(id: $id) { resultJws federationJwks } }`,
        { id: mergeId },
        marketer.alpha,
      ),
    ).segmentMerge;
    const kid = JSON.parse(Buffer.from(keys.resultJws.split('.')[0]!, 'base64url').toString()).kid;
    expect((JSON.parse(keys.federationJwks) as { keys: { kid: string }[] }).keys.map((k) => k.kid)).toContain(
      kid,
    );

    const proposed = ok(
      await alpha.gql<{ proposeSegmentMerge: MergeView }>(
        PROPOSE,
        { input: { agreementId, segmentId: segment.alpha } },
        marketer.alpha,
      ),
    ).proposeSegmentMerge;
    const DECLINE = `mutation($id: ID!) { declineSegmentMerge(mergeId: $id) { ${MERGE_FIELDS} } }`;
    const own = await alpha.gql(DECLINE, { id: proposed.id }, marketer.alpha);
    expect(own.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'mergeId' });
    await beta.gql(`{ segmentMerges(incoming: true) { nodes { id } } }`, {}, marketer.beta);
    const agent = await beta.gql(DECLINE, { id: proposed.id }, await beta.tokenFor(Role.AGENT));
    expect(agent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const declined = ok(
      await beta.gql<{ declineSegmentMerge: MergeView }>(DECLINE, { id: proposed.id }, marketer.beta),
    ).declineSegmentMerge;
    expect(declined).toMatchObject({ state: 'FAILED', error: 'declined', role: 'PARTNER' });
    const late = await beta.gql(
      `mutation($input: AcceptSegmentMergeInput!) { acceptSegmentMerge(input: $input) { id } }`,
      { input: { mergeId: proposed.id, segmentId: segment.beta } },
      marketer.beta,
    );
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    // A later synchronisation does not bring it back.
    await beta.gql(`{ segmentMerges(incoming: true) { nodes { id } } }`, {}, marketer.beta);
    expect((await merge('beta', proposed.id)).state).toBe('FAILED');
  });
});
