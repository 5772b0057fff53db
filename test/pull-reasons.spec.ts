import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import {
  agentRef,
  generateSigningKeyPair,
  relationshipRef,
  signMessage,
  unverifiedJwsPart,
  type MessageInput,
} from '#protocol';
import { RELAY_PATHS, type HistoryResponse } from '#federation-client';
import { startTestFederation, type TestFederation } from '../apps/federation/src/testing/test-federation.js';
import { AgreementsService } from '../apps/partner-node/src/agreements/agreements.service.js';
import { KeysService } from '../apps/partner-node/src/keys/keys.service.js';
import { RelayClient } from '../apps/partner-node/src/sharing/relay-client.js';
import type { TestNode } from '../apps/partner-node/src/testing/test-node.js';
import { Role } from '../apps/partner-node/src/users/role.js';
import {
  addCustomer,
  agree,
  giveConsent,
  joinNetwork,
  ok,
  openCareCase,
  publishNotice,
  startPartners,
} from '../apps/partner-node/src/testing/network.js';

/**
 * Pulls tied to a relationship (issue 16, item 3): alpha holds a customer's history and consented
 * sharing with beta; beta's agents read it only for a care case or interaction of the customer,
 * each pull carries a history request signed by beta (reason and agent as opaque references),
 * alpha verifies and records it, rate-limits per agent and partner, and alerts its compliance
 * officer when beta created the customer just before the pull.
 */
/** The nodes' settings for this test (validated with the rest of their configuration). */
const NODE_SETTINGS = {
  SHARING_PULL_TIMEOUT_MS: '2000',
  SHARING_PULL_AGENT_LIMIT: '6',
};

const EMAIL = 'grace.hopper@example.org';
const FISHED = 'ada.lovelace@example.org';
const TIMELINE = `query($id: ID!, $reason: SharedHistoryReasonInput) {
  customerTimeline(customerId: $id, first: 50, includeShared: true, reason: $reason) {
    sharedHistoryNeedsReason nodes { origin title }
  }
}`;
const REFRESH = `mutation($id: ID!, $reason: SharedHistoryReasonInput!) {
  refreshSharedHistory(customerId: $id, reason: $reason) { partial outcomes { holder status stored error } }
}`;
interface Page {
  customerTimeline: { sharedHistoryNeedsReason: boolean; nodes: { origin: string; title: string }[] };
}
interface Refresh {
  refreshSharedHistory: {
    partial: boolean;
    outcomes: { holder: string; status: string; error: string | null }[];
  };
}

describe('pulls tied to a relationship: federation + two partner nodes (PostgreSQL, Redis)', () => {
  let federation: TestFederation;
  let alpha: TestNode;
  let beta: TestNode;
  let agreementId: string;
  let agent: string;
  let agentId: string;
  const customer: Record<string, string> = {};
  const alphaDb = () => alpha.app.get(DataSource);
  const betaDb = () => beta.app.get(DataSource);
  const refusalsAtAlpha = async (reason: string): Promise<number> => {
    const [row]: { n: string }[] = await alphaDb().query(
      `SELECT count(*) AS n FROM refusal WHERE kind = 'history-request' AND reason = $1`,
      [reason],
    );
    return Number(row!.n);
  };

  beforeAll(async () => {
    federation = await startTestFederation('pullreason_fed');
    ({ alpha, beta } = await startPartners(
      'pullreason',
      federation.url,
      {
        alpha: 'alpha-pr',
        beta: 'beta-pr',
      },
      NODE_SETTINGS,
    ));
    const admin = await joinNetwork(federation, { alpha, beta });
    agreementId = await agree({ node: alpha, admin: admin.alpha! }, { node: beta, admin: admin.beta! });
    ({ token: agent, id: agentId } = await beta.userFor(Role.AGENT));
    const notice = await publishNotice({ node: alpha, admin: admin.alpha! });
    for (const [name, email] of [
      ['known', EMAIL],
      ['fished', FISHED],
    ] as const) {
      customer[`alpha-${name}`] = await addCustomer(alpha, email);
      await alphaDb().query(
        `INSERT INTO interaction (customer_id, channel, direction, subject, occurred_at)
         VALUES ($1, 'phone', 'inbound', $2, '2025-01-02T10:00:00Z')`,
        [customer[`alpha-${name}`], `Call about ${name}`],
      );
      const given = await giveConsent(
        { node: alpha, admin: admin.alpha! },
        { customerId: customer[`alpha-${name}`]!, recipient: 'beta-pr', privacyNoticeId: notice },
      );
      expect(given.registrationStatus).toBe('REGISTERED');
    }
    // Beta has known the first customer for a long time.
    customer.known = await addCustomer(beta, EMAIL);
    await betaDb().query(`UPDATE customer SET created_at = now() - interval '400 days' WHERE id = $1`, [
      customer.known,
    ]);
  }, 120_000);

  afterAll(async () => {
    await alpha?.close();
    await beta?.close();
    await federation?.close();
  });

  it('without a reason the timeline holds local items only and says a reason is needed; nothing is pulled', async () => {
    const page = ok(await beta.gql<Page>(TIMELINE, { id: customer.known }, agent));
    expect(page.customerTimeline.sharedHistoryNeedsReason).toBe(true);
    expect(page.customerTimeline.nodes.filter((n) => n.origin === 'PARTNER')).toEqual([]);
    const [answers]: { n: string }[] = await alphaDb().query(`SELECT count(*) AS n FROM pull_answer`);
    expect(Number(answers!.n)).toBe(0);
    const refresh = await beta.gql(REFRESH, { id: customer.known, reason: {} }, agent);
    expect(refresh.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  });

  it("another customer's case, an unknown or a stale reason: BAD_USER_INPUT naming reason, nothing pulled", async () => {
    const stranger = await addCustomer(beta, 'someone.else@example.org');
    const othersCase = await openCareCase(beta, stranger);
    const [oldCall]: { id: string }[] = await betaDb().query(
      `INSERT INTO interaction (customer_id, channel, direction, occurred_at, created_at)
       VALUES ($1, 'phone', 'inbound', now() - interval '90 days', now() - interval '90 days') RETURNING id`,
      [customer.known],
    );
    const [closedCase]: { id: string }[] = await betaDb().query(
      `INSERT INTO care_case (customer_id, subject, status, resolution, resolved_at, closed_at, created_at)
       VALUES ($1, 'Old case', 'closed', 'Done', now() - interval '60 days', now() - interval '60 days',
               now() - interval '70 days') RETURNING id`,
      [customer.known],
    );
    for (const reason of [
      othersCase,
      { careCaseId: closedCase!.id },
      { careCaseId: '00000000-0000-4000-8000-000000000000' },
      { interactionId: oldCall!.id },
      { careCaseId: othersCase.careCaseId, interactionId: oldCall!.id },
    ]) {
      for (const query of [TIMELINE, REFRESH]) {
        const result = await beta.gql(query, { id: customer.known, reason }, agent);
        expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      }
    }
    const [pulls]: { n: string }[] = await betaDb().query(`SELECT count(*) AS n FROM shared_pull`);
    expect(Number(pulls!.n)).toBe(0);
  });

  it('a pull for a care case works and is recorded at both sides: reason, agent, request and answer tied', async () => {
    const reason = await openCareCase(beta, customer.known!);
    const page = ok(await beta.gql<Page>(TIMELINE, { id: customer.known, reason }, agent));
    expect(page.customerTimeline.sharedHistoryNeedsReason).toBe(false);
    expect(page.customerTimeline.nodes.filter((n) => n.origin === 'PARTNER').map((n) => n.title)).toEqual([
      'Call about known',
    ]);

    const [pull]: { user_id: string; reason_kind: string; reason_id: string; request_ids: string[] }[] =
      await betaDb().query(`SELECT user_id, reason_kind, reason_id, request_ids FROM shared_pull`);
    expect(pull).toMatchObject({ user_id: agentId, reason_kind: 'care-case', reason_id: reason.careCaseId });
    expect(pull!.request_ids).toHaveLength(1);
    const requestId = pull!.request_ids[0]!;
    const [access]: { reason_kind: string; reason_id: string }[] = await betaDb().query(
      `SELECT reason_kind, reason_id FROM shared_access`,
    );
    expect(access).toEqual({ reason_kind: 'care-case', reason_id: reason.careCaseId });

    const [answer]: Record<string, unknown>[] = await alphaDb().query(
      `SELECT requester, relationship_kind, relationship_ref, agent_ref, status, records, alert, envelope_id
         FROM pull_answer WHERE request_id = $1`,
      [requestId],
    );
    // Beta can show which case and agent a pull named; alpha holds opaque references only.
    expect(answer).toEqual({
      requester: 'beta-pr',
      relationship_kind: 'care-case',
      relationship_ref: relationshipRef(requestId, reason.careCaseId),
      agent_ref: agentRef(agreementId, agentId),
      status: 'answered',
      records: 1,
      alert: false,
      envelope_id: expect.any(String),
    });
    // The answer names the request it answers, in its signed claims (kept as evidence at beta).
    const [evidence]: { jws: string }[] = await betaDb().query(
      `SELECT e.jws FROM share_receipt r JOIN share_evidence e ON e.hash = r.envelope_hash WHERE r.envelope_id = $1`,
      [answer!.envelope_id],
    );
    expect(unverifiedJwsPart(evidence!.jws, 'claims')).toMatchObject({ inResponseTo: requestId });
    const [entry]: { n: string }[] = await alphaDb().query(
      `SELECT count(*) AS n FROM (SELECT kind, entry FROM ledger_entry UNION ALL SELECT kind, entry FROM ledger_queue) e
        WHERE kind = 'share.pull-answered' AND entry::jsonb->'data'->>'requestId' = $1`,
      [requestId],
    );
    expect(Number(entry!.n)).toBeGreaterThanOrEqual(1);
  });

  describe('history requests that are missing, forged, replayed, expired or tampered', () => {
    const relayed = async (request: string | undefined, tokens?: string[]) => {
      const subjectTokens =
        tokens ??
        (await alpha.app.get(AgreementsService).subjectTokensFor(customer['alpha-known']!, agreementId)).map(
          (t) => t.token,
        );
      const response = await beta.app.get(RelayClient).post<HistoryResponse>(RELAY_PATHS.historyRequests, {
        requests: [{ holder: 'alpha-pr', agreementId, subjectTokens, ...(request ? { request } : {}) }],
        timeoutMs: 2000,
      });
      return { result: response.results[0]!, subjectTokens };
    };
    const claims = async (change: Partial<MessageInput<'history-request'>> = {}) => {
      const subjectTokens = (
        await alpha.app.get(AgreementsService).subjectTokensFor(customer['alpha-known']!, agreementId)
      ).map((t) => t.token);
      const now = Math.floor(Date.now() / 1000);
      return {
        iss: 'beta-pr',
        aud: 'alpha-pr',
        iat: now,
        exp: now + 60,
        agreementId,
        purpose: 'customer-care',
        subjectTokens,
        categories: ['care-history', 'orders'],
        relationship: { kind: 'care-case', ref: relationshipRef('x'.repeat(8), 'y') },
        agent: agentRef(agreementId, 'scripted-agent'),
        relationshipStartedAt: now - 60,
        customerCreatedAt: now - 400 * 86_400,
        ...change,
      } as MessageInput<'history-request'>;
    };

    it('a pull without a signed request is refused and recorded at the holder', async () => {
      const before = await refusalsAtAlpha('HISTORY_REQUEST_MISSING');
      const { result } = await relayed(undefined);
      expect(result).toMatchObject({ status: 'refused', error: { code: 'HISTORY_REQUEST_MISSING' } });
      expect(await refusalsAtAlpha('HISTORY_REQUEST_MISSING')).toBe(before + 1);
    });

    it('a request signed with a key outside the directory is refused and recorded', async () => {
      const forged = signMessage('history-request', await claims(), generateSigningKeyPair().privateJwk);
      const { result } = await relayed(forged);
      expect(result.status).toBe('refused');
      expect(result.error!.code).toBe('UNKNOWN_KEY');
      expect(await refusalsAtAlpha('UNKNOWN_KEY')).toBeGreaterThan(0);
    });

    it('a replayed request is refused and recorded; the first one was answered', async () => {
      const request = await beta.app.get(KeysService).sign('history-request', await claims());
      expect((await relayed(request)).result.status).toBe('ok');
      const { result } = await relayed(request);
      expect(result).toMatchObject({ status: 'refused', error: { code: 'REPLAYED' } });
      expect(await refusalsAtAlpha('REPLAYED')).toBe(1);
    });

    it('an expired request is refused and recorded', async () => {
      const now = Math.floor(Date.now() / 1000);
      const request = await beta.app
        .get(KeysService)
        .sign(
          'history-request',
          await claims({ iat: now - 400, exp: now - 300, relationshipStartedAt: now - 500 }),
        );
      const { result } = await relayed(request);
      expect(result).toMatchObject({ status: 'refused', error: { code: 'EXPIRED' } });
      expect(await refusalsAtAlpha('EXPIRED')).toBe(1);
    });

    it('a request signed for other subjects than those relayed is refused and recorded', async () => {
      const request = await beta.app
        .get(KeysService)
        .sign('history-request', await claims({ subjectTokens: ['A'.repeat(43)] }));
      const { result } = await relayed(request);
      expect(result).toMatchObject({ status: 'refused', error: { code: 'REQUEST_MISMATCH' } });
      expect(await refusalsAtAlpha('REQUEST_MISMATCH')).toBe(1);
    });
  });

  it('rate limits: the holder refuses an agent past its hourly limit (recorded), the requester its own agent', async () => {
    // At alpha: requests signed by beta for one scripted agent ref, past SHARING_PULL_AGENT_LIMIT (6).
    const keys = beta.app.get(KeysService);
    const subjectTokens = (
      await alpha.app.get(AgreementsService).subjectTokensFor(customer['alpha-known']!, agreementId)
    ).map((t) => t.token);
    const statuses: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const now = Math.floor(Date.now() / 1000);
      const request = await keys.sign('history-request', {
        iss: 'beta-pr',
        aud: 'alpha-pr',
        iat: now,
        exp: now + 60,
        agreementId,
        purpose: 'customer-care',
        subjectTokens,
        categories: ['care-history'],
        relationship: { kind: 'interaction', ref: relationshipRef(`request-${i}`, 'z') },
        agent: agentRef(agreementId, 'busy-agent'),
        relationshipStartedAt: now,
        customerCreatedAt: now - 400 * 86_400,
      });
      const response = await beta.app.get(RelayClient).post<HistoryResponse>(RELAY_PATHS.historyRequests, {
        requests: [{ holder: 'alpha-pr', agreementId, subjectTokens, request }],
      });
      statuses.push(response.results[0]!.error?.code ?? response.results[0]!.status);
    }
    expect(statuses).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED_AGENT']);
    const [limited]: { n: string }[] = await alphaDb().query(
      `SELECT count(*) AS n FROM pull_answer WHERE status = 'rate-limited' AND refusal = 'RATE_LIMITED_AGENT'
          AND agent_ref = $1`,
      [agentRef(agreementId, 'busy-agent')],
    );
    expect(Number(limited!.n)).toBe(1);

    // At beta: its agent pulled once so far; five more pass, the next is TOO_MANY_REQUESTS.
    const reason = await openCareCase(beta, customer.known!, 'Follow-up');
    const codes: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const result = await beta.gql<Refresh>(REFRESH, { id: customer.known, reason }, agent);
      codes.push((result.errors?.[0]?.extensions?.code as string | undefined) ?? 'ok');
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'TOO_MANY_REQUESTS']);
    const [refused]: { n: string }[] = await betaDb().query(
      `SELECT count(*) AS n FROM shared_pull WHERE status = 'rate-limited' AND user_id = $1`,
      [agentId],
    );
    expect(Number(refused!.n)).toBe(1);
  });

  it("fishing: a customer created at beta with someone's e-mail and pulled at once raises alpha's alert", async () => {
    const fisher = await beta.tokenFor(Role.AGENT);
    const fished = await addCustomer(beta, FISHED);
    const reason = await openCareCase(beta, fished, 'Pretext');
    const page = ok(await beta.gql<Page>(TIMELINE, { id: fished, reason }, fisher));
    // The pull itself still works (the person consented): what changes is that alpha notices.
    expect(page.customerTimeline.nodes.filter((n) => n.origin === 'PARTNER').map((n) => n.title)).toEqual([
      'Call about fished',
    ]);
    const compliance = await alpha.tokenFor(Role.COMPLIANCE);
    const alerts = ok(
      await alpha.gql<{
        pullAlerts: {
          nodes: {
            requester: string;
            relationshipKind: string;
            status: string;
            records: number;
            alert: boolean;
          }[];
        };
      }>(
        `{ pullAlerts { nodes { requester relationshipKind status records alert customerCreatedAt } } }`,
        {},
        compliance,
      ),
    );
    expect(alerts.pullAlerts.nodes).toEqual([
      expect.objectContaining({
        requester: 'beta-pr',
        relationshipKind: 'care-case',
        status: 'answered',
        records: 1,
        alert: true,
      }),
    ]);
    const agentAsks = await alpha.gql(
      `{ pullAlerts { nodes { requestId } } }`,
      {},
      await alpha.tokenFor(Role.AGENT),
    );
    expect(agentAsks.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});
