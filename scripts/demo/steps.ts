import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { FederationClient, verifyMembershipStatement } from '#federation-client';
import { verifyExportOffThread, type LedgerExport } from '#ledger';
import { jwksKeyResolver, verifyMessage, type Jwks, type OkpPublicJwk } from '#protocol';
import {
  DEMO_PARTNERS,
  consentChoicesOf,
  customersOf,
  featuredCustomer,
  personOfPool,
  type DemoConsentChoice,
} from '../../apps/partner-node/src/demo/demo-population.js';
import {
  seedDemoNode,
  type DemoSeedResult,
  type StepReporter,
} from '../../apps/partner-node/src/demo/demo-seed.js';
import { ConsentImportService } from '../../apps/partner-node/src/consents/consent-import.service.js';
import { RegistrationStatus } from '../../apps/partner-node/src/consents/consent.entity.js';
import { ConsentsService } from '../../apps/partner-node/src/consents/consents.service.js';
import { Role } from '../../apps/partner-node/src/users/role.js';
import { DEMO_FEDERATION_ID, type DemoNetwork, type DemoNode } from './network.js';
import { sideBySide, table, workLine, type DemoStep, type StepResult } from './report.js';

/** What the steps learn and hand on to the next ones. */
export interface DemoContext {
  network: DemoNetwork;
  now: Date;
  /** Where the step files go (ledger exports, keys). */
  outDir: string;
  seeded: Map<string, DemoSeedResult>;
  /** Agreement id per pair of partners, as `a:b` in the order of step 1. */
  agreements: Map<string, string>;
  /** Consent id per partner and person of the pool. */
  consents: Map<string, Map<number, string>>;
  /** The customer opened at the care desk (step 5) and whose consent is withdrawn (step 6). */
  featured?: {
    person: number;
    desk: DemoNode;
    holders: DemoNode[];
    sharedBy: string[];
    /** The care case the desk's agent opened: the reason to read the shared history. */
    careCaseId: string;
  };
}

const PARTNER_IDS = DEMO_PARTNERS.map((p) => p.partnerId);
const DAY = 86_400_000;
const ALL_CATEGORIES = ['CONTACT', 'ORDERS', 'CARE_HISTORY', 'SEGMENT_MEMBERSHIP'];
const count = (n: number) => n.toLocaleString('en');
const shortId = (id: string | null) => (id ? id.slice(0, 8) : '—');

/** The care desk of step 5 and the partners whose history it sees. */
const DESK = 'telecom';

// ---- 1. onboarding ---------------------------------------------------------------------------

const onboarding: DemoStep<DemoContext> = {
  number: 1,
  title: 'Onboard the three partners and sign their sharing agreements',
  async run(context): Promise<StepResult> {
    const { network } = context;
    const { federation, nodes } = network;
    await workLine(
      'membership: each node applies (self-signed), the operator approves',
      async () => {
        for (const node of nodes) {
          const applied = await node.gql<{ applyForMembership: { applicationId: string } }>(
            Role.ADMIN,
            `mutation($input: ApplyForMembershipInput!) { applyForMembership(input: $input) { applicationId } }`,
            { input: { name: node.name, endpoint: `${node.url}/concordia` } },
          );
          await federation.gql(
            `mutation($id: ID!) { approveApplication(applicationId: $id) { partnerId } }`,
            { id: applied.applyForMembership.applicationId },
          );
        }
        for (const node of nodes)
          await node.gql(Role.ADMIN, `mutation { refreshMemberDirectory { members } }`);
      },
      () => `${nodes.length} members admitted; each node verified the signed member directory`,
    );
    const pairs = [
      ['retailer', 'telecom'],
      ['retailer', 'insurer'],
      ['telecom', 'insurer'],
    ] as const;
    const agreements = await workLine(
      'agreements: one per pair of partners, proposed, accepted, mirrored by both',
      async () => {
        const signed: string[][] = [];
        for (const [a, b] of pairs) {
          const proposer = network.node(a);
          const acceptor = network.node(b);
          const proposed = await proposer.gql<{ proposeAgreement: { agreementId: string } }>(
            Role.ADMIN,
            `mutation($input: ProposeAgreementInput!) { proposeAgreement(input: $input) { agreementId } }`,
            {
              input: {
                partnerId: b,
                purposes: ['CUSTOMER_CARE', 'MARKETING'],
                categories: ALL_CATEGORIES,
                direction: 'MUTUAL',
                retentionDays: 90,
                minCohortSize: 10,
                mergeBuckets: ['COUNTRY'],
                validUntil: new Date(Date.now() + 365 * DAY).toISOString(),
              },
            },
          );
          const id = proposed.proposeAgreement.agreementId;
          context.agreements.set(`${a}:${b}`, id);
          await acceptor.gql(Role.ADMIN, `mutation { refreshAgreements { agreements } }`);
          const accepted = await acceptor.gql<{ acceptAgreement: { state: string } }>(
            Role.ADMIN,
            `mutation($id: ID!) { acceptAgreement(agreementId: $id) { state } }`,
            { id },
          );
          await proposer.gql(Role.ADMIN, `mutation { refreshAgreements { agreements } }`);
          signed.push([`${a} ↔ ${b}`, shortId(id), accepted.acceptAgreement.state.toLowerCase()]);
        }
        return signed;
      },
      (signed) => `${signed.length} agreements active`,
    );
    const members = await network.nodes[0]!.gql<{
      memberDirectory: { partnerId: string; name: string; status: string; keys: { curve: string }[] }[];
    }>(Role.ADMIN, `{ memberDirectory { partnerId name status keys { curve } } }`);
    return {
      summary: [
        `Federation "${DEMO_FEDERATION_ID}" at ${federation.url}; its member directory, as verified by a node:`,
        ...table(
          ['partner', 'company', 'status', 'keys'],
          members.memberDirectory.map((m) => [
            m.partnerId,
            m.name,
            m.status.toLowerCase(),
            m.keys.map((k) => k.curve).join(' + '),
          ]),
        ),
        'Agreements (mutual; customer care and marketing; contact, orders, care history, segment membership;',
        'shared copies kept 90 days; segment overlaps by country, counts under 10 suppressed):',
        ...table(['between', 'agreement', 'state'], agreements),
      ],
    };
  },
};

// ---- 2. customer bases -----------------------------------------------------------------------

const customerBases: DemoStep<DemoContext> = {
  number: 2,
  title: 'Load realistic, overlapping customer bases (fixed seed)',
  async run(context): Promise<StepResult> {
    // The three partners load side by side, as three companies would; the lines read in order.
    const seeded = await sideBySide(
      context.network.nodes.map((node) => (step: StepReporter) => {
        const agent = node.users.find((u) => u.role === Role.AGENT)!.email;
        return seedDemoNode(node.app, node.profile, step, agent, context.now);
      }),
    );
    context.network.nodes.forEach((node, i) => context.seeded.set(node.profile.partnerId, seeded[i]!));
    const holders = new Map<number, number>();
    for (const node of context.network.nodes) {
      for (const person of customersOf(node.profile)) holders.set(person, (holders.get(person) ?? 0) + 1);
    }
    const atTwo = [...holders.values()].filter((n) => n === 2).length;
    const atThree = [...holders.values()].filter((n) => n === 3).length;
    return {
      summary: [
        ...table(
          ['partner', 'customers', 'order lines', 'care cases', 'interactions', 'leads'],
          context.network.nodes.map((node) => {
            const s = context.seeded.get(node.profile.partnerId)!;
            return [
              `${node.profile.partnerId} (${node.profile.kind})`,
              count(s.customers),
              count(s.orders),
              count(s.careCases),
              count(s.interactions),
              count(s.leads),
            ];
          }),
        ),
        `${count(holders.size)} distinct people: ${count(atTwo)} are customers of two partners, ${count(atThree)} of all three`,
        '(same e-mail and phone at each, so their keyed pseudonyms match under each agreement).',
      ],
    };
  },
};

// ---- 3. consents -----------------------------------------------------------------------------

const CONSENT_SCOPES: Record<
  Exclude<DemoConsentChoice['answer'], 'refused'>,
  { purposes: string[]; categories: string[] }
> = {
  full: { purposes: ['CUSTOMER_CARE', 'MARKETING'], categories: ALL_CATEGORIES },
  'one-partner': { purposes: ['CUSTOMER_CARE', 'MARKETING'], categories: ALL_CATEGORIES },
  'care-only': { purposes: ['CUSTOMER_CARE'], categories: ['CARE_HISTORY', 'ORDERS'] },
  'care-history-only': { purposes: ['CUSTOMER_CARE'], categories: ['CARE_HISTORY'] },
};
const COLLECTION_METHODS = ['WEB_FORM', 'IN_PERSON', 'PHONE', 'EMAIL'];

const consents: DemoStep<DemoContext> = {
  number: 3,
  title: 'Capture consents (some customers refuse or limit them)',
  async run(context): Promise<StepResult> {
    const { network } = context;
    const notices = await workLine(
      'privacy notices: each partner publishes the notice its customers are shown',
      async () => {
        const ids = new Map<string, string>();
        for (const node of network.nodes) {
          const created = await node.gql<{ createPrivacyNotice: { id: string } }>(
            Role.ADMIN,
            `mutation($input: CreatePrivacyNoticeInput!) { createPrivacyNotice(input: $input) { id } }`,
            {
              input: {
                noticeKey: 'partner-sharing',
                version: '2026-01',
                language: 'en',
                title: `${node.name}: sharing with our partners`,
                body:
                  `With your agreement, ${node.name} shares your customer-care history and orders with the ` +
                  'partners you choose, so that their advisers can help you, and your segment membership ' +
                  'for joint offers. You can withdraw at any time; partners then delete their copies.',
              },
            },
          );
          const id = created.createPrivacyNotice.id;
          await node.gql(Role.ADMIN, `mutation($id: ID!) { publishPrivacyNotice(id: $id) { status } }`, {
            id,
          });
          ids.set(node.profile.partnerId, id);
        }
        return ids;
      },
      (ids) => `${ids.size} notices published (version 2026-01)`,
    );
    const plans = network.nodes.map((node) => ({
      node,
      choices: consentChoicesOf(node.profile, PARTNER_IDS),
      customerIds: context.seeded.get(node.profile.partnerId)!.customerIds,
    }));
    const registered = new Map<string, number>();
    const total = plans.reduce(
      (n, { choices }) => n + [...choices.values()].filter((c) => c.answer !== 'refused').length,
      0,
    );
    await workLine(
      `consents: each partner imports its customers' ${count(total)} answers (CSV against the notice shown); each is signed, stored and registered with the federation per recipient`,
      () =>
        // The three partners import side by side, as three companies would.
        Promise.all(
          plans.map(async ({ node, choices, customerIds }) => {
            const partnerId = node.profile.partnerId;
            const people = [...choices].flatMap(([person, choice]) =>
              choice.answer === 'refused' ? [] : [[person, choice] as const],
            );
            const validUntil = new Date(Date.now() + 365 * DAY).toISOString();
            const csv = [
              'customer_id,purposes,categories,recipients,valid_until,collection_method,jurisdiction',
              ...people.map(([person, choice]) => {
                const scope = CONSENT_SCOPES[choice.answer];
                return [
                  customerIds.get(person)!,
                  scope.purposes.join(';'),
                  scope.categories.join(';'),
                  choice.recipients.join(';'),
                  validUntil,
                  COLLECTION_METHODS[person % COLLECTION_METHODS.length],
                  personOfPool(person).address.country,
                ].join(',');
              }),
            ].join('\n');
            const report = await node.app
              .get(ConsentImportService)
              .import([csv], { privacyNoticeId: notices.get(partnerId)! });
            if (!report.written) {
              const first =
                report.fileProblems[0] ??
                report.problems.map((p) => `line ${p.line}: ${p.field} ${p.reason}`)[0];
              throw new Error(
                `${partnerId}: the consents import was refused (${report.badRows} lines; ${first})`,
              );
            }
            const ids = new Map<number, string>();
            people.forEach(([person], i) => ids.set(person, report.consentIds[i]!));
            context.consents.set(partnerId, ids);
            // What a dropped connection left pending leaves now (the node's timer would send it later).
            if (report.consentIds.length > 0) await node.app.get(ConsentsService).retryPending();
            const [row]: { n: number }[] = await node.app
              .get(DataSource)
              .query(`SELECT count(*)::int AS n FROM consent WHERE registration_status = $1`, [
                RegistrationStatus.REGISTERED,
              ]);
            registered.set(partnerId, row?.n ?? 0);
          }),
        ),
      () => `${count(total)} consents captured`,
    );
    const registry = await network.federation.gql<{
      consentRegistry: { total: number; live: number; subjectTokens: number };
    }>(`{ consentRegistry { total live subjectTokens } }`);
    const answers = ['full', 'care-only', 'care-history-only', 'one-partner', 'refused'] as const;
    return {
      summary: [
        ...table(
          [
            'partner',
            'asked',
            'all (care + marketing)',
            'care only',
            'care history only',
            'one partner only',
            'refused',
            'registered',
          ],
          plans.map(({ node, choices }) => {
            const n = (answer: (typeof answers)[number]) =>
              count([...choices.values()].filter((c) => c.answer === answer).length);
            return [
              node.profile.partnerId,
              count(choices.size),
              ...answers.map(n),
              count(registered.get(node.profile.partnerId) ?? 0),
            ];
          }),
        ),
        `The federation's registry: ${count(registry.consentRegistry.total)} registrations, one per consent and recipient ` +
          `(${count(registry.consentRegistry.live)} live), under ${count(registry.consentRegistry.subjectTokens)} keyed pseudonyms — ` +
          `no name, e-mail or phone, and nothing that joins a customer's registrations under two agreements.`,
      ],
    };
  },
};

// ---- 4. segment merge ------------------------------------------------------------------------

/** Polls `probe` every 250 ms until it gives a value; fails naming `what` after `ms`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The two marketers' segments. The retailer's frequent big spenders, everywhere; the telecom's
 * customers in France and Germany who bought something: the overlap is large enough to publish,
 * and the retailer's British and Spanish premium customers, whom the telecom segment cannot hold,
 * make the small (here: empty) cells of the breakdown that must be suppressed, at any size.
 */
const MERGE_SEGMENTS = {
  retailer: {
    name: 'Premium buyers',
    description: 'three orders or more and at least 1,000 spent over the last two years',
    rule: {
      all: [
        { field: 'order_count', op: 'gte', value: 3, windowDays: 730 },
        { field: 'revenue', op: 'gte', value: 1000, windowDays: 730 },
      ],
    },
  },
  telecom: {
    name: 'France and Germany, active',
    description: 'customers in FR or DE with an order over the last two years, for a roaming offer',
    rule: {
      all: [
        { field: 'country', op: 'in', value: ['FR', 'DE'] },
        { field: 'order_count', op: 'gte', value: 1, windowDays: 730 },
      ],
    },
  },
} as const;

interface MergeBucketCount {
  bucket: string | null;
  people: number | null;
  both: number | null;
  only: number | null;
}
interface MergeCounts {
  ours: number | null;
  theirs: number | null;
  both: number | null;
  either: number | null;
  onlyOurs: number | null;
  onlyTheirs: number | null;
  minCohortSize: number;
  consentedPeople: number;
  ourBuckets: MergeBucketCount[] | null;
  theirBuckets: MergeBucketCount[] | null;
}
interface MergeView {
  id: string;
  state: string;
  error: string | null;
  resultJws: string | null;
  counts: MergeCounts | null;
}
const BUCKETS = '{ bucket people both only }';
const MERGE_FIELDS = `id state error resultJws counts { ours theirs both either onlyOurs onlyTheirs minCohortSize
  consentedPeople ourBuckets ${BUCKETS} theirBuckets ${BUCKETS} }`;

async function createRuleSegment(node: DemoNode): Promise<{ id: string; size: number }> {
  const spec = MERGE_SEGMENTS[node.profile.partnerId as keyof typeof MERGE_SEGMENTS];
  const created = await node.gql<{ createSegment: { id: string } }>(
    Role.MARKETER,
    `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
    { input: { name: spec.name, description: spec.description, kind: 'RULE', rule: spec.rule } },
  );
  const id = created.createSegment.id;
  // A RULE segment is computed by a queue job: done when no refresh is pending.
  return until(`the ${node.profile.partnerId}'s segment`, async () => {
    const { segment } = await node.gql<{ segment: { size: number; refreshPending: boolean } }>(
      Role.MARKETER,
      `query($id: ID!) { segment(id: $id) { size refreshPending } }`,
      { id },
    );
    return segment.refreshPending ? undefined : { id, size: segment.size };
  });
}

async function mergeOf(node: DemoNode, id: string): Promise<MergeView> {
  // segmentMerges synchronises with the federation before it lists.
  await node.gql(Role.MARKETER, `{ segmentMerges(first: 1) { nodes { id } } }`);
  const { segmentMerge } = await node.gql<{ segmentMerge: MergeView }>(
    Role.MARKETER,
    `query($id: ID!) { segmentMerge(id: $id) { ${MERGE_FIELDS} } }`,
    { id },
  );
  if (segmentMerge.state === 'FAILED')
    throw new Error(`the merge failed: ${segmentMerge.error ?? 'no reason'}`);
  return segmentMerge;
}

const segmentMerge: DemoStep<DemoContext> = {
  number: 4,
  title: 'Merge two marketing segments and show the overlap (small cohorts suppressed)',
  async run({ network, agreements }): Promise<StepResult> {
    const retailer = network.node('retailer');
    const telecom = network.node('telecom');
    const segments = await workLine(
      'segments: the retailer\'s marketer builds "Premium buyers", the telecom\'s "France and Germany, active"',
      async () => ({
        retailer: await createRuleSegment(retailer),
        telecom: await createRuleSegment(telecom),
      }),
      (s) => `${count(s.retailer.size)} and ${count(s.telecom.size)} customers`,
    );
    const agreementId = agreements.get('retailer:telecom');
    if (!agreementId) throw new Error('step 1 signed no agreement between the retailer and the telecom');
    const merge = await workLine(
      'the retailer proposes the merge (by country), the telecom accepts; both nodes send their manifests',
      async () => {
        const proposed = await retailer.gql<{ proposeSegmentMerge: { id: string } }>(
          Role.MARKETER,
          `mutation($input: ProposeSegmentMergeInput!) { proposeSegmentMerge(input: $input) { id } }`,
          { input: { agreementId, segmentId: segments.retailer.id, bucketBy: 'COUNTRY' } },
        );
        const mergeId = proposed.proposeSegmentMerge.id;
        const incoming = await telecom.gql<{ segmentMerges: { nodes: { id: string; state: string }[] } }>(
          Role.MARKETER,
          `{ segmentMerges(incoming: true) { nodes { id state } } }`,
        );
        if (!incoming.segmentMerges.nodes.some((m) => m.id === mergeId && m.state === 'PROPOSED')) {
          throw new Error('the telecom does not see the proposal');
        }
        await telecom.gql(
          Role.MARKETER,
          `mutation($input: AcceptSegmentMergeInput!) { acceptSegmentMerge(input: $input) { state } }`,
          { input: { mergeId, segmentId: segments.telecom.id } },
        );
        return until('the merge result', async () => {
          const view = await mergeOf(retailer, mergeId);
          return view.state === 'COMPLETED' ? view : undefined;
        });
      },
      () => 'the federation computed and signed the overlap',
    );
    const counts = merge.counts!;
    // The signed result, checked here with the federation's published key (as each node did).
    const federationJwks = await new FederationClient({ baseUrl: network.federation.url }).jwks();
    const verified = await verifyMessage('merge-result', merge.resultJws!, jwksKeyResolver(federationJwks), {
      audience: 'retailer',
      issuer: DEMO_FEDERATION_ID,
    });
    if (verified.claims.mergeId !== merge.id) throw new Error('the signed result is about another merge');
    const k = counts.minCohortSize;
    const cell = (n: number | null) => (n === null ? 'suppressed' : count(n));
    const materialised = await workLine(
      "the retailer's marketer materialises the member-level merge and launches a campaign on it",
      async () => {
        const created = await retailer.gql<{ materialiseMergedSegment: { id: string; size: number } }>(
          Role.MARKETER,
          `mutation($input: MaterialiseMergedSegmentInput!) { materialiseMergedSegment(input: $input) { id size } }`,
          { input: { mergeId: merge.id, name: 'Premium buyers, also telecom customers in FR/DE' } },
        );
        const segment = created.materialiseMergedSegment;
        const campaign = await retailer.gql<{ createCampaign: { id: string } }>(
          Role.MARKETER,
          `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
          {
            input: {
              name: 'Travel bundle: headphones and a roaming pass',
              segmentId: segment.id,
              channel: 'EMAIL',
              startsAt: new Date().toISOString(),
              endsAt: new Date(Date.now() + 30 * DAY).toISOString(),
            },
          },
        );
        const launched = await retailer.gql<{ launchCampaign: { results: { reach: number } } }>(
          Role.MARKETER,
          `mutation($id: ID!) { launchCampaign(id: $id) { results { reach } } }`,
          { id: campaign.createCampaign.id },
        );
        return { size: segment.size, reach: launched.launchCampaign.results.reach };
      },
      (m) => `merged segment of ${count(m.size)}; campaign launched, reach ${count(m.reach)}`,
    );
    const breakdown = (side: string, rows: MergeBucketCount[] | null) =>
      (rows ?? []).map((r) => [side, r.bucket ?? 'unknown', cell(r.people), cell(r.both), cell(r.only)]);
    const suppressed = [
      counts.ours,
      counts.theirs,
      counts.both,
      counts.either,
      counts.onlyOurs,
      counts.onlyTheirs,
      ...[...(counts.ourBuckets ?? []), ...(counts.theirBuckets ?? [])].flatMap((r) => [
        r.people,
        r.both,
        r.only,
      ]),
    ].filter((n) => n === null).length;
    return {
      summary: [
        `A = the retailer's "${MERGE_SEGMENTS.retailer.name}" (${MERGE_SEGMENTS.retailer.description}),`,
        `B = the telecom's "${MERGE_SEGMENTS.telecom.name}" (${MERGE_SEGMENTS.telecom.description}).`,
        `Matched on keyed pseudonyms of e-mail and phone; counts under ${k} (the agreement's minimum cohort) suppressed:`,
        ...table(
          ['|A|', '|B|', '|A ∩ B|', '|A ∪ B|', '|A \\ B|', '|B \\ A|'],
          [
            [
              cell(counts.ours),
              cell(counts.theirs),
              cell(counts.both),
              cell(counts.either),
              cell(counts.onlyOurs),
              cell(counts.onlyTheirs),
            ],
          ],
        ),
        "By country (each side by its own customers' addresses):",
        ...table(
          ['side', 'country', 'people', 'in both', 'only this side'],
          [...breakdown('A (retailer)', counts.ourBuckets), ...breakdown('B (telecom)', counts.theirBuckets)],
        ),
        `${suppressed} cells suppressed: under ${k}, or needed so that no reasoning with the published counts pins one down or proves it under ${k}.`,
        `Result signed by the federation (key ${verified.header.kid as string}), verified here with its published JWKS.`,
        `Member-level merge: ${count(counts.consentedPeople)} people in A ∩ B consented at both partners to share their segment membership`,
        `for marketing; the retailer's merged segment holds ${count(materialised.size)} of its customers, and the campaign reached ${count(materialised.reach)}.`,
      ],
    };
  },
};

// ---- 5. care desk ----------------------------------------------------------------------------

interface TimelineNode {
  kind: string;
  occurredAt: string;
  title: string;
  origin: string;
  originPartnerId: string | null;
  consentId: string | null;
  signatureStatus: string | null;
}
const TIMELINE = `query($id: ID!, $reason: SharedHistoryReasonInput) {
  customerTimeline(customerId: $id, first: 40, includeShared: true, reason: $reason) {
    nodes { kind occurredAt title origin originPartnerId consentId signatureStatus }
  }
}`;

/** The customer's timeline with the shared history, read for this care case of the customer. */
async function timelineOf(desk: DemoNode, customerId: string, careCaseId: string): Promise<TimelineNode[]> {
  const page = await desk.gql<{ customerTimeline: { nodes: TimelineNode[] } }>(Role.AGENT, TIMELINE, {
    id: customerId,
    reason: { careCaseId },
  });
  return page.customerTimeline.nodes;
}

function timelineTable(items: TimelineNode[]): string[] {
  return table(
    ['date', 'kind', 'title', 'origin', 'consent', 'signature'],
    items.map((item) => [
      item.occurredAt.slice(0, 10),
      item.kind.toLowerCase().replace('_', ' '),
      item.title.length > 44 ? `${item.title.slice(0, 43)}…` : item.title,
      item.origin === 'PARTNER' ? `shared by ${item.originPartnerId}` : 'own',
      shortId(item.consentId),
      item.signatureStatus?.toLowerCase() ?? '—',
    ]),
  );
}

const careDesk: DemoStep<DemoContext> = {
  number: 5,
  title: `Open a customer at the ${DESK}'s care desk: one timeline, shared items marked`,
  async run(context): Promise<StepResult> {
    const desk = context.network.node(DESK);
    const holders = context.network.nodes.filter((n) => n !== desk);
    const person = featuredCustomer(
      desk.profile,
      holders.map((h) => h.profile),
      PARTNER_IDS,
      context.now,
    );
    if (person === undefined)
      throw new Error('no customer of the desk is shared with a partner (too few customers?)');
    const customerId = context.seeded.get(DESK)!.customerIds.get(person)!;
    // The shared history is read for a reason: the agent opens a case first.
    const careCaseId = await workLine(
      'the agent opens a care case for the customer (the reason to read its shared history)',
      async () =>
        (
          await desk.gql<{ createCareCase: { id: string } }>(
            Role.AGENT,
            `mutation($input: CreateCareCaseInput!) { createCareCase(input: $input) { id } }`,
            { input: { customerId, subject: 'Card blocked abroad' } },
          )
        ).createCareCase.id,
      (id) => `case ${shortId(id)}`,
    );
    const items = await workLine(
      'the agent opens the customer for that case (the node asks the partners through the federation)',
      () => timelineOf(desk, customerId, careCaseId),
      (list) => `${list.length} items on the timeline`,
    );
    const shared = items.filter((i) => i.origin === 'PARTNER');
    if (shared.length === 0) throw new Error('the timeline shows no item shared by a partner');
    const unverified = shared.filter((i) => i.signatureStatus !== 'VERIFIED');
    if (unverified.length > 0) throw new Error(`${unverified.length} shared item(s) not verified`);
    context.featured = {
      person,
      desk,
      holders,
      sharedBy: holders
        .map((h) => h.profile.partnerId)
        .filter((id) => shared.some((i) => i.originPartnerId === id)),
      careCaseId,
    };
    const byPartner = holders.map(
      (h) =>
        `${shared.filter((i) => i.originPartnerId === h.profile.partnerId).length} from ${h.profile.partnerId}`,
    );
    const accesses = await desk.gql<{ sharedAccesses: { nodes: { consentIds: string[] }[] } }>(
      Role.COMPLIANCE,
      `query($c: ID) { sharedAccesses(customerId: $c) { nodes { consentIds } } }`,
      { c: customerId },
    );
    // Each holder recorded the signed request; the demo imported its customers minutes ago, so each
    // pull also concerns a customer "created just before" at the desk: an alert at the origin.
    const alerts = await Promise.all(
      holders.map(
        async (h) =>
          (
            await h.gql<{ pullAlerts: { nodes: { requester: string }[] } }>(
              Role.COMPLIANCE,
              `{ pullAlerts(first: 100) { nodes { requester } } }`,
            )
          ).pullAlerts.nodes.filter((n) => n.requester === desk.profile.partnerId).length,
      ),
    );
    const who = personOfPool(person);
    return {
      summary: [
        `${who.firstName} ${who.lastName} (${who.address.city}), customer of ${[desk, ...holders].map((n) => n.profile.partnerId).join(', ')}:`,
        ...timelineTable(items),
        `${items.length - shared.length} own items; ${shared.length} shared (${byPartner.join(', ')}), each signed by its origin and verified here.`,
        `Each partner received a history request signed by the ${DESK} naming the case and the agent (opaque references) and recorded it.`,
        `Pull alerts for the partners' compliance officers (${holders.map((h, i) => `${alerts[i]} at ${h.profile.partnerId}`).join(', ')}): the ${DESK} created this customer less than a day before`,
        `(the demo imported it minutes ago); a customer created just before a pull is how fishing through shared history looks.`,
        `The access is in the ${DESK}'s access log (${accesses.sharedAccesses.nodes.length} entry, with its case), for its compliance officer.`,
      ],
    };
  },
};

// ---- 6. withdrawal ---------------------------------------------------------------------------

const withdrawal: DemoStep<DemoContext> = {
  number: 6,
  title: 'Withdraw a consent: purge receipts, and the timeline without the shared items',
  async run(context): Promise<StepResult> {
    const featured = context.featured;
    if (!featured) throw new Error('step 5 chose no customer');
    const holder = featured.holders.find((h) => h.profile.partnerId === featured.sharedBy[0])!;
    const holderId = holder.profile.partnerId;
    const consentId = context.consents.get(holderId)!.get(featured.person)!;
    await holder.gql(
      Role.AGENT,
      `mutation($id: ID!) { withdrawConsent(consentId: $id, reason: "asked by phone") { status } }`,
      { id: consentId },
    );
    type Purge = {
      recipient: string;
      status: string;
      recordsPurged: number | null;
      receiptJws: string | null;
      lastError: string | null;
    };
    const purges = await workLine(
      `the customer withdraws at the ${holderId}; every recipient purges its copies and signs a receipt`,
      async () => {
        const until = Date.now() + 60_000;
        for (;;) {
          const result = await holder.gql<{ sharePurges: Purge[] }>(
            Role.COMPLIANCE,
            `query($id: ID!) { sharePurges(consentId: $id) { recipient status recordsPurged receiptJws lastError } }`,
            { id: consentId },
          );
          if (result.sharePurges.length > 0 && result.sharePurges.every((p) => p.status === 'CONFIRMED')) {
            return result.sharePurges;
          }
          if (Date.now() > until) {
            const open = result.sharePurges.filter((p) => p.status !== 'CONFIRMED');
            throw new Error(
              `the purge receipts did not all arrive within 60 s (${open.map((p) => `${p.recipient}: ${p.lastError ?? p.status.toLowerCase()}`).join('; ') || 'no purge requested'})`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      },
      (list) => `${list.length} purge receipts confirmed`,
    );
    const customerId = context.seeded.get(DESK)!.customerIds.get(featured.person)!;
    const items = await timelineOf(featured.desk, customerId, featured.careCaseId);
    const left = items.filter((i) => i.originPartnerId === holderId);
    if (left.length > 0) throw new Error(`${left.length} item(s) of the ${holderId} still on the timeline`);
    const receiptId = (jws: string | null) => {
      if (!jws) return '—';
      const claims = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
        jti?: string;
      };
      return shortId(claims.jti ?? null);
    };
    return {
      summary: [
        `Consent ${shortId(consentId)} withdrawn at the ${holderId}. Purge receipts (signed by each recipient, verified by the ${holderId}):`,
        ...table(
          ['recipient', 'status', 'records purged', 'receipt'],
          purges.map((p) => [
            p.recipient,
            p.status.toLowerCase(),
            String(p.recordsPurged ?? 0),
            receiptId(p.receiptJws),
          ]),
        ),
        `The ${DESK}'s timeline now (nothing from the ${holderId} left):`,
        ...timelineTable(items),
      ],
    };
  },
};

// ---- 7. ledgers ------------------------------------------------------------------------------

/** The federation ledger's entry kinds, grouped for the summary (docs/protocol.md "Federation ledger"). */
const FEDERATION_ENTRY_GROUPS: [string, (kind: string) => boolean][] = [
  ['membership', (k) => k.startsWith('membership.') || k === 'keys.rotated'],
  ['agreements', (k) => k.startsWith('agreement.')],
  ['consents', (k) => k.startsWith('consent.')],
  ['envelopes relayed', (k) => k === 'envelope.relayed'],
  ['purge receipts', (k) => k.startsWith('purge.')],
  ['merge steps', (k) => k.startsWith('merge.')],
];

const ledgers: DemoStep<DemoContext> = {
  number: 7,
  title: 'Verify the federation ledger and the node ledgers offline',
  async run(context): Promise<StepResult> {
    const { network, outDir } = context;
    // Keys pinned to the trust anchor: the federation's JWKS, and each member's keys as bound by
    // its membership statement (verified against that JWKS), all fetched over its public API.
    const client = new FederationClient({ baseUrl: network.federation.url });
    const federationJwks = await client.jwks();
    const keys: OkpPublicJwk[] = [...federationJwks.keys];
    for (const member of await client.members()) {
      const statement = await verifyMembershipStatement(member.statement, federationJwks, DEMO_FEDERATION_ID);
      keys.push(...statement.jwks.keys);
    }
    const trustedKeys: Jwks = { keys };
    await mkdir(outDir, { recursive: true });
    const keysFile = join(outDir, 'trusted-keys.json');
    await writeFile(keysFile, `${JSON.stringify(trustedKeys, null, 2)}\n`);
    const federationKeysFile = join(outDir, 'federation-jwks.json');
    await writeFile(federationKeysFile, `${JSON.stringify(federationJwks, null, 2)}\n`);

    // Each node's compliance officer exports its ledger (checkpointed at the export) while the
    // operator exports the federation's: the four databases work side by side; each export is
    // verified below, in order, as it arrives.
    const nodeExports = network.nodes.map((node) =>
      node.gql<{ exportLedger: string }>(Role.COMPLIANCE, `{ exportLedger }`),
    );
    // Awaited below; a failure before then is reported there, not as an unhandled rejection.
    for (const exported of nodeExports) exported.catch(() => undefined);

    // The federation ledger: exported by the operator over HTTP, verified with its JWKS only (the
    // members' keys it carries are bound by the membership statements it carries too).
    const federationFile = join(outDir, 'ledger-federation.json');
    const fed = await workLine(
      "federation ledger: the operator exports it (GET /federation/v1/ledger/export), it's verified offline",
      async () => {
        const response = await fetch(`${network.federation.url}/federation/v1/ledger/export`, {
          headers: { authorization: `Bearer ${network.federation.operator.token}` },
          signal: AbortSignal.timeout(120_000),
        });
        if (!response.ok) throw new Error(`the export answered HTTP ${response.status}`);
        const text = await response.text();
        await writeFile(federationFile, `${text}\n`);
        const doc = JSON.parse(text) as LedgerExport;
        return { doc, report: await verifyExportOffThread(doc, { trustedKeys: federationJwks }) };
      },
      ({ report }) =>
        `${count(report.entries)} entries, ${report.checkpoints} checkpoint(s), ${count(report.messagesVerified)} signed messages verified`,
    );
    const kinds = new Map<string, number>();
    for (const entry of fed.doc.entries) kinds.set(entry.kind, (kinds.get(entry.kind) ?? 0) + 1);
    const byGroup = FEDERATION_ENTRY_GROUPS.map(([group, test]) => [
      group,
      count([...kinds].filter(([kind]) => test(kind)).reduce((sum, [, n]) => sum + n, 0)),
    ]);
    const grouped = new Set(
      [...kinds.keys()].filter((k) => FEDERATION_ENTRY_GROUPS.some(([, test]) => test(k))),
    );
    const other = [...kinds].filter(([kind]) => !grouped.has(kind)).reduce((sum, [, n]) => sum + n, 0);
    if (other > 0) byGroup.push(['other', count(other)]);

    const rows: string[][] = [];
    const files: string[] = [];
    for (const [index, node] of network.nodes.entries()) {
      const exported = await nodeExports[index]!;
      const file = join(outDir, `ledger-${node.profile.partnerId}.json`);
      await writeFile(file, exported.exportLedger);
      files.push(file);
      // Offline: the export text and the pinned keys, nothing else.
      const report = await verifyExportOffThread(JSON.parse(exported.exportLedger), { trustedKeys });
      rows.push([
        node.profile.partnerId,
        count(report.entries),
        String(report.checkpoints),
        count(report.jwsVerified),
        `${count(report.receiptsVerified)} / ${count(report.purgeReceiptsVerified)}`,
        'verified',
      ]);
    }
    return {
      summary: [
        `The federation ledger (${fed.doc.origin}): ${count(fed.report.entries)} entries, ${fed.report.checkpoints} signed checkpoint(s),`,
        `${count(fed.report.messagesVerified)} carried signed messages verified (${count(fed.report.statementsVerified)} membership statements), by kind:`,
        ...table(['entries', 'count'], byGroup),
        ...table(
          ['node ledger', 'entries', 'checkpoints', 'embedded JWS', 'receipts / purges', 'result'],
          rows,
        ),
        'A node proves each receipt (the signed envelope, its record hashes under the signed root) and each',
        'purge (its signed purge receipt) from its own ledger, after the records are gone.',
        'Entries, leaf hashes, Merkle roots, checkpoint signatures and consistency proofs all check out, with',
        'the keys pinned to the federation. The same checks from the command line:',
        `  npm run audit -- verify ${federationFile} --keys ${federationKeysFile}`,
        ...files.map((file) => `  npm run audit -- verify ${file} --keys ${keysFile}`),
      ],
    };
  },
};

/** The scenario, in order. */
export const DEMO_STEPS: readonly DemoStep<DemoContext>[] = [
  onboarding,
  customerBases,
  consents,
  segmentMerge,
  careDesk,
  withdrawal,
  ledgers,
];
