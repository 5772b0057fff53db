import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import {
  generateSigningKeyPair,
  signJwt,
  signMessage,
  unverifiedJwsPart,
  unverifiedKid,
  type Ed25519PrivateJwk,
} from '#protocol';
import {
  ENTITY_STATEMENT_TYP,
  FederationClient,
  NODE_PATHS,
  RELAY_AUTHORIZATION_SCHEME,
  RELAY_TOKEN_TYP,
  bodyHash,
  type EntityStatementResponse,
} from '#federation-client';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { FederationKeysService } from '../apps/federation/src/keys/federation-keys.service.js';
import { startTestFederation, type TestFederation } from '../apps/federation/src/testing/test-federation.js';
import { FederationCheckpointWatch } from '../apps/partner-node/src/ledger/federation-checkpoint.watch.js';
import { NetworkService } from '../apps/partner-node/src/network/network.service.js';
import type { TestNode } from '../apps/partner-node/src/testing/test-node.js';
import { Role } from '../apps/partner-node/src/users/role.js';
import {
  consentingCustomer,
  joinNetwork,
  ok,
  openCareCase,
  startPartners,
  waitFor,
} from '../apps/partner-node/src/testing/network.js';

/** The nodes' settings for this test (validated with the rest of their configuration). */
const NODE_SETTINGS = {
  SHARING_SWEEP_MS: '1000',
  SHARING_BACKOFF_MS: '200',
};

const GRACE_SECONDS = 4;
const headerKid = (jws: string): string => unverifiedKid(jws)!;

/**
 * Invariant 2, the federation's own key: it rotates without any node re-pinning. The new key is
 * announced by a statement signed by the old one, a grace period ahead; nodes follow the chain
 * from the key they pinned (at their next directory refresh, or on the first message signed by
 * the new key) and keep pushing and pulling throughout. A forged rotation is refused and recorded.
 */
describe('federation key rotation: nodes follow it from their pinned key, with no downtime', () => {
  let federation: TestFederation;
  let alpha: TestNode;
  let beta: TestNode;
  let customers: { holderCustomer: string; recipientCustomer: string };

  const pinnedKids = async (node: TestNode): Promise<string[]> => {
    const [row]: { federation_kids: string[] }[] = await node.app
      .get(DataSource)
      .query(`SELECT federation_kids FROM network_membership`);
    return row!.federation_kids;
  };
  const entityStatement = async (): Promise<EntityStatementResponse> =>
    (
      await fetch(`${federation.url}/.well-known/concordia-federation`)
    ).json() as Promise<EntityStatementResponse>;
  let pushed = 0;
  const push = async (subject: string): Promise<void> => {
    await alpha.app
      .get(DataSource)
      .query(
        `INSERT INTO interaction (customer_id, channel, direction, subject) VALUES ($1, 'email', 'inbound', $2)`,
        [customers.holderCustomer, subject],
      );
    pushed += 1;
    await waitFor(`"${subject}" pushed to beta`, async () => {
      const [row]: { n: string }[] = await beta.app
        .get(DataSource)
        .query(`SELECT count(*) AS n FROM shared_record WHERE origin_partner_id = 'alpha-rot'`);
      return Number(row!.n) === pushed;
    });
  };

  beforeAll(async () => {
    federation = await startTestFederation('rotation_fed');
    ({ alpha, beta } = await startPartners(
      'rotation',
      federation.url,
      {
        alpha: 'alpha-rot',
        beta: 'beta-rot',
      },
      NODE_SETTINGS,
    ));
    const admin = await joinNetwork(federation, { alpha, beta });
    customers = await consentingCustomer(
      { node: alpha, admin: admin.alpha! },
      { node: beta, admin: admin.beta! },
      'grace@example.org',
    );
  }, 120_000);

  afterAll(async () => {
    await alpha?.close();
    await beta?.close();
    await federation?.close();
  });

  let oldKid: string;
  let newKid: string;
  let oldPrivate: Ed25519PrivateJwk;

  it('announces the next key under the current one; nodes pin it at their next refresh', async () => {
    await push('before the rotation');
    oldKid = headerKid((await entityStatement()).statement);
    oldPrivate = await federation.app.get(FederationKeysService).signingKey();
    expect(oldPrivate.kid).toBe(oldKid);
    expect(await pinnedKids(beta)).toEqual([oldKid]);
    const rotated = ok(
      await federation.gql<{ rotateFederationKey: { kid: string; status: string; activatesAt: string } }>(
        `mutation($grace: Int) { rotateFederationKey(graceSeconds: $grace) { kid status activatesAt } }`,
        { grace: GRACE_SECONDS },
        federation.operatorToken,
      ),
    ).rotateFederationKey;
    expect(rotated.status).toBe('NEXT');
    newKid = rotated.kid;
    const published = await entityStatement();
    expect(headerKid(published.statement)).toBe(oldKid); // the old key still signs
    expect(published.rotations.map(headerKid)).toEqual([oldKid]);
    expect(published.keys.find((k) => k.kid === newKid)?.status).toBe('next');

    // A second rotation before the first activates is refused.
    const again = await federation.gql(
      `mutation { rotateFederationKey(graceSeconds: 1) { kid } }`,
      {},
      federation.operatorToken,
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ROTATION_IN_PROGRESS' });

    await beta.app.get(NetworkService).refreshDirectory();
    expect((await pinnedKids(beta)).sort()).toEqual([oldKid, newKid].sort());
    await push('during the grace period');
  });

  it('after the grace period the new key signs; both nodes keep pushing and pulling', async () => {
    await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000 + 1500));
    const published = await entityStatement();
    expect(headerKid(published.statement)).toBe(newKid);
    expect(published.keys.find((k) => k.kid === oldKid)?.status).toBe('historical');
    // Alpha has not refreshed since the rotation: the first relay call signed by the new key
    // (beta's pull below) makes it follow the chain from its pinned key.
    expect(await pinnedKids(alpha)).toEqual([oldKid]);
    await push('after the switch');
    const agent = await beta.tokenFor(Role.AGENT);
    const timeline = ok(
      await beta.gql<{ customerTimeline: { nodes: { origin: string; originPartnerId: string | null }[] } }>(
        `query($id: ID!, $reason: SharedHistoryReasonInput) {
          customerTimeline(customerId: $id, first: 50, includeShared: true, reason: $reason) {
          nodes { origin originPartnerId } } }`,
        { id: customers.recipientCustomer, reason: await openCareCase(beta, customers.recipientCustomer) },
        agent,
      ),
    );
    expect(timeline.customerTimeline.nodes.filter((n) => n.originPartnerId === 'alpha-rot')).toHaveLength(3);
    await alpha.app.get(NetworkService).refreshDirectory();
    expect(await pinnedKids(alpha)).toEqual([newKid]);
    await beta.app.get(NetworkService).refreshDirectory();
    expect(await pinnedKids(beta)).toEqual([newKid]);
  });

  it('the retired key verifies only what it signed before retiring: a relay token it signs now is refused and recorded', async () => {
    const network = beta.app.get(NetworkService);
    const [row]: { retirements: Record<string, number> }[] = await beta.app
      .get(DataSource)
      .query(`SELECT federation_key_retirements AS retirements FROM network_membership`);
    const retiredAt = row!.retirements[oldKid]!;
    expect(retiredAt).toEqual(expect.any(Number));
    const anchor = await network.trustAnchor();

    // A membership statement the old key signed before it retired still verifies; the same one
    // signed by it now (a leaked old key) does not.
    const entry = (await federation.client.members()).find((member) => member.partnerId === 'alpha-rot')!;
    const statement = unverifiedJwsPart(entry.statement, 'claims')!;
    const resigned = (iat: number, jti: string) =>
      signMessage('membership-statement', { ...statement, iat, jti } as never, oldPrivate);
    await expect(
      network.verifyEntry({ ...entry, statement: resigned(retiredAt - 1, 'statement-before-0001') }, anchor),
    ).resolves.toBeUndefined();
    await expect(
      network.verifyEntry({ ...entry, statement: resigned(retiredAt + 1, 'statement-after-0001') }, anchor),
    ).rejects.toMatchObject({ code: 'KEY_RETIRED' });

    // A relay call to beta signed by the old key today: refused before anything runs, and recorded.
    const body = {
      requestId: 'request-after-retirement-0001',
      requester: 'alpha-rot',
      agreementId: 'agreement-unknown-0001',
      subjectTokens: ['A'.repeat(43)],
      categories: ['care-history'],
    };
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(
      RELAY_TOKEN_TYP,
      {
        iss: anchor.federationId,
        aud: 'beta-rot',
        iat: now,
        exp: now + 60,
        jti: 'relay-after-retirement-0001',
        htm: 'POST',
        htu: NODE_PATHS.historyRequests,
        bodyHash: bodyHash(body),
        from: 'alpha-rot',
      },
      oldPrivate,
    );
    const response = await fetch(`${beta.url}/concordia${NODE_PATHS.historyRequests}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `${RELAY_AUTHORIZATION_SCHEME} ${token}`,
      },
      body: JSON.stringify(body),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).toContain('KEY_RETIRED');
    const refusals: { reason: string; kid: string }[] = await beta.app
      .get(DataSource)
      .query(`SELECT reason, kid FROM refusal WHERE jti = 'relay-after-retirement-0001'`);
    expect(refusals).toEqual([{ reason: 'KEY_RETIRED', kid: oldKid }]);
  });

  it('a forged rotation is refused and recorded; the pinned keys do not change', async () => {
    const network = beta.app.get(NetworkService);
    const genuine = await entityStatement();
    const { claims } = await new FederationClient({ baseUrl: federation.url }).acceptEntityStatement(genuine);
    const attacker = generateSigningKeyPair();
    const forgedStatement = signJwt(
      ENTITY_STATEMENT_TYP,
      {
        ...claims,
        iat: Math.floor(Date.now() / 1000),
        jti: 'forged-entity-statement-0001',
        jwks: { keys: [attacker.publicJwk] },
        keys: [{ kid: attacker.kid, status: 'current', createdAt: claims.iat }],
      },
      attacker.privateJwk,
    );
    const rotationClaims = {
      iss: 'test-net',
      sub: 'test-net',
      exp: Math.floor(Date.now() / 1000) + 3600,
      jwk: attacker.publicJwk,
      previousKid: newKid,
      activatesAt: Math.floor(Date.now() / 1000),
    };
    const cases: [string, string[], string][] = [
      // Claims to be signed by the pinned key, but is signed by the attacker's.
      [
        'signed by another key under the pinned kid',
        [signMessage('federation-key-rotation', rotationClaims, { ...attacker.privateJwk, kid: newKid })],
        'SIGNATURE_INVALID',
      ],
      // Signed by the attacker's own key: no chain from the pinned key reaches it.
      [
        'signed by an unknown key',
        [signMessage('federation-key-rotation', rotationClaims, attacker.privateJwk)],
        'UNKNOWN_KEY',
      ],
      ['missing', [], 'UNKNOWN_KEY'],
    ];
    const refusals = async () =>
      (await beta.app
        .get(DataSource)
        .query(`SELECT reason FROM refusal WHERE kind = 'entity-statement' ORDER BY created_at`)) as {
        reason: string;
      }[];
    const before = (await refusals()).length;
    for (const [name, rotations, code] of cases) {
      const refused = await network.refreshTrust({ statement: forgedStatement, rotations }).then(
        () => 'accepted',
        (error: unknown) => (error instanceof RefusedMessageError ? error.reason : `crash: ${String(error)}`),
      );
      expect([name, refused]).toEqual([name, code]);
    }
    expect((await refusals()).slice(before).map((r) => r.reason)).toEqual(cases.map(([, , code]) => code));
    expect(await pinnedKids(beta)).toEqual([newKid]);
    // The genuine statement still verifies, and sharing goes on.
    await network.refreshTrust(genuine);
    await push('after the forgeries');
  });

  it('a node whose pinned key is rotated away follows the chain for ledger checkpoints too, with no alert', async () => {
    const watch = alpha.app.get(FederationCheckpointWatch);
    ok(
      await federation.gql(
        `mutation { signFederationLedgerCheckpoint { size } }`,
        {},
        federation.operatorToken,
      ),
    );
    expect(await watch.check()).not.toBeNull();
    // Rotate with no grace: the federation signs with a key alpha has never pinned.
    const rotated = ok(
      await federation.gql<{ rotateFederationKey: { kid: string; status: string } }>(
        `mutation { rotateFederationKey(graceSeconds: 0) { kid status } }`,
        {},
        federation.operatorToken,
      ),
    ).rotateFederationKey;
    expect(rotated.status).toBe('CURRENT');
    expect(await pinnedKids(alpha)).not.toContain(rotated.kid);
    await push('after a second rotation');
    ok(
      await federation.gql(
        `mutation { signFederationLedgerCheckpoint { size } }`,
        {},
        federation.operatorToken,
      ),
    );
    const checkpoint = await watch.check();
    expect(checkpoint).not.toBeNull();
    expect(await pinnedKids(alpha)).toContain(rotated.kid);
    const alerts: unknown[] = await alpha.app.get(DataSource).query(`SELECT * FROM ledger_alert`);
    expect(alerts).toEqual([]);
  });
});
