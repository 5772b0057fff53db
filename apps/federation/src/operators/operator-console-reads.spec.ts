import { DataSource } from 'typeorm';
import { AccessTokens } from '#platform/auth/access-tokens';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OperatorsService } from './operators.service.js';
import { FederationRole } from './role.js';
import { SimulatedPartner, startTestFederation, type TestFederation } from '../testing/test-federation.js';

/**
 * The reads the operator's console screens need beyond the protocol's: an application's keys with
 * the one its signature proved, refusals between two times, and relay traffic per pair (counts).
 */
describe('federation GraphQL for the operator console', () => {
  let fed: TestFederation;
  const alice = new SimulatedPartner('alice-shop');

  beforeAll(async () => {
    fed = await startTestFederation('opreads');
  });
  afterAll(async () => fed?.close());

  it("lists an application's keys, marking the one that signed it", async () => {
    const { applicationId } = await fed.client.apply(alice.application());
    const result = await fed.gql<{
      applications: {
        nodes: { id: string; keys: { kid: string; curve: string; signedTheApplication: boolean }[] }[];
      };
    }>(`{ applications { nodes { id keys { kid curve signedTheApplication } } } }`, {}, fed.operatorToken);
    expect(result.errors).toBeUndefined();
    const application = result.data!.applications.nodes.find((a) => a.id === applicationId)!;
    expect(application.keys).toEqual([{ kid: alice.key.kid, curve: 'Ed25519', signedTheApplication: true }]);
  });

  it('filters refusals by time, refusing a period that ends before it starts at its field', async () => {
    await fed.client.apply(alice.application()).catch(() => undefined); // refused: already pending
    const since = new Date(Date.now() - 60_000).toISOString();
    const within = await fed.gql<{ refusals: { nodes: { reason: string }[] }; refusalReasons: string[] }>(
      `query($from: DateTime) { refusals(from: $from) { nodes { reason } } refusalReasons }`,
      { from: since },
      fed.operatorToken,
    );
    expect(within.data!.refusals.nodes.map((r) => r.reason)).toContain('APPLICATION_PENDING');
    expect(within.data!.refusalReasons).toContain('APPLICATION_PENDING');
    const later = await fed.gql<{ refusals: { nodes: unknown[] } }>(
      `query($from: DateTime) { refusals(from: $from) { nodes { reason } } }`,
      { from: new Date(Date.now() + 60_000).toISOString() },
      fed.operatorToken,
    );
    expect(later.data!.refusals.nodes).toEqual([]);
    const backwards = await fed.gql(
      `query($from: DateTime, $to: DateTime) { refusals(from: $from, to: $to) { nodes { id } } }`,
      {
        from: new Date().toISOString(),
        to: since,
      },
      fed.operatorToken,
    );
    expect(backwards.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('counts relay traffic per ordered pair of members, failures apart', async () => {
    // The relay's own log, as the relay writes it (metadata only).
    await fed.app.get(DataSource).query(
      `INSERT INTO relay_log (kind, request_id, from_partner, to_partner, message_id, status, reason, duration_ms)
       VALUES ('envelope','r1','a','b','m1','delivered',NULL,3), ('history','r2','a','b',NULL,'ok',NULL,5),
              ('history','r3','a','b',NULL,'timeout','TIMEOUT',900), ('withdrawal','r4','b','a','c1','purged',NULL,4)`,
    );
    const result = await fed.gql<{ relayTraffic: Record<string, unknown>[] }>(
      `{ relayTraffic { fromPartner toPartner historyRequests envelopes withdrawals failed } }`,
      {},
      fed.operatorToken,
    );
    expect(result.data!.relayTraffic).toEqual([
      { fromPartner: 'a', toPartner: 'b', historyRequests: 2, envelopes: 1, withdrawals: 0, failed: 1 },
      { fromPartner: 'b', toPartner: 'a', historyRequests: 0, envelopes: 0, withdrawals: 1, failed: 0 },
    ]);
  });

  it('refuses these reads without a login, and the application keys to the federation compliance officer', async () => {
    for (const query of ['{ relayTraffic { fromPartner } }', '{ refusalReasons }']) {
      const anonymous = await fed.gql(query);
      expect(anonymous.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    const officer = await fed.app.get(OperatorsService).create({
      email: 'reader@federation.test',
      displayName: 'Compliance officer',
      roles: [FederationRole.COMPLIANCE],
      password: 'officer password 123',
    });
    const { token } = await fed.app.get(AccessTokens).issue({ id: officer.id, roles: officer.roles });
    const traffic = await fed.gql('{ relayTraffic { fromPartner } }', {}, token);
    expect(traffic.errors).toBeUndefined();
    const keys = await fed.gql('{ applications { nodes { keys { kid } } } }', {}, token);
    expect(keys.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', allowedRoles: ['operator'] });
  });
});
