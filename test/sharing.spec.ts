import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  canonicalize,
  generateSigningKeyPair,
  signMessage,
  type Jwks,
  type MessageInput,
  type OkpPublicJwk,
  type ShareRecord,
} from '#protocol';
import { LedgerService, verifyExport, type LedgerExport } from '#ledger';
import { startTestFederation, type TestFederation } from '../apps/federation/src/testing/test-federation.js';
import { bootstrapNode } from '../apps/partner-node/src/bootstrap.js';
import { KeysService } from '../apps/partner-node/src/keys/keys.service.js';
import { FederationCheckpointWatch } from '../apps/partner-node/src/ledger/federation-checkpoint.watch.js';
import { NodeLedgerService } from '../apps/partner-node/src/ledger/node-ledger.service.js';
import { NetworkService } from '../apps/partner-node/src/network/network.service.js';
import { EnvelopeReceiver } from '../apps/partner-node/src/sharing/envelope-receiver.service.js';
import { HolderService } from '../apps/partner-node/src/sharing/holder.service.js';
import { RelayClient } from '../apps/partner-node/src/sharing/relay-client.js';
import { runAudit } from '../libs/ledger/src/cli/audit.js';
import { ShareEvidenceService } from '../apps/partner-node/src/sharing/share-evidence.service.js';
import { RELAY_PATHS, verifyMembershipStatement } from '#federation-client';
import type { GqlResponse, TestNode } from '../apps/partner-node/src/testing/test-node.js';
import { Role } from '../apps/partner-node/src/users/role.js';
import {
  addCustomer,
  agree,
  careConsent,
  joinNetwork,
  ok,
  openCareCase,
  startPartners,
  waitFor,
  registrationOf,
} from '../apps/partner-node/src/testing/network.js';

/**
 * Shared customer-care history across the network: the federation and three partner nodes
 * (alpha and gamma hold history, beta's agents read it), each on its own PostgreSQL database,
 * BullMQ on the machine's Redis (own key prefixes). Pull on open, push through the outbox (with
 * beta killed mid-delivery), merged timeline, access log, withdrawal with purge receipts, and
 * every kind of bad envelope refused and recorded with nothing stored.
 */
/** The nodes' settings for this test (validated with the rest of their configuration). */
const NODE_SETTINGS = {
  SHARING_SWEEP_MS: '1000',
  SHARING_BACKOFF_MS: '200',
  SHARING_DELIVERY_ATTEMPTS: '15',
  SHARING_BATCH_SIZE: '7',
  SHARING_PULL_TIMEOUT_MS: '1000',
};

const EMAIL = 'Marie.Curie@Example.org';
interface Item {
  kind: string;
  recordId: string;
  title: string;
  origin: string;
  originPartnerId: string | null;
  consentId: string | null;
  signatureStatus: string | null;
  retentionEndsAt: string | null;
  record: { __typename: string };
}
const TIMELINE = `query($id: ID!, $shared: Boolean, $reason: SharedHistoryReasonInput) {
  customerTimeline(customerId: $id, first: 200, includeShared: $shared, reason: $reason) {
    nodes { kind recordId title origin originPartnerId consentId signatureStatus retentionEndsAt
      record { __typename ... on SharedRecord { originPartnerId category data } } }
  }
}`;

describe('shared customer-care history: federation + three partner nodes (PostgreSQL, Redis)', () => {
  let federation: TestFederation;
  let alpha: TestNode;
  let beta: TestNode;
  let gamma: TestNode;
  /** Beta's running app (replaced when beta is restarted). */
  let betaApp: INestApplication;
  let betaUrl: string;
  const admin: Record<string, string> = {};
  const agreement: Record<string, string> = {};
  const customer: Record<string, string> = {};
  const consent: Record<string, string> = {};
  /** The ids beta and the federation know those consents by: their registrations for beta (issue 16). */
  const wire: Record<string, string> = {};
  let betaAgent: string;
  let betaCompliance: string;
  let alphaCompliance: string;
  /** Beta's care case for the customer: the reason its agent reads the shared history. */
  let reason: { careCaseId: string };

  const betaGql = async <T>(query: string, variables: Record<string, unknown>, token: string) => {
    const response = await fetch(`${betaUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResponse<T>;
  };
  const betaDb = () => betaApp.get(DataSource);
  const sharedCount = async (origin: string): Promise<number> => {
    const [row]: { n: string }[] = await betaDb().query(
      `SELECT count(*) AS n FROM shared_record WHERE origin_partner_id = $1`,
      [origin],
    );
    return Number(row!.n);
  };

  beforeAll(async () => {
    federation = await startTestFederation('sharing_fed');
    ({ alpha, beta, gamma } = await startPartners(
      'sharing',
      federation.url,
      {
        alpha: 'alpha-shop',
        beta: 'beta-bank',
        gamma: 'gamma-telecom',
      },
      NODE_SETTINGS,
    ));
    betaApp = beta.app;
    betaUrl = beta.url;
    Object.assign(admin, await joinNetwork(federation, { alpha, beta, gamma }));
    betaAgent = await beta.tokenFor(Role.AGENT);
    betaCompliance = await beta.tokenFor(Role.COMPLIANCE);
    alphaCompliance = await alpha.tokenFor(Role.COMPLIANCE);

    // alpha → beta and gamma → beta: one-way customer-care agreements, accepted by beta.
    for (const [name, node] of [
      ['alpha', alpha],
      ['gamma', gamma],
    ] as const) {
      agreement[name] = await agree({ node, admin: admin[name]! }, { node: beta, admin: admin.beta! });
    }

    // The same person is a customer of all three.
    for (const [name, node] of [
      ['alpha', alpha],
      ['beta', beta],
      ['gamma', gamma],
    ] as const) {
      customer[name] = await addCustomer(node, EMAIL.toLowerCase(), {
        first_name: 'Marie',
        last_name: 'Curie',
      });
    }

    reason = await openCareCase(beta, customer.beta!);

    // History held by alpha and gamma before any consent (reaches beta by pull only).
    const a = alpha.app.get(DataSource);
    await a.query(
      `INSERT INTO interaction (customer_id, channel, direction, subject, occurred_at)
       VALUES ($1, 'phone', 'inbound', 'Lost card', '2025-01-02T10:00:00Z')`,
      [customer.alpha],
    );
    await a.query(
      `INSERT INTO care_case (customer_id, subject, opened_at) VALUES ($1, 'Refund request', '2025-01-03T10:00:00Z')`,
      [customer.alpha],
    );
    await a.query(
      `INSERT INTO customer_order (number, customer_id, ordered_at, status, channel, currency, subtotal, total)
       VALUES ('A-0001', $1, '2025-01-04T10:00:00Z', 'paid', 'web', 'EUR', 42, 42)`,
      [customer.alpha],
    );
    const g = gamma.app.get(DataSource);
    await g.query(
      `INSERT INTO interaction (customer_id, channel, direction, subject, occurred_at)
       VALUES ($1, 'chat', 'inbound', 'Roaming question', '2025-01-05T10:00:00Z')`,
      [customer.gamma],
    );
    await g.query(
      `INSERT INTO customer_order (number, customer_id, ordered_at, status, channel, currency, subtotal, total)
       VALUES ('G-0001', $1, '2025-01-06T10:00:00Z', 'paid', 'store', 'EUR', 10, 10)`,
      [customer.gamma],
    );

    // Consents: alpha's covers care history and orders; gamma's care history only.
    for (const [name, node, categories] of [
      ['alpha', alpha, ['CARE_HISTORY', 'ORDERS']],
      ['gamma', gamma, ['CARE_HISTORY']],
    ] as const) {
      const given = await careConsent(
        { node, admin: admin[name]! },
        {
          customerId: customer[name]!,
          categories,
          recipient: 'beta-bank',
        },
      );
      expect(given.registrationStatus).toBe('REGISTERED');
      consent[name] = given.id;
      wire[name] = await registrationOf(node, given.id, 'beta-bank');
    }
  }, 120_000);

  afterAll(async () => {
    await alpha?.close();
    await gamma?.close();
    await betaApp?.close();
    await beta?.db.drop();
    await federation?.close();
  });

  it("opening the customer at beta pulls alpha's and gamma's history: merged, marked with origin, consent and signature", async () => {
    const page = ok(
      await betaGql<{ customerTimeline: { nodes: Item[] } }>(
        TIMELINE,
        { id: customer.beta, shared: true, reason },
        betaAgent,
      ),
    );
    const partner = page.customerTimeline.nodes.filter((n) => n.origin === 'PARTNER');
    const fromAlpha = partner.filter((n) => n.originPartnerId === 'alpha-shop');
    const fromGamma = partner.filter((n) => n.originPartnerId === 'gamma-telecom');
    expect(fromAlpha.map((n) => n.title).sort()).toEqual(['Lost card', 'Order A-0001', 'Refund request']);
    // gamma's consent covers care history only: its order is not shared.
    expect(fromGamma.map((n) => n.title)).toEqual(['Roaming question']);
    for (const item of partner) {
      expect(item).toMatchObject({ signatureStatus: 'VERIFIED', record: { __typename: 'SharedRecord' } });
      expect(item.consentId).toBe(item.originPartnerId === 'alpha-shop' ? wire.alpha : wire.gamma);
      const retention = Date.parse(item.retentionEndsAt!) - Date.now();
      expect(retention).toBeGreaterThan(29 * 86_400_000);
      expect(retention).toBeLessThanOrEqual(30 * 86_400_000);
    }
    // Newest first, partner items merged with local ones.
    expect(partner.map((n) => n.title)).toEqual([
      'Roaming question',
      'Order A-0001',
      'Refund request',
      'Lost card',
    ]);

    // Without includeShared: local items only. Compliance may not read shared history.
    const local = ok(
      await betaGql<{ customerTimeline: { nodes: Item[] } }>(
        TIMELINE,
        { id: customer.beta, shared: false },
        betaAgent,
      ),
    );
    expect(local.customerTimeline.nodes.filter((n) => n.origin === 'PARTNER')).toEqual([]);
    const refused = await betaGql(TIMELINE, { id: customer.beta, shared: true, reason }, betaCompliance);
    expect(refused.errors![0].extensions!.code).toBe('FORBIDDEN');

    // Every access is recorded: who, which customer, which items, under which consents.
    const log = ok(
      await betaGql<{
        sharedAccesses: {
          nodes: { userId: string; customerId: string; consentIds: string[]; originRecordIds: string[] }[];
        };
      }>(
        `query($c: ID) { sharedAccesses(customerId: $c) { nodes { userId customerId consentIds originRecordIds } } }`,
        { c: customer.beta },
        betaCompliance,
      ),
    );
    expect(log.sharedAccesses.nodes).toHaveLength(1);
    expect(log.sharedAccesses.nodes[0]!.consentIds.sort()).toEqual([wire.alpha, wire.gamma].sort());
    expect(log.sharedAccesses.nodes[0]!.originRecordIds).toHaveLength(4);
    const agentReadsLog = await betaGql(`{ sharedAccesses { nodes { id } } }`, {}, betaAgent);
    expect(agentReadsLog.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('a slow partner never blocks the others: it times out, the result is marked partial', async () => {
    const holder = gamma.app.get(HolderService);
    const original = holder.answerHistory.bind(holder);
    holder.answerHistory = async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      return original(request);
    };
    try {
      const started = Date.now();
      const result = ok(
        await betaGql<{
          refreshSharedHistory: {
            partial: boolean;
            outcomes: { holder: string; status: string; stored: number }[];
          };
        }>(
          `mutation($id: ID!, $reason: SharedHistoryReasonInput!) {
            refreshSharedHistory(customerId: $id, reason: $reason) { partial outcomes { holder status stored } } }`,
          { id: customer.beta, reason },
          betaAgent,
        ),
      );
      expect(Date.now() - started).toBeLessThan(2500);
      expect(result.refreshSharedHistory.partial).toBe(true);
      expect(result.refreshSharedHistory.outcomes).toEqual([
        { holder: 'alpha-shop', status: 'ok', stored: 3 },
        { holder: 'gamma-telecom', status: 'timeout', stored: 0 },
      ]);
      // What beta already holds from gamma is still shown.
      const page = ok(
        await betaGql<{ customerTimeline: { nodes: Item[] } }>(
          TIMELINE,
          { id: customer.beta, shared: true, reason },
          betaAgent,
        ),
      );
      expect(page.customerTimeline.nodes.some((n) => n.originPartnerId === 'gamma-telecom')).toBe(true);
      // The timeline says its shared history is partial, and whose is missing.
      const said = ok(
        await betaGql<{ customerTimeline: { partial: boolean; unavailablePartners: string[] } }>(
          `query($id: ID!, $reason: SharedHistoryReasonInput) {
            customerTimeline(customerId: $id, includeShared: true, reason: $reason) { partial unavailablePartners } }`,
          { id: customer.beta, reason },
          betaAgent,
        ),
      );
      expect(said.customerTimeline).toEqual({ partial: true, unavailablePartners: ['gamma-telecom'] });
    } finally {
      holder.answerHistory = original;
    }
  });

  it('history changes at alpha are pushed through the outbox: delivered once, visible without a new pull', async () => {
    await alpha.app
      .get(DataSource)
      .query(
        `INSERT INTO interaction (customer_id, channel, direction, subject) VALUES ($1, 'email', 'inbound', 'Address change')`,
        [customer.alpha],
      );
    await waitFor('the pushed interaction at beta', async () => (await sharedCount('alpha-shop')) === 4);
    const [row]: { customer_id: string; envelope_id: string }[] = await betaDb().query(
      `SELECT customer_id, envelope_id FROM shared_record WHERE title = 'Address change'`,
    );
    expect(row!.customer_id).toBe(customer.beta);
    // Alpha marks the delivery once beta has answered, which can be a moment after beta stored it.
    await waitFor('the delivery marked delivered at alpha', async () => {
      const [delivery]: { status: string }[] = await alpha.app
        .get(DataSource)
        .query(`SELECT status FROM share_delivery WHERE id = $1`, [row!.envelope_id]);
      return delivery?.status === 'delivered';
    });
  });

  it('beta killed mid-delivery: after its restart every record is delivered exactly once', async () => {
    const port = Number(new URL(betaUrl).port);
    const before = await sharedCount('alpha-shop');
    await betaApp.close();
    const a = alpha.app.get(DataSource);
    const N = 40;
    await a.transaction(async (m) => {
      for (let i = 0; i < N; i += 1) {
        await m.query(
          `INSERT INTO customer_order (number, customer_id, status, channel, currency, subtotal, total)
           VALUES ($1, $2, 'paid', 'web', 'EUR', $3, $3)`,
          [`A-K${String(i).padStart(4, '0')}`, customer.alpha, i + 1],
        );
      }
    });
    // Deliveries are made and fail while beta is down (they are retried with back-off).
    await waitFor('deliveries attempted while beta is down', async () => {
      const [row]: { n: string }[] = await a.query(
        `SELECT count(*) AS n FROM share_delivery WHERE status = 'pending' AND attempts > 0`,
      );
      return Number(row!.n) > 0;
    });
    const restarted = await bootstrapNode({ ...beta.config, port });
    betaApp = restarted.app;
    betaUrl = restarted.url;
    await waitFor(
      'every record at beta',
      async () => (await sharedCount('alpha-shop')) === before + N,
      60_000,
    );
    await waitFor('every delivery marked delivered', async () => {
      const [row]: { n: string }[] = await a.query(
        `SELECT count(*) AS n FROM share_delivery WHERE status <> 'delivered'`,
      );
      return Number(row!.n) === 0;
    });
    // Exactly once: one row per origin record, one stored envelope per delivery.
    const [dupes]: { n: string; distinct: string }[] = await betaDb().query(
      `SELECT count(*) AS n, count(DISTINCT origin_record_id) AS distinct FROM shared_record WHERE origin_partner_id = 'alpha-shop'`,
    );
    expect(Number(dupes!.n)).toBe(before + N);
    expect(Number(dupes!.distinct)).toBe(before + N);
    const delivered: { id: string }[] = await a.query(
      `SELECT id FROM share_delivery WHERE status = 'delivered'`,
    );
    const received: { jti: string }[] = await betaDb().query(
      `SELECT jti FROM received_envelope WHERE issuer = 'alpha-shop' AND kind = 'share' AND jti = ANY ($1::text[])`,
      [delivered.map((d) => d.id)],
    );
    expect(received.length).toBe(delivered.length);
  }, 120_000);

  describe('bad envelopes are refused with a code, recorded, and store nothing', () => {
    let record: ShareRecord;
    const refusalsBefore = async () => {
      const [row]: { n: string }[] = await betaDb().query(`SELECT coalesce(sum(count), 0) AS n FROM refusal`);
      return Number(row!.n);
    };
    const baseClaims = async (
      overrides: Partial<MessageInput<'share'>> = {},
    ): Promise<MessageInput<'share'>> => {
      const now = Math.floor(Date.now() / 1000);
      return {
        iss: 'alpha-shop',
        aud: 'beta-bank',
        exp: now + 300,
        purpose: 'customer-care',
        agreementId: agreement.alpha!,
        consentIds: [wire.alpha!],
        categories: ['care-history'],
        records: [{ ...record, consentId: wire.alpha! }],
        ...overrides,
      };
    };
    const expectRefused = async (
      jws: string,
      reason: string,
      options: { expectedIssuer?: string; sealedRecords?: string } = {},
    ) => {
      const refusals = await refusalsBefore();
      const stored = await betaDb().query(`SELECT count(*) AS n FROM shared_record`);
      await expect(
        betaApp.get(EnvelopeReceiver).receive(jws, { source: 'push', ...options }),
      ).rejects.toMatchObject({ code: 'MESSAGE_REFUSED', reason });
      expect(await betaDb().query(`SELECT count(*) AS n FROM shared_record`)).toEqual(stored);
      expect(await refusalsBefore()).toBe(refusals + 1);
      const [last]: { reason: string }[] = await betaDb().query(
        `SELECT reason FROM refusal ORDER BY created_at DESC LIMIT 1`,
      );
      expect(last!.reason).toBe(reason);
    };
    const alphaSign = async (claims: MessageInput<'share'>) =>
      alpha.app.get(KeysService).sign('share', claims);

    beforeAll(() => {
      // Records name the local consent: seal() puts its registration for beta on the wire.
      record = {
        recordId: 'interaction:00000000-0000-4000-8000-000000000001',
        consentId: consent.alpha!,
        subjectToken: 'A'.repeat(43),
        category: 'care-history',
        data: { kind: 'interaction', occurredAt: '2025-02-01T00:00:00.000Z', channel: 'phone' },
      };
    });

    it('a valid envelope is accepted once, then refused as REPLAYED', async () => {
      const { envelope, sealedRecords } = await alpha.app
        .get(HolderService)
        .seal('beta-bank', agreement.alpha!, [record]);
      const received = await betaApp
        .get(EnvelopeReceiver)
        .receive(envelope, { source: 'push', sealedRecords });
      expect(received.stored).toBe(1);
      await expectRefused(envelope, 'REPLAYED', { sealedRecords });
      await betaDb().query(`DELETE FROM shared_record WHERE origin_record_id = $1`, [record.recordId]);
    });

    it('an envelope that signs its records instead of committing to them (no proof could outlive a purge)', async () => {
      await expectRefused(await alphaSign(await baseClaims()), 'RECORDS_NOT_COMMITTED');
    });

    it('a recordsRoot envelope whose records are missing, swapped or of another envelope', async () => {
      const holder = alpha.app.get(HolderService);
      const sealed = await holder.seal('beta-bank', agreement.alpha!, [record]);
      const other = await holder.seal('beta-bank', agreement.alpha!, [record]);
      await expectRefused(sealed.envelope, 'INVALID_CLAIMS');
      // Same record, other salt: its leaf is not under the signed root.
      await expectRefused(sealed.envelope, 'PROOF_INVALID', { sealedRecords: other.sealedRecords });
      const [receipts]: { n: string }[] = await betaDb().query(
        `SELECT count(*) AS n FROM share_receipt WHERE envelope_id = ANY ($1::text[])`,
        [
          [sealed.envelope, other.envelope].map(
            (jws) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()).jti,
          ),
        ],
      );
      expect(Number(receipts!.n)).toBe(0);
    });

    it('forged (a key that is not alpha’s), tampered, expired, mis-addressed', async () => {
      const forger = generateSigningKeyPair();
      await expectRefused(signMessage('share', await baseClaims(), forger.privateJwk), 'UNKNOWN_KEY');
      const good = await alphaSign(await baseClaims());
      const [h, p, s] = good.split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>;
      claims.purpose = 'marketing';
      const tampered = `${h}.${Buffer.from(canonicalize(claims as never)).toString('base64url')}.${s}`;
      await expectRefused(tampered, 'SIGNATURE_INVALID');
      const now = Math.floor(Date.now() / 1000);
      await expectRefused(await alphaSign(await baseClaims({ iat: now - 7200, exp: now - 3600 })), 'EXPIRED');
      await expectRefused(await alphaSign(await baseClaims({ aud: 'gamma-telecom' })), 'WRONG_AUDIENCE');
    });

    it("a partner answering with another partner's key, or in its own name when another was asked", async () => {
      // gamma signs with its own key an envelope that claims to come from alpha.
      const gammaKeys = gamma.app.get(KeysService);
      const forged = await (gammaKeys as unknown as { active(use: string): Promise<never> }).active(
        'signing',
      );
      await expectRefused(signMessage('share', await baseClaims(), forged), 'UNKNOWN_KEY');
      // gamma answers in its own name where beta asked alpha.
      const own = await gammaKeys.sign(
        'share',
        await baseClaims({
          iss: 'gamma-telecom',
          agreementId: agreement.gamma!,
          consentIds: [wire.gamma!],
          records: [{ ...record, consentId: wire.gamma! }],
        }),
      );
      await expectRefused(own, 'WRONG_ISSUER', { expectedIssuer: 'alpha-shop' });
    });

    it('a category the consent does not cover, and records outside the envelope', async () => {
      const order: ShareRecord = {
        recordId: 'order:00000000-0000-4000-8000-000000000002',
        consentId: consent.gamma!,
        subjectToken: 'B'.repeat(43),
        category: 'orders',
        data: { kind: 'order', occurredAt: '2025-02-01T00:00:00.000Z', number: 'G-9' },
      };
      const orders = await gamma.app.get(HolderService).seal('beta-bank', agreement.gamma!, [order]);
      await expectRefused(orders.envelope, 'CATEGORY_NOT_CONSENTED', { sealedRecords: orders.sealedRecords });
      // An interaction labelled as an order (kind and category disagree) among the sealed records.
      const mislabelled = await alpha.app
        .get(HolderService)
        .seal('beta-bank', agreement.alpha!, [{ ...record, category: 'orders' }]);
      await expectRefused(mislabelled.envelope, 'INVALID_CLAIMS', {
        sealedRecords: mislabelled.sealedRecords,
      });
    });
  });

  it("withdrawal at alpha: beta purges alpha's copies with a signed receipt; gamma's remain; later shares refused", async () => {
    const withdrawn = await alpha.gql<{ withdrawConsent: { status: string } }>(
      `mutation($id: ID!) { withdrawConsent(consentId: $id, reason: "customer asked") { status } }`,
      { id: consent.alpha },
      admin.alpha,
    );
    expect(ok(withdrawn).withdrawConsent.status).toBe('WITHDRAWN');
    const purges = await waitFor('the purge receipt', async () => {
      const result = ok(
        await alpha.gql<{
          sharePurges: { recipient: string; status: string; recordsPurged: number; receiptJws: string }[];
        }>(
          `query($id: ID!) { sharePurges(consentId: $id) { recipient status recordsPurged receiptJws } }`,
          { id: consent.alpha },
          alphaCompliance,
        ),
      );
      return result.sharePurges[0]?.status === 'CONFIRMED' ? result.sharePurges : undefined;
    });
    expect(purges).toHaveLength(1);
    expect(purges[0]).toMatchObject({ recipient: 'beta-bank', status: 'CONFIRMED' });
    expect(purges[0]!.recordsPurged).toBeGreaterThanOrEqual(44);
    const receipt = await alpha.app
      .get(NetworkService)
      .verifyMemberMessage('purge-receipt', purges[0]!.receiptJws, { audience: 'alpha-shop' }, 'test');
    expect(receipt.claims).toMatchObject({ iss: 'beta-bank', consentId: wire.alpha });

    expect(await sharedCount('alpha-shop')).toBe(0);
    expect(await sharedCount('gamma-telecom')).toBe(1);
    const page = ok(
      await betaGql<{ customerTimeline: { nodes: Item[] } }>(
        TIMELINE,
        { id: customer.beta, shared: true, reason },
        betaAgent,
      ),
    );
    const partners = page.customerTimeline.nodes
      .filter((n) => n.origin === 'PARTNER')
      .map((n) => n.originPartnerId);
    expect(partners).toEqual(['gamma-telecom']);

    // An envelope under the withdrawn consent is refused; nothing new is pushed or pulled.
    const holder = alpha.app.get(HolderService);
    const late = await holder.seal('beta-bank', agreement.alpha!, [
      {
        recordId: 'interaction:00000000-0000-4000-8000-000000000003',
        consentId: consent.alpha!,
        subjectToken: 'C'.repeat(43),
        category: 'care-history',
        data: { kind: 'interaction', occurredAt: '2025-03-01T00:00:00.000Z' },
      },
    ]);
    await expect(
      betaApp
        .get(EnvelopeReceiver)
        .receive(late.envelope, { source: 'push', sealedRecords: late.sealedRecords }),
    ).rejects.toMatchObject({
      reason: 'CONSENT_WITHDRAWN',
    });
    // The relay refuses it too (and records the refusal): nothing reaches beta.
    await expect(alpha.app.get(RelayClient).post(RELAY_PATHS.envelopes, late)).rejects.toMatchObject({
      status: 422,
      reason: 'CONSENT_WITHDRAWN',
    });
    const [relayRefusal]: { kind: string; issuer: string }[] = await federation.app
      .get(DataSource)
      .query(`SELECT kind, issuer FROM refusal WHERE reason = 'CONSENT_WITHDRAWN'`);
    expect(relayRefusal).toEqual({ kind: 'share', issuer: 'alpha-shop' });
    const purgeReaderIsCompliance = await alpha.gql(
      `query($id: ID!) { sharePurges(consentId: $id) { status } }`,
      { id: consent.alpha },
      await alpha.tokenFor(Role.AGENT),
    );
    expect(purgeReaderIsCompliance.errors![0].extensions!.code).toBe('FORBIDDEN');
  }, 60_000);

  it("gamma's agreement terminated: its envelopes are refused (AGREEMENT_NOT_ACTIVE)", async () => {
    const envelope = await gamma.app.get(HolderService).seal('beta-bank', agreement.gamma!, [
      {
        recordId: 'interaction:00000000-0000-4000-8000-000000000004',
        consentId: consent.gamma!,
        subjectToken: 'D'.repeat(43),
        category: 'care-history',
        data: { kind: 'interaction', occurredAt: '2025-03-01T00:00:00.000Z' },
      },
    ]);
    ok(
      await gamma.gql(
        `mutation($id: ID!) { terminateAgreement(agreementId: $id) { state } }`,
        { id: agreement.gamma },
        admin.gamma,
      ),
    );
    await expect(
      betaApp
        .get(EnvelopeReceiver)
        .receive(envelope.envelope, { source: 'push', sealedRecords: envelope.sealedRecords }),
    ).rejects.toMatchObject({
      reason: 'AGREEMENT_NOT_ACTIVE',
    });
  });

  it("erasure of the customer at gamma withdraws its consents: beta purges gamma's copies, gamma sees the receipt", async () => {
    await gamma.app
      .get(DataSource)
      .query(`UPDATE customer SET deleted_at = now() WHERE id = $1`, [customer.gamma]);
    const purge = await waitFor('the purge receipt for the erased customer', async () => {
      const [row]: { status: string; records_purged: number }[] = await gamma.app
        .get(DataSource)
        .query(`SELECT status, records_purged FROM share_purge WHERE consent_id = $1`, [consent.gamma]);
      return row?.status === 'confirmed' ? row : undefined;
    });
    expect(purge.records_purged).toBe(1);
    expect(await sharedCount('gamma-telecom')).toBe(0);
    const [withdrawn]: { withdrawn_at: Date | null }[] = await gamma.app
      .get(DataSource)
      .query(`SELECT withdrawn_at FROM consent WHERE id = $1`, [consent.gamma]);
    expect(withdrawn!.withdrawn_at).not.toBeNull();
  }, 60_000);
  it('the federation ledger holds all of it and its export verifies offline, with every signed message', async () => {
    const response = await fetch(`${federation.url}/federation/v1/ledger/export`, {
      headers: { authorization: `Bearer ${federation.operatorToken}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const jwks = (await (await fetch(`${federation.url}/.well-known/jwks.json`)).json()) as Jwks;
    const report = verifyExport(JSON.parse(text), { trustedKeys: jwks });
    const doc = JSON.parse(text) as LedgerExport;
    const kinds = new Set(doc.entries.map((e) => e.kind));
    for (const kind of [
      'membership.admitted',
      'agreement.proposed',
      'agreement.accepted',
      'agreement.terminated',
      'consent.registered',
      'consent.withdrawn',
      'envelope.relayed',
      'purge.receipt-relayed',
    ]) {
      expect(kinds).toContain(kind);
    }
    // Pulled answers are relayed envelopes too, ledgered with their channel.
    const channels = doc.entries
      .filter((e) => e.kind === 'envelope.relayed')
      .map((e) => (JSON.parse(e.entry) as { data: { channel?: string } }).data.channel ?? 'push');
    expect(new Set(channels)).toEqual(new Set(['pull', 'push']));
    const carried = new Set(
      (doc.messages ?? []).map(
        (m) => JSON.parse(Buffer.from(m.jws.split('.')[0]!, 'base64url').toString()).typ,
      ),
    );
    for (const typ of [
      'concordia-share+jwt',
      'concordia-purge-receipt+jwt',
      'concordia-consent-registration+jwt',
    ]) {
      expect(carried).toContain(typ);
    }
    expect(report.entries).toBe(doc.entries.length);
    expect(report.messagesVerified).toBe(doc.messages!.length);
    expect(report.statementsVerified).toBeGreaterThanOrEqual(3);
    // The federation never saw the customer: no e-mail address anywhere in its ledger export.
    expect(text.toLowerCase()).not.toContain(EMAIL.toLowerCase());

    // And every node that looks finds the federation's history consistent with what it saw.
    for (const node of [alpha.app, betaApp]) {
      const seen = await node.get(FederationCheckpointWatch).check(); // null: already seen on schedule
      if (seen) expect(['first', 'consistent']).toContain(seen.status);
      const statuses: { status: string }[] = await node
        .get(DataSource)
        .query(`SELECT status FROM ledger_federation_checkpoint`);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.map((r) => r.status)).not.toContain('inconsistent');
      const [alerts]: { n: string }[] = await node
        .get(DataSource)
        .query(`SELECT count(*) AS n FROM ledger_alert`);
      expect(Number(alerts!.n)).toBe(0);
    }
  }, 60_000);

  describe("evidence at the recipient: beta's own ledger export proves receipt and purge", () => {
    /** Federation keys and beta's keys pinned (alpha's and gamma's come only from carried statements). */
    let trustedKeys: Jwks;
    const claimsOf = <T>(jws: string): T =>
      JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as T;
    const flip = (hash: string) => (hash.startsWith('A') ? 'B' : 'A') + hash.slice(1);
    const exportOf = async (node: INestApplication, fromSeq?: number): Promise<LedgerExport> => {
      const ledger = node.get(LedgerService);
      while ((await ledger.pendingCount()) > 0) await ledger.sequencePending();
      return JSON.parse(await node.get(NodeLedgerService).exportLedger(fromSeq)) as LedgerExport;
    };
    const dataOf = (doc: LedgerExport, kind: string) =>
      doc.entries
        .filter((e) => e.kind === kind)
        .map((e) => ({ seq: e.seq, data: (JSON.parse(e.entry) as { data: Record<string, unknown> }).data }));
    const refusal = (doc: unknown): string => {
      try {
        verifyExport(doc, { trustedKeys });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('the verifier accepted it');
    };

    beforeAll(async () => {
      // Pinned as an auditor would (as the demo does): the federation's JWKS and each member's keys
      // as its membership statement, verified against that JWKS, binds them.
      const client = federation.client;
      const federationJwks = await client.jwks();
      const keys: OkpPublicJwk[] = [...federationJwks.keys];
      for (const member of await client.members()) {
        keys.push(
          ...(
            await verifyMembershipStatement(member.statement, federationJwks, federation.config.federationId)
          ).jwks.keys,
        );
      }
      trustedKeys = { keys };
    });

    it('every receipt verifies against its signed envelope, and both purges against their signed receipts, with no record left', async () => {
      expect(await sharedCount('alpha-shop')).toBe(0);
      expect(await sharedCount('gamma-telecom')).toBe(0);
      const [kept]: { n: string }[] = await betaDb().query(
        `SELECT count(*) AS n FROM share_receipt WHERE issuer = 'alpha-shop'`,
      );
      expect(Number(kept!.n)).toBeGreaterThan(0);

      const doc = await exportOf(betaApp);
      const report = verifyExport(doc, { trustedKeys });
      const received = dataOf(doc, 'share.received').filter((e) => e.data.recordHashes);
      expect(received.length).toBeGreaterThanOrEqual(3);
      expect(new Set(received.map((e) => e.data.issuer))).toEqual(new Set(['alpha-shop', 'gamma-telecom']));
      expect(report.receiptsVerified).toBe(received.length);
      expect(dataOf(doc, 'share.purged')).toHaveLength(2);
      expect(report.purgeReceiptsVerified).toBe(2);
      // The auditor's CLI says the same (npm run audit -- verify beta.json --keys keys.json).
      const files: Record<string, string> = {
        'beta.json': JSON.stringify(doc),
        'keys.json': JSON.stringify(trustedKeys),
      };
      const out: string[] = [];
      const status = await runAudit(['verify', 'beta.json', '--keys', 'keys.json'], {
        out: (line) => out.push(line),
        err: (line) => out.push(line),
        readFile: (path) => files[path]!,
      });
      expect(status).toBe(0);
      expect(out.join('\n')).toContain(
        `evidence      ${received.length} receipts of envelopes (signed root = record hashes), 2 purge receipts`,
      );
      // The evidence holds no record: neither the e-mail nor a record's subject line is in the export.
      const text = JSON.stringify(doc);
      expect(text).not.toContain('Lost card');
      expect(text.toLowerCase()).not.toContain(EMAIL.toLowerCase());

      // The origin keeps the purge receipts it got back, verified the same way.
      const alphaDoc = await exportOf(alpha.app);
      const alphaReport = verifyExport(alphaDoc, { trustedKeys });
      expect(dataOf(alphaDoc, 'share.purge-confirmed')).toHaveLength(1);
      expect(alphaReport.purgeReceiptsVerified).toBe(1);
    }, 60_000);

    it('tampering is refused with a reason: a record hash, a signature byte, a lying entry, a swapped signer key', async () => {
      const doc = await exportOf(betaApp);
      const [first] = dataOf(doc, 'share.received').filter((e) => e.data.recordHashes);
      const envelope = doc.messages!.find((m) => m.seq === first!.seq && m.field === 'messageHash')!;

      const changedHash = structuredClone(doc);
      const target = changedHash.entries.find((e) => e.seq === first!.seq)!;
      const hashes = first!.data.recordHashes as string[];
      target.entry = target.entry.replace(hashes[0]!, flip(hashes[0]!));
      expect(refusal(changedHash)).toContain(`entry seq ${first!.seq}: content does not match its leaf hash`);

      const droppedByte = structuredClone(doc);
      const message = droppedByte.messages!.find((m) => m.seq === first!.seq && m.field === 'messageHash')!;
      message.jws = message.jws.slice(0, -2);
      expect(refusal(droppedByte)).toContain('does not match the hash in the entry');

      // Evidence left out of the export: the envelope of a receipt, the signed receipt of a purge.
      const withoutEnvelope = structuredClone(doc);
      withoutEnvelope.messages = withoutEnvelope.messages!.filter(
        (m) => !(m.seq === first!.seq && m.field === 'messageHash'),
      );
      expect(refusal(withoutEnvelope)).toContain(
        `entry seq ${first!.seq}: records a receipt with record hashes, but the signed envelope (data.messageHash) is not carried`,
      );
      const [purged] = dataOf(doc, 'share.purged');
      const withoutReceipt = structuredClone(doc);
      withoutReceipt.messages = withoutReceipt.messages!.filter(
        (m) => !(m.seq === purged!.seq && m.field === 'receiptHash'),
      );
      expect(refusal(withoutReceipt)).toContain(
        `entry seq ${purged!.seq}: names a purge receipt (data.receiptHash) that the export does not carry`,
      );

      // A purge that names an envelope the ledger never received: the node signs it, yet it is refused.
      const [alphaPurge] = dataOf(doc, 'share.purged').filter((e) => e.data.origin === 'alpha-shop');
      const ledger = betaApp.get(LedgerService);
      const purgeSeq = doc.toSize;
      const now = Math.floor(Date.now() / 1000);
      await betaDb().transaction(async (m) => {
        const receipt = await betaApp.get(KeysService).sign('purge-receipt', {
          iss: 'beta-bank',
          aud: ['alpha-shop'],
          exp: now + 600,
          consentId: String(alphaPurge!.data.consentId),
          envelopeIds: ['never-received-0001'],
          recordsPurged: 1,
          purgedAt: now,
        });
        const receiptHash = await betaApp.get(ShareEvidenceService).keep(m, 'purge-receipt', receipt);
        await ledger.enqueue(m, 'share.purged', { ...alphaPurge!.data, recordsPurged: 1, receiptHash });
      });
      expect(refusal(await exportOf(betaApp))).toContain(
        `entry seq ${purgeSeq}: the purge receipt names envelope never-received-0001 of alpha-shop, whose receipt is not in the ledger`,
      );

      // The node itself lies: an entry (under its own signed checkpoints) with other record hashes.
      const lie = { ...first!.data, recordHashes: [flip(hashes[0]!), ...hashes.slice(1)] };
      const lyingSeq = purgeSeq + 1;
      await betaDb().transaction((m) => ledger.enqueue(m, 'share.received', lie));
      expect(refusal(await exportOf(betaApp, lyingSeq))).toContain(
        `entry seq ${lyingSeq}: the record hashes of the entry do not match the envelope's signed records root`,
      );

      // A swapped signer key: an envelope in alpha's name signed by another key, named with alpha's statement.
      const forger = generateSigningKeyPair();
      const { recordsRoot } = claimsOf<{ recordsRoot: { size: number; root: string } }>(envelope.jws);
      const forged = signMessage(
        'share',
        {
          iss: 'alpha-shop',
          aud: 'beta-bank',
          iat: now,
          exp: now + 600,
          jti: 'forged-envelope-0001',
          purpose: 'customer-care',
          agreementId: agreement.alpha!,
          consentIds: [wire.alpha!],
          categories: ['care-history'],
          recordsRoot,
        },
        forger.privateJwk,
      );
      const forgedSeq = lyingSeq + 1;
      await betaDb().transaction(async (m) => {
        const messageHash = await betaApp.get(ShareEvidenceService).keep(m, 'share', forged);
        await ledger.enqueue(m, 'share.received', {
          ...first!.data,
          envelopeId: 'forged-envelope-0001',
          messageHash,
        });
      });
      expect(refusal(await exportOf(betaApp, forgedSeq))).toContain(
        `entry seq ${forgedSeq}: the share carried for data.messageHash is signed by a key no membership statement of alpha-shop vouches for`,
      );
    }, 60_000);
  });
});
