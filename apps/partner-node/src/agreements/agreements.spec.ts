import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import { AgreementState } from './agreement.enums.js';
import { effectiveState } from './agreements.service.js';

describe('agreements, node side without a federation (real PostgreSQL)', () => {
  let node: TestNode;
  let admin: string;

  beforeAll(async () => {
    node = await startTestNode('agreements');
    admin = await node.tokenFor(Role.ADMIN);
  });
  afterAll(async () => node?.close());

  const PROPOSE = `mutation($input: ProposeAgreementInput!) { proposeAgreement(input: $input) { agreementId } }`;
  const input = {
    partnerId: 'beta-bank',
    purposes: ['CUSTOMER_CARE'],
    categories: ['CONTACT'],
    direction: 'MUTUAL',
    retentionDays: 30,
    minCohortSize: 5,
    validUntil: new Date(Date.now() + 86_400_000).toISOString(),
  };

  it('needs an active membership to propose', async () => {
    const result = await node.gql(PROPOSE, { input }, admin);
    expect(result.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_A_MEMBER' });
  });

  it('validates the terms at the edge', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ purposes: [] }, 'purposes'],
      [{ retentionDays: 0 }, 'retentionDays'],
      [{ retentionDays: 4000 }, 'retentionDays'],
      [{ minCohortSize: 0 }, 'minCohortSize'],
      [{ partnerId: 'Not An Id' }, 'partnerId'],
      [{ categories: ['CONTACT', 'CONTACT'] }, 'categories'],
    ];
    for (const [overrides, field] of cases) {
      const result = await node.gql(PROPOSE, { input: { ...input, ...overrides } }, admin);
      expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('lists an empty mirror to admins only', async () => {
    const Q = `{ sharingAgreements { nodes { agreementId } pageInfo { hasNextPage } } }`;
    expect((await node.gql(Q, {}, admin)).data).toEqual({
      sharingAgreements: { nodes: [], pageInfo: { hasNextPage: false } },
    });
    for (const role of [Role.AGENT, Role.MARKETER, Role.COMPLIANCE]) {
      expect((await node.gql(Q, {}, await node.tokenFor(role))).errors![0].extensions!.code).toBe(
        'FORBIDDEN',
      );
    }
    const missing = await node.gql(
      `{ sharingAgreement(agreementId: "agr-unknown-0001") { state } }`,
      {},
      admin,
    );
    expect(missing.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('computes the state now from the signed state and the validity', () => {
    const from = new Date('2030-01-01');
    const until = new Date('2031-01-01');
    const at = (iso: string) => new Date(iso);
    expect(effectiveState(AgreementState.ACCEPTED, from, until, at('2029-06-01'))).toBe(
      AgreementState.ACCEPTED,
    );
    expect(effectiveState(AgreementState.ACCEPTED, from, until, at('2030-06-01'))).toBe(
      AgreementState.ACTIVE,
    );
    expect(effectiveState(AgreementState.PROPOSED, from, until, at('2031-06-01'))).toBe(
      AgreementState.EXPIRED,
    );
    expect(effectiveState(AgreementState.TERMINATED, from, until, at('2031-06-01'))).toBe(
      AgreementState.TERMINATED,
    );
  });
});
