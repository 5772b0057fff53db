import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { leafHash, openCheckpoint, parseCanonical, parseVerifierKey, verifyInclusion } from '#protocol';
import { verifyLedgerInclusion } from '../libs/compliance/src/index.js';
import {
  jwkThumbprintWebCrypto,
  verifyJwsWithKeysWebCrypto,
  verifyLedgerInclusionWebCrypto,
  type Ed25519PublicKeyJwk,
} from '../libs/protocol/src/webcrypto/index.js';
import { startTestFederation, type TestFederation } from '../apps/federation/src/testing/test-federation.js';
import { runCli, type CliIo } from '../apps/partner-node/src/cli/commands.js';
import { NetworkService } from '../apps/partner-node/src/network/network.service.js';
import type { TestNode } from '../apps/partner-node/src/testing/test-node.js';
import { Role } from '../apps/partner-node/src/users/role.js';
import {
  addCustomer,
  agree,
  careConsent,
  joinNetwork,
  nodeSecret,
  ok,
  openCareCase,
  startPartners,
  waitFor,
  registrationOf,
} from '../apps/partner-node/src/testing/network.js';

/**
 * Compliance audits across the network: the federation, alpha (holds the customer and shares its
 * care history) and beta (receives it), each on its own PostgreSQL database, BullMQ on Redis.
 * Consent history with ledger proofs verified with libs/protocol alone, data flows, records of
 * processing, access report (JSON, HTML, CLI), erasure with purge receipts from beta, and the
 * violations report: empty in normal operation, and finding each kind injected into the database.
 */
/** The nodes' settings for this test (validated with the rest of their configuration). */
const NODE_SETTINGS = {
  SHARING_SWEEP_MS: '1000',
  SHARING_BACKOFF_MS: '200',
  SHARING_PULL_TIMEOUT_MS: '3000',
};

const EMAIL = 'ada.lovelace@example.org';
const HTML_NAME = '<script>alert("x")</script>';

interface Violations {
  complianceViolations: {
    total: number;
    checks: { kind: string; count: number }[];
    violations: {
      kind: string;
      side: string;
      envelopeId: string | null;
      recordId: string | null;
      consentId: string | null;
      partnerId: string | null;
      detail: string;
    }[];
  };
}
// The report is a JSON document whose shape the assertions walk.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ReportJson = Record<string, any>;
const VIOLATIONS = `{ complianceViolations { total checks { kind count }
  violations { kind side envelopeId recordId consentId partnerId detail } } }`;
const FLOWS = `query($id: ID!) { customerDataFlows(customerId: $id) {
  shares { envelopeId recipient agreementId consentId channel sentAt categories records purgeStatus purgeConfirmedAt }
  accesses { accessId userId userName accessedAt originPartnerIds originRecordIds consentIds }
  receivedCopies } }`;
const ERASURE = `query($id: ID!) { erasureRequest(id: $id) { id customerId complete withdrawnConsentIds erased
  recipients { consentId recipient status recordsPurged receiptJws confirmedAt } } }`;

describe('compliance audits: federation + two partner nodes (PostgreSQL, Redis)', () => {
  let federation: TestFederation;
  let alpha: TestNode;
  let beta: TestNode;
  const admin: Record<string, string> = {};
  const compliance: Record<string, string> = {};
  let betaAgent: { id: string; token: string };
  let agreementId: string;
  let consentId: string;
  /** The id beta and the federation know that consent by: its registration for beta (issue 16). */
  let wireId: string;
  const customer: Record<string, string> = {};
  let erasureId: string;

  beforeAll(async () => {
    federation = await startTestFederation('compliance_fed');
    ({ alpha, beta } = await startPartners(
      'compliance',
      federation.url,
      {
        alpha: 'alpha-shop',
        beta: 'beta-bank',
      },
      NODE_SETTINGS,
    ));
    Object.assign(admin, await joinNetwork(federation, { alpha, beta }));
    compliance.alpha = await alpha.tokenFor(Role.COMPLIANCE);
    compliance.beta = await beta.tokenFor(Role.COMPLIANCE);
    betaAgent = await beta.userFor(Role.AGENT);
    agreementId = await agree({ node: alpha, admin: admin.alpha! }, { node: beta, admin: admin.beta! });

    for (const [name, node, first] of [
      ['alpha', alpha, HTML_NAME],
      ['beta', beta, 'Ada'],
    ] as const) {
      customer[name] = await addCustomer(node, EMAIL, {
        first_name: first,
        last_name: 'Lovelace',
        address_city: 'London',
      });
    }
    const a = alpha.app.get(DataSource);
    await a.query(
      `INSERT INTO interaction (customer_id, channel, direction, subject, occurred_at)
       VALUES ($1, 'phone', 'inbound', 'Lost card', '2025-01-02T10:00:00Z')`,
      [customer.alpha],
    );
    await a.query(
      `INSERT INTO customer_order (number, customer_id, ordered_at, status, channel, currency, subtotal, total)
       VALUES ('A-0001', $1, '2025-01-04T10:00:00Z', 'paid', 'web', 'EUR', 42, 42)`,
      [customer.alpha],
    );
    const given = await careConsent(
      { node: alpha, admin: admin.alpha! },
      {
        customerId: customer.alpha!,
        categories: ['CARE_HISTORY', 'ORDERS'],
        recipient: 'beta-bank',
      },
    );
    expect(given.registrationStatus).toBe('REGISTERED');
    consentId = given.id;
    wireId = await registrationOf(alpha, consentId, 'beta-bank');

    // Beta's agent opens the customer: beta pulls alpha's history, the access is recorded.
    const page = ok(
      await beta.gql<{ customerTimeline: { nodes: { origin: string; title: string }[] } }>(
        `query($id: ID!, $reason: SharedHistoryReasonInput) {
          customerTimeline(customerId: $id, first: 50, includeShared: true, reason: $reason) { nodes { origin title } } }`,
        { id: customer.beta, reason: await openCareCase(beta, customer.beta!) },
        betaAgent.token,
      ),
    );
    expect(
      page.customerTimeline.nodes
        .filter((n) => n.origin === 'PARTNER')
        .map((n) => n.title)
        .sort(),
    ).toEqual(['Lost card', 'Order A-0001']);
  }, 120_000);

  const accessReport = async () =>
    ok(
      await alpha.gql<{ customerAccessReport: { json: ReportJson; html: string } }>(
        `query($id: ID!) { customerAccessReport(customerId: $id) { json html } }`,
        { id: customer.alpha },
        compliance.alpha,
      ),
    ).customerAccessReport;

  afterAll(async () => {
    await alpha?.close();
    await beta?.close();
    await federation?.close();
  });

  it('consent history: the signed receipt and its ledger inclusion proof verify with libs/protocol alone', async () => {
    const result = ok(
      await alpha.gql<{
        customerConsentHistory: {
          ledgerOrigin: string;
          checkpointKey: string;
          consents: {
            consent: { id: string; status: string };
            noticeVersion: string;
            receipt: {
              kind: string;
              jws: string;
              ledger: {
                seq: number;
                entry: string;
                leafHash: string;
                treeSize: number;
                rootHash: string;
                hashes: string[];
                checkpointNote: string;
                verifierKey: string;
                origin: string;
              };
            };
            withdrawal: unknown;
          }[];
        };
      }>(
        `query($id: ID!) { customerConsentHistory(customerId: $id) { ledgerOrigin checkpointKey consents {
           consent { id status } noticeVersion withdrawal { kind }
           receipt { kind jws ledger { seq entry leafHash treeSize rootHash hashes checkpointNote verifierKey origin } } } } }`,
        { id: customer.alpha },
        compliance.alpha,
      ),
    );
    const history = result.customerConsentHistory;
    expect(history.consents).toHaveLength(1);
    const [item] = history.consents;
    expect(item!.consent).toEqual({ id: consentId, status: 'LIVE' });
    expect(item!.noticeVersion).toBe('2025-06');
    expect(item!.withdrawal).toBeNull();
    const { ledger } = item!.receipt;
    // The leaf holds this very receipt.
    const leaf = parseCanonical(ledger.entry) as {
      kind: string;
      data: { consentId: string; receiptJws: string };
    };
    expect(leaf.kind).toBe('consent.given');
    expect(leaf.data).toMatchObject({ consentId, receiptJws: item!.receipt.jws });
    expect(ledger).toMatchObject({ verifierKey: history.checkpointKey, origin: history.ledgerOrigin });
    // The checkpoint is signed by the node's key, names the ledger, and the entry is in its tree.
    const { checkpoint } = openCheckpoint(ledger.checkpointNote, [parseVerifierKey(ledger.verifierKey)], {
      origin: ledger.origin,
    });
    expect(checkpoint.size).toBe(ledger.treeSize);
    expect(Buffer.from(checkpoint.rootHash).toString('base64')).toBe(ledger.rootHash);
    const hash = leafHash(Buffer.from(ledger.entry, 'utf8'));
    expect(Buffer.from(hash).toString('base64')).toBe(ledger.leafHash);
    const hashes = ledger.hashes.map((h) => new Uint8Array(Buffer.from(h, 'base64')));
    expect(() =>
      verifyInclusion(hash, ledger.seq, ledger.treeSize, hashes, checkpoint.rootHash),
    ).not.toThrow();
    // The same claim, as the GraphQL answer gives it, through the pure helper.
    expect(verifyLedgerInclusion(ledger)).toBe(ledger.rootHash);
    // A tampered leaf does not verify.
    const tampered = ledger.entry.replace('consent.given', 'consent.giveN');
    expect(() =>
      verifyInclusion(
        leafHash(Buffer.from(tampered, 'utf8')),
        ledger.seq,
        ledger.treeSize,
        hashes,
        checkpoint.rootHash,
      ),
    ).toThrow();
    expect(() => verifyLedgerInclusion({ ...ledger, entry: tampered })).toThrow();
  });

  it("trust anchors: the browser's WebCrypto checks verify the node's statement under the federation key, then the receipt and its proof under the key it vouches for", async () => {
    const result = ok(
      await alpha.gql<{
        complianceTrustAnchors: {
          partnerId: string;
          federationJwks: string;
          federationKids: string[];
          statements: { partnerId: string; statement: string }[];
        };
        customerConsentHistory: {
          consents: {
            receipt: {
              jws: string;
              ledger: {
                seq: number;
                entry: string;
                treeSize: number;
                hashes: string[];
                checkpointNote: string;
                verifierKey: string;
                origin: string;
              };
            };
          }[];
        };
      }>(
        `query($id: ID!) {
           complianceTrustAnchors { partnerId federationJwks federationKids statements { partnerId statement } }
           customerConsentHistory(customerId: $id) { consents { receipt { jws
             ledger { seq entry treeSize hashes checkpointNote verifierKey origin } } } } }`,
        { id: customer.alpha },
        compliance.alpha,
      ),
    );
    const anchors = result.complianceTrustAnchors;
    const federationKeys = (JSON.parse(anchors.federationJwks) as { keys: Ed25519PublicKeyJwk[] }).keys;
    expect(anchors.federationKids.length).toBeGreaterThan(0);
    for (const key of federationKeys) expect(await jwkThumbprintWebCrypto(key)).toBe(key.kid);
    expect(anchors.statements.map((s) => s.partnerId)).toEqual(
      expect.arrayContaining(['alpha-shop', 'beta-bank']),
    );
    const own = anchors.statements.find((s) => s.partnerId === anchors.partnerId)!;
    const { claims } = await verifyJwsWithKeysWebCrypto(
      own.statement,
      federationKeys.filter((key) => anchors.federationKids.includes(key.kid as string)),
    );
    expect(claims.sub).toBe('alpha-shop');
    const vouched = (claims.jwks as { keys: Ed25519PublicKeyJwk[] }).keys;
    const [item] = result.customerConsentHistory.consents;
    const verified = await verifyLedgerInclusionWebCrypto(item!.receipt.ledger, { trustedKeys: vouched });
    expect(verified.root).toBe(verifyLedgerInclusion(item!.receipt.ledger));
    expect((await verifyJwsWithKeysWebCrypto(item!.receipt.jws, vouched)).claims.iss).toBe('alpha-shop');
    // A statement verified under a key that is not the federation's does not verify.
    await expect(verifyJwsWithKeysWebCrypto(own.statement, vouched)).rejects.toMatchObject({
      code: 'UNKNOWN_KEY',
    });
  });

  it("data flows: alpha sees every share of the customer's records, beta every agent access", async () => {
    const atAlpha = ok(
      await alpha.gql<{
        customerDataFlows: {
          shares: {
            recipient: string;
            consentId: string;
            agreementId: string;
            channel: string;
            categories: string[];
            records: number;
            purgeStatus: string;
            envelopeId: string;
          }[];
        };
      }>(FLOWS, { id: customer.alpha }, compliance.alpha),
    ).customerDataFlows;
    expect(atAlpha.shares.length).toBeGreaterThanOrEqual(1);
    for (const share of atAlpha.shares) {
      expect(share).toMatchObject({
        recipient: 'beta-bank',
        consentId,
        agreementId,
        channel: 'pull',
        categories: ['care-history', 'orders'],
        records: 2,
        purgeStatus: 'NOT_REQUESTED',
      });
    }
    // The same envelopes were received at beta.
    const received: { jti: string }[] = await beta.app
      .get(DataSource)
      .query(`SELECT jti FROM received_envelope WHERE issuer = 'alpha-shop'`);
    expect(received.map((r) => r.jti)).toEqual(
      expect.arrayContaining(atAlpha.shares.map((s) => s.envelopeId)),
    );
    // And each is a share.sent entry of alpha's ledger.
    await waitFor('share.sent entries sequenced', async () => {
      const [row]: { n: string }[] = await alpha.app
        .get(DataSource)
        .query(`SELECT count(*) AS n FROM ledger_entry WHERE kind = 'share.sent'`);
      return Number(row!.n) >= atAlpha.shares.length;
    });

    const atBeta = ok(
      await beta.gql<{
        customerDataFlows: {
          accesses: {
            userId: string;
            userName: string;
            consentIds: string[];
            originPartnerIds: string[];
            originRecordIds: string[];
          }[];
          receivedCopies: number;
        };
      }>(FLOWS, { id: customer.beta }, compliance.beta),
    ).customerDataFlows;
    expect(atBeta.receivedCopies).toBe(2);
    expect(atBeta.accesses).toHaveLength(1);
    expect(atBeta.accesses[0]).toMatchObject({
      userId: betaAgent.id,
      consentIds: [wireId],
      originPartnerIds: ['alpha-shop'],
    });
    expect(atBeta.accesses[0]!.originRecordIds).toHaveLength(2);
    // Agents cannot read the audits.
    const refused = await beta.gql(FLOWS, { id: customer.beta }, betaAgent.token);
    expect(refused.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('normal operation: the violations report is empty at both nodes', async () => {
    for (const [node, token] of [
      [alpha, compliance.alpha],
      [beta, compliance.beta],
    ] as const) {
      const report = ok(await node.gql<Violations>(VIOLATIONS, {}, token)).complianceViolations;
      expect(report.violations).toEqual([]);
      expect(report.total).toBe(0);
      expect(report.checks).toHaveLength(9);
    }
    // The refs the report reads are those of the envelopes delivered (by push and by pull), each
    // with its record's owner: here the consent's subject.
    const a = alpha.app.get(DataSource);
    const [refs]: { delivered: number; sent: number; owned: number }[] = await a.query(
      `SELECT (SELECT sum(jsonb_array_length(records)) FROM share_delivery WHERE status = 'delivered')::int AS delivered,
              (SELECT sum(cardinality(record_ids)) FROM share_sent_ref)::int AS sent,
              (SELECT sum(cardinality(record_ids)) FROM share_sent_ref WHERE owner_customer_id = $1)::int AS owned`,
      [customer.alpha],
    );
    expect(refs!.delivered).toBeGreaterThan(0);
    expect(refs).toEqual({ delivered: refs!.delivered, sent: refs!.delivered, owned: refs!.delivered });
  });

  it('records of processing come from the agreements, consents and ledger', async () => {
    const query = `{ recordsOfProcessing { controller federationId ledgerSize securityMeasures
      ledgerCounts { kind count }
      activities { purpose legalBasis recipients sources retentionDays consentsLive
        categoriesOfData { category } transfers { partnerId agreementId direction } } } }`;
    const atAlpha = ok(
      await alpha.gql<{
        recordsOfProcessing: {
          controller: string;
          federationId: string;
          ledgerCounts: { kind: string; count: number }[];
          activities: {
            purpose: string;
            recipients: string[];
            sources: string[];
            retentionDays: number;
            consentsLive: number;
            categoriesOfData: { category: string }[];
            transfers: { partnerId: string; agreementId: string; direction: string }[];
          }[];
        };
      }>(query, {}, compliance.alpha),
    ).recordsOfProcessing;
    expect(atAlpha.controller).toBe('alpha-shop');
    expect(atAlpha.federationId).toBeTruthy();
    expect(atAlpha.activities).toHaveLength(1);
    expect(atAlpha.activities[0]).toMatchObject({
      purpose: 'customer-care',
      recipients: ['beta-bank'],
      sources: [],
      retentionDays: 30,
      consentsLive: 1,
      categoriesOfData: [{ category: 'care-history' }, { category: 'orders' }],
      transfers: [{ partnerId: 'beta-bank', agreementId, direction: 'outbound' }],
    });
    expect(atAlpha.ledgerCounts).toEqual(expect.arrayContaining([{ kind: 'consent.given', count: 1 }]));
    const atBeta = ok(
      await beta.gql<{ recordsOfProcessing: { activities: { sources: string[]; recipients: string[] }[] } }>(
        query,
        {},
        compliance.beta,
      ),
    ).recordsOfProcessing;
    expect(atBeta.activities[0]).toMatchObject({ sources: ['alpha-shop'], recipients: [] });
  });

  it('access report: JSON and HTML (an HTML-looking name is escaped), also from the CLI', async () => {
    const report = await accessReport();
    expect(report.json.held.customer.firstName).toBe(HTML_NAME);
    expect(report.json.held.emails.map((e: { address: string }) => e.address)).toEqual([EMAIL]);
    expect(report.json.held.interactions).toHaveLength(1);
    expect(report.json.consents.map((c: { id: string }) => c.id)).toEqual([consentId]);
    expect(report.json.shares.length).toBeGreaterThanOrEqual(1);
    expect(report.json.erasure).toBeNull();
    expect(report.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(report.html).not.toContain('<script');
    expect(report.html).toContain(EMAIL);

    const dir = await mkdtemp(join(tmpdir(), 'access-report-'));
    try {
      const lines: string[] = [];
      const io: CliIo = {
        out: (t) => lines.push(t),
        err: (t) => lines.push(t),
        env: {
          NODE_ENV: 'test',
          DATABASE_URL: alpha.db.url,
          PARTNER_ID: 'alpha-shop',
          KEY_ENCRYPTION_SECRET: nodeSecret('alpha'),
        },
      };
      const file = join(dir, 'report.html');
      expect(await runCli(['access-report', customer.alpha!, '--html', file], io)).toBe(0);
      const html = await readFile(file, 'utf8');
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain('&lt;script&gt;');
      expect(html).not.toContain('<script');
      expect(await runCli(['access-report'], io)).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('erasure at alpha: beta purges its copies, receipts come back, the report holds no personal data, nothing is violated', async () => {
    const erased = ok(
      await alpha.gql<{
        eraseCustomer: { id: string; withdrawnConsentIds: string[]; erased: Record<string, number> };
      }>(
        `mutation($id: ID!) { eraseCustomer(customerId: $id, reason: "customer request") { id withdrawnConsentIds erased } }`,
        { id: customer.alpha },
        compliance.alpha,
      ),
    ).eraseCustomer;
    erasureId = erased.id;
    expect(erased.withdrawnConsentIds).toEqual([consentId]);
    expect(erased.erased).toMatchObject({ interactions: 1, orders: 1, emails: 1 });

    const request = await waitFor('the purge receipt from beta', async () => {
      const r = ok(
        await alpha.gql<{
          erasureRequest: {
            complete: boolean;
            recipients: { recipient: string; status: string; receiptJws: string; recordsPurged: number }[];
          };
        }>(ERASURE, { id: erasureId }, compliance.alpha),
      ).erasureRequest;
      return r.complete ? r : undefined;
    });
    expect(request.recipients).toHaveLength(1);
    expect(request.recipients[0]).toMatchObject({
      recipient: 'beta-bank',
      status: 'CONFIRMED',
      recordsPurged: 2,
    });
    const receipt = await alpha.app
      .get(NetworkService)
      .verifyMemberMessage(
        'purge-receipt',
        request.recipients[0]!.receiptJws,
        { audience: 'alpha-shop' },
        'test',
      );
    expect(receipt.claims).toMatchObject({ iss: 'beta-bank', consentId: wireId });
    const [left]: { n: string }[] = await beta.app
      .get(DataSource)
      .query(`SELECT count(*) AS n FROM shared_record WHERE origin_partner_id = 'alpha-shop'`);
    expect(Number(left!.n)).toBe(0);

    // The access report now holds a tombstone only.
    const report = await accessReport();
    const held = report.json.held;
    expect(held.customer).toMatchObject({ firstName: 'erased', lastName: 'erased', addressCity: null });
    expect(held.customer.deletedAt).toBeTruthy();
    for (const part of ['emails', 'phones', 'companies', 'interactions', 'careCases', 'orders', 'leads']) {
      expect(held[part]).toEqual([]);
    }
    expect(report.json.erasure).toMatchObject({ id: erasureId });
    expect(report.html).not.toContain(EMAIL);
    expect(report.html).not.toContain('Lovelace');
    const flows = ok(
      await alpha.gql<{ customerDataFlows: { shares: { purgeStatus: string; purgeConfirmedAt: string }[] } }>(
        FLOWS,
        { id: customer.alpha },
        compliance.alpha,
      ),
    ).customerDataFlows;
    expect(flows.shares.every((s) => s.purgeStatus === 'CONFIRMED' && s.purgeConfirmedAt)).toBe(true);

    // Ledger entries: the erasure, the withdrawal, the purge at beta.
    await waitFor('ledger entries sequenced', async () => {
      const kinds = async (node: TestNode) =>
        (
          (await node.app.get(DataSource).query(`SELECT DISTINCT kind FROM ledger_entry`)) as {
            kind: string;
          }[]
        ).map((r) => r.kind);
      const [a, b] = await Promise.all([kinds(alpha), kinds(beta)]);
      return (
        ['customer.erased', 'consent.withdrawn', 'share.sent', 'share.purge-confirmed'].every((k) =>
          a.includes(k),
        ) && ['share.received', 'share.accessed', 'share.purged'].every((k) => b.includes(k))
      );
    });

    for (const [node, token] of [
      [alpha, compliance.alpha],
      [beta, compliance.beta],
    ] as const) {
      expect(ok(await node.gql<Violations>(VIOLATIONS, {}, token)).complianceViolations.violations).toEqual(
        [],
      );
    }

    // The withdrawal is in the consent history, with its own ledger proof.
    const history = ok(
      await alpha.gql<{
        customerConsentHistory: {
          consents: {
            consent: { status: string };
            withdrawal: { kind: string; ledger: { entry: { seq: number } } };
          }[];
        };
      }>(
        `query($id: ID!) { customerConsentHistory(customerId: $id) { consents { consent { status }
           withdrawal { kind ledger { seq } } } } }`,
        { id: customer.alpha },
        compliance.alpha,
      ),
    ).customerConsentHistory;
    expect(history.consents[0]).toMatchObject({
      consent: { status: 'WITHDRAWN' },
      withdrawal: { kind: 'consent.withdrawn', ledger: { seq: expect.any(Number) } },
    });

    // Once only; the tombstone cannot be restored; agents may not erase.
    const again = await alpha.gql(
      `mutation($id: ID!) { eraseCustomer(customerId: $id, reason: "again") { id } }`,
      { id: customer.alpha },
      compliance.alpha,
    );
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_ERASED' });
    await expect(
      alpha.app
        .get(DataSource)
        .query(`UPDATE customer SET deleted_at = NULL WHERE id = $1`, [customer.alpha]),
    ).rejects.toThrow(/cannot be restored/);
    const restored = await alpha.gql(
      `mutation($id: ID!) { restoreCustomer(id: $id) { id } }`,
      { id: customer.alpha },
      admin.alpha,
    );
    expect(restored.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CUSTOMER_ERASED' });
    const agent = await alpha.gql(
      `mutation($id: ID!) { eraseCustomer(customerId: $id, reason: "x") { id } }`,
      { id: customer.alpha },
      await alpha.tokenFor(Role.AGENT),
    );
    expect(agent.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const list = ok(
      await alpha.gql<{ erasureRequests: { nodes: { id: string }[] } }>(
        `{ erasureRequests { nodes { id } } }`,
        {},
        admin.alpha,
      ),
    );
    expect(list.erasureRequests.nodes.map((n) => n.id)).toEqual([erasureId]);
  }, 60_000);

  it('the violations report finds each kind of violation injected into the database', async () => {
    const a = alpha.app.get(DataSource);
    const b = beta.app.get(DataSource);
    const ref = (over: Record<string, string>) =>
      JSON.stringify([
        {
          kind: 'interaction',
          id: randomUUID(),
          consentId,
          subjectToken: 'A'.repeat(43),
          category: 'care-history',
          ...over,
        },
      ]);
    const delivery = async (records: string, agreement = agreementId, sealed = `now()`): Promise<string> => {
      const id = randomUUID();
      await a.query(
        `INSERT INTO share_delivery (id, recipient, agreement_id, records, record_count, status, channel, sealed_at, delivered_at)
         VALUES ($1, 'beta-bank', $2, $3, 1, 'delivered', 'push', ${sealed}, now())`,
        [id, agreement, records],
      );
      return id;
    };
    // Sealed a while after the withdrawal (not at now(), which may be within the check's second of it).
    const afterWithdrawal = `(SELECT withdrawn_at + interval '5 seconds' FROM consent WHERE id = '${consentId}')`;
    const injected = {
      share_after_withdrawal: await delivery(ref({}), agreementId, afterWithdrawal),
      share_without_live_consent: await delivery(ref({ consentId: randomUUID() })),
      share_outside_consent: await delivery(ref({ category: 'contact' }), agreementId, afterWithdrawal),
      share_outside_agreement: await delivery(ref({}), 'agr-unknown-0001', afterWithdrawal),
    };
    // Records that are not of the consent's subject, sent under it before its withdrawal: one of
    // another customer, and one of the subject's that moved to another customer after it was sent
    // (its sent ref follows it: the check compares with the record's current owner).
    const beforeWithdrawal = `(SELECT withdrawn_at - interval '5 seconds' FROM consent WHERE id = '${consentId}')`;
    const [other]: { id: string }[] = await a.query(
      `INSERT INTO customer (first_name, last_name) VALUES ('Other', 'Customer') RETURNING id`,
    );
    const interactionOf = async (customerId: string): Promise<string> =>
      (
        (await a.query(
          `INSERT INTO interaction (customer_id, channel, direction, subject) VALUES ($1, 'phone', 'inbound', 'Call') RETURNING id`,
          [customerId],
        )) as { id: string }[]
      )[0]!.id;
    const foreignRecord = await interactionOf(other!.id);
    const movedRecord = await interactionOf(customer.alpha!);
    const beforeRegistration = await delivery(
      ref({ id: movedRecord }),
      agreementId,
      `(SELECT registered_at - interval '1 hour' FROM consent WHERE id = '${consentId}')`,
    );
    const notOfSubject = {
      foreign: await delivery(ref({ id: foreignRecord }), agreementId, beforeWithdrawal),
      moved: await delivery(ref({ id: movedRecord }), agreementId, beforeWithdrawal),
    };
    await a.query(`UPDATE interaction SET customer_id = $2 WHERE id = $1`, [movedRecord, other!.id]);
    await a.query(
      `INSERT INTO share_purge (consent_id, recipient, status, requested_at) VALUES ($1, 'gamma-telecom', 'requested', now() - interval '2 days')`,
      [consentId],
    );
    const copy = async (over: {
      consent?: string;
      agreement?: string;
      retention?: string;
    }): Promise<string> => {
      const recordId = `interaction:${randomUUID()}`;
      await b.query(
        `INSERT INTO shared_record (origin_partner_id, origin_record_id, kind, category, consent_id, agreement_id, envelope_id,
           subject_token, customer_id, title, data, occurred_at, signature_status, retention_ends_at)
         VALUES ('alpha-shop', $1, 'interaction', 'care-history', $2, $3, $4, $5, $6, 'Injected', '{}', now(), 'verified', ${
           over.retention ?? `now() + interval '10 days'`
         })`,
        [
          recordId,
          over.consent ?? randomUUID(),
          over.agreement ?? agreementId,
          randomUUID(),
          'B'.repeat(43),
          customer.beta,
        ],
      );
      return recordId;
    };
    const received = {
      received_after_withdrawal: await copy({ consent: wireId }),
      received_outside_agreement: await copy({ agreement: 'agr-unknown-0002' }),
      retention_exceeded: await copy({ retention: `now() - interval '10 days'` }),
    };
    const retainedTooLong = await copy({ retention: `now() + interval '10 years'` });
    const [access]: { id: string }[] = await b.query(
      `INSERT INTO shared_access (user_id, customer_id, shared_record_ids, origin_record_ids, origin_partner_ids, consent_ids, accessed_at)
       SELECT NULL, $1, '{}', '{}', ARRAY['alpha-shop'], ARRAY[$2], w.withdrawn_at + interval '5 seconds'
         FROM shared_consent_withdrawn w WHERE w.consent_id = $2 RETURNING id`,
      [customer.beta, wireId],
    );

    const atAlpha = ok(await alpha.gql<Violations>(VIOLATIONS, {}, compliance.alpha)).complianceViolations;
    const atBeta = ok(await beta.gql<Violations>(VIOLATIONS, {}, compliance.beta)).complianceViolations;
    const found = (report: Violations['complianceViolations'], kind: string) =>
      report.violations.filter((v) => v.kind === kind);
    for (const [kind, envelopeId] of Object.entries(injected)) {
      expect(found(atAlpha, kind.toUpperCase()).map((v) => v.envelopeId)).toContain(envelopeId);
      expect(found(atAlpha, kind.toUpperCase()).every((v) => v.side === 'holding')).toBe(true);
    }
    expect(found(atAlpha, 'SHARE_WITHOUT_LIVE_CONSENT')).toContainEqual(
      expect.objectContaining({
        envelopeId: beforeRegistration,
        detail: 'consent not registered with the federation when sent',
      }),
    );
    for (const envelopeId of Object.values(notOfSubject)) {
      expect(found(atAlpha, 'SHARE_OUTSIDE_CONSENT')).toContainEqual(
        expect.objectContaining({ envelopeId, detail: "the record is not of the consent's subject" }),
      );
    }
    expect(found(atAlpha, 'PURGE_UNCONFIRMED')).toEqual([
      expect.objectContaining({ consentId, partnerId: 'gamma-telecom' }),
    ]);
    for (const [kind, recordId] of Object.entries(received)) {
      expect(found(atBeta, kind.toUpperCase()).map((v) => v.recordId)).toContain(recordId);
    }
    expect(found(atBeta, 'RETENTION_EXCEEDED')).toContainEqual(
      expect.objectContaining({
        recordId: retainedTooLong,
        detail: expect.stringMatching(/^retention set beyond the agreement's \d+ days$/),
      }),
    );
    expect(found(atBeta, 'ACCESS_AFTER_WITHDRAWAL').map((v) => v.recordId)).toEqual([access!.id]);
    // The three deliveries injected under the (withdrawn) consent after its withdrawal.
    expect(atAlpha.checks.find((c) => c.kind === 'SHARE_AFTER_WITHDRAWAL')!.count).toBe(3);
    expect(atAlpha.total).toBeGreaterThanOrEqual(5);
    // Nothing on the other side's checks comes from the other node's data.
    expect(atBeta.violations.every((v) => v.side === 'receiving')).toBe(true);
  });
});
