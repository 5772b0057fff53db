import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createJwks,
  generateSigningKeyPair,
  jwkThumbprint,
  jwsHash,
  signMessage,
  subjectToken,
  verifyMessage,
  type MessageInput,
} from '#protocol';
import {
  DirectoryRefusalError,
  FederationError,
  MemberDirectory,
  signRequestToken,
  statementMismatch,
  verifyMembershipStatement,
  type AgreementView,
} from '#federation-client';
import { SimulatedPartner, startTestFederation, type TestFederation } from './testing/test-federation.js';

// Long enough that a loaded machine still answers within it (the federation counts whole seconds,
// so the window can be almost a second shorter); the test sleeps past it.
const GRACE_SECONDS = 5;
const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tokenKey = Buffer.alloc(32, 7);
const JANE = subjectToken(tokenKey, 'email', 'jane.doe@example.com');

describe('federation protocol over HTTP (real PostgreSQL, two simulated partners)', () => {
  let fed: TestFederation;
  const alice = new SimulatedPartner('alice-bank');
  const bob = new SimulatedPartner('bob-shop');
  const carol = new SimulatedPartner('carol-store');
  const dave = new SimulatedPartner('dave-garage');
  const aliceOldKey = alice.key;
  let agreement: AgreementView;
  let agreementJws: string;

  function consentClaims(
    from: SimulatedPartner,
    overrides: Partial<MessageInput<'consent-registration'>> = {},
  ) {
    return from.consentClaims({
      subjectTokens: [{ kind: 'email', token: JANE, keyId: 'agreement-ab-0001' }],
      ...overrides,
    });
  }

  /** Expects a refusal with this reason, no change anywhere, and exactly one more refusal recorded. */
  async function expectRefused(send: () => Promise<unknown>, reason: string, status = 422): Promise<void> {
    // A read refused after its request token was verified has used that token (its jti is spent).
    const spent = reason === 'NOT_A_PARTY' ? 1 : 0;
    const before = await fed.counts();
    const error = await send().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FederationError);
    expect({ reason: (error as FederationError).reason, status: (error as FederationError).status }).toEqual({
      reason,
      status,
    });
    const after = await fed.counts();
    expect(after).toEqual({
      ...before,
      refusal: before.refusal! + 1,
      received_message: before.received_message! + spent,
    });
  }

  beforeAll(async () => {
    fed = await startTestFederation('fedproto', { KEY_ROTATION_GRACE_SECONDS: String(GRACE_SECONDS) });
  });
  afterAll(async () => fed?.close());

  it('publishes a self-signed entity statement and its JWKS', async () => {
    const { claims } = await fed.client.entityStatement();
    expect(claims.iss).toBe('test-net');
    expect(claims.keys).toEqual([expect.objectContaining({ status: 'current' })]);
    expect(claims.endpoints.members).toBe(`${fed.url}/federation/v1/members`);
    expect(await fed.client.jwks()).toEqual(claims.jwks);
  });

  it('admits applicants after an operator approves them', async () => {
    const pending = await fed.client.apply(alice.application());
    expect(pending.status).toBe('pending');
    await expect(fed.client.member('alice-bank')).rejects.toMatchObject({ status: 404 });
    await expectRefused(() => fed.client.apply(alice.application()), 'APPLICATION_PENDING');

    const list = await fed.gql<{ applications: { nodes: { id: string; partnerId: string }[] } }>(
      `{ applications { nodes { id partnerId } } }`,
      {},
      fed.operatorToken,
    );
    expect(list.data!.applications.nodes).toEqual([{ id: pending.applicationId, partnerId: 'alice-bank' }]);
    await fed.approve(pending.applicationId);
    expect((await fed.client.application(pending.applicationId)).status).toBe('approved');

    for (const partner of [bob, carol]) {
      await fed.approve((await fed.client.apply(partner.application())).applicationId);
    }
    await fed.approve(
      (await fed.client.apply(dave.application())).applicationId,
      new Date(Date.now() + 3000),
    );

    const entry = await fed.client.member('alice-bank');
    expect(entry).toMatchObject({ status: 'active', keys: [{ kid: alice.key.kid, state: 'current' }] });
    const { claims: federation } = await fed.client.entityStatement();
    const statement = await verifyMembershipStatement(entry.statement, federation.jwks, 'test-net');
    expect(statement).toMatchObject({
      sub: 'alice-bank',
      status: 'active',
      jwks: { keys: [alice.key.publicJwk] },
    });
    const directory = await MemberDirectory.load(fed.client);
    expect(directory.entry('bob-shop')?.status).toBe('active');
  });

  it('refuses forged, tampered and mis-addressed applications', async () => {
    const stranger = new SimulatedPartner('eve-corp');
    const other = generateSigningKeyPair();
    // Signed by a key that the application does not carry.
    const forged = signMessage(
      'membership-application',
      {
        iss: 'eve-corp',
        sub: 'eve-corp',
        aud: 'test-net',
        exp: now() + 600,
        name: 'Eve',
        endpoint: 'https://eve.example',
        jwks: createJwks([stranger.key.publicJwk]),
      },
      other.privateJwk,
    );
    await expectRefused(() => fed.client.apply(forged), 'UNKNOWN_KEY');
    const [h, p, s] = stranger.application().split('.');
    const tampered = JSON.parse(Buffer.from(p!, 'base64url').toString());
    tampered.name = 'Alice Bank';
    const tamperedJws = [h, Buffer.from(JSON.stringify(tampered)).toString('base64url'), s].join('.');
    await expectRefused(() => fed.client.apply(tamperedJws), 'SIGNATURE_INVALID');
    const elsewhere = stranger.sign('membership-application', {
      sub: 'eve-corp',
      aud: 'other-net',
      name: 'Eve',
      endpoint: 'https://eve.example',
      jwks: createJwks([stranger.key.publicJwk]),
    });
    await expectRefused(() => fed.client.apply(elsewhere), 'WRONG_AUDIENCE');
    await expectRefused(
      () => fed.client.apply(new SimulatedPartner('alice-bank').application()),
      'ALREADY_MEMBER',
    );
    await expectRefused(() => fed.client.apply('not.a.jws'), 'MALFORMED');
    // A key of small order, under which anyone "signs": the identity point, with R = identity and
    // S = 0, verifies for any message under OpenSSL. Its JWKS is refused, and the application with it.
    const identity = Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]);
    const weak = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: identity.toString('base64url') };
    // Written by hand: signMessage itself refuses to carry such a key.
    const template = stranger.application();
    const [header, original] = template.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(original, 'base64url').toString()) as { jwks: unknown };
    // Members in RFC 8785 order, as the payload must be canonical.
    claims.jwks = {
      keys: [{ alg: 'EdDSA', crv: 'Ed25519', kid: jwkThumbprint(weak), kty: 'OKP', use: 'sig', x: weak.x }],
    };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const weakHeader = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    weakHeader.kid = jwkThumbprint(weak);
    const anyoneSigned = [
      Buffer.from(JSON.stringify(weakHeader)).toString('base64url'),
      payload,
      Buffer.concat([identity, Buffer.alloc(32)]).toString('base64url'),
    ].join('.');
    await expectRefused(() => fed.client.apply(anyoneSigned), 'UNKNOWN_KEY');
  });

  it('runs an agreement from proposal to active; only the counter-party accepts', async () => {
    agreementJws = alice.sign('agreement', {
      aud: ['bob-shop', 'test-net'],
      agreementId: 'agreement-ab-0001',
      version: 1,
      parties: ['alice-bank', 'bob-shop'],
      direction: 'mutual',
      purposes: ['customer-care', 'marketing'],
      categories: ['contact', 'care-history'],
      retentionDays: 365,
      minCohortSize: 10,
      validFrom: now() - 10,
      validUntil: now() + 365 * 86_400,
    });
    agreement = await fed.client.proposeAgreement(agreementJws);
    expect(agreement).toMatchObject({
      state: 'proposed',
      proposer: 'alice-bank',
      agreementHash: jwsHash(agreementJws),
    });

    const accept = (by: SimulatedPartner) =>
      by.sign('agreement-transition', {
        aud: ['test-net'],
        agreementId: 'agreement-ab-0001',
        version: 1,
        agreementHash: jwsHash(agreementJws),
        from: 'proposed',
        to: 'accepted',
      });
    await expectRefused(
      () => fed.client.transitionAgreement('agreement-ab-0001', accept(alice)),
      'WRONG_PARTY',
    );
    await expectRefused(
      () => fed.client.transitionAgreement('agreement-ab-0001', accept(carol)),
      'WRONG_PARTY',
    );
    // typ confusion: an agreement posted as a transition
    await expectRefused(
      () => fed.client.transitionAgreement('agreement-ab-0001', agreementJws),
      'WRONG_TYPE',
    );
    agreement = await fed.client.transitionAgreement('agreement-ab-0001', accept(bob));
    expect(agreement.state).toBe('active');
    expect(agreement.chain.map((link) => [link.by, link.to])).toEqual([
      ['alice-bank', 'proposed'],
      ['bob-shop', 'accepted'],
    ]);

    const mine = await fed.client.agreements(alice.signer);
    expect(mine.map((a) => a.agreementId)).toEqual(['agreement-ab-0001']);
    expect(mine[0]!.chain[0]!.jws).toBe(agreementJws);
    await expectRefused(() => fed.client.agreements(bob.signer, 'alice-bank'), 'NOT_A_PARTY', 403);
  });

  it('registers a consent, answers the check, and stops at once on withdrawal', async () => {
    const claims = consentClaims(alice);
    const receipt = alice.sign('consent-registration', claims);
    expect(await fed.client.registerConsent(receipt)).toMatchObject({
      consentId: claims.registrationId,
      status: 'registered',
    });
    const query = {
      subjectToken: JANE,
      recipient: 'bob-shop',
      purpose: 'customer-care' as const,
      category: 'care-history' as const,
    };
    expect(await fed.client.checkConsent(bob.signer, query)).toEqual({
      live: true,
      consentIds: [claims.registrationId],
    });
    expect(await fed.client.checkConsent(bob.signer, { ...query, purpose: 'marketing' })).toEqual({
      live: false,
      consentIds: [],
    });
    expect(await fed.client.checkConsent(alice.signer, { ...query, controller: 'alice-bank' })).toMatchObject(
      { live: true },
    );
    await expectRefused(() => fed.client.checkConsent(carol.signer, query), 'NOT_A_PARTY', 403);
    await expectRefused(() => fed.client.registerConsent(receipt), 'REPLAYED');

    const withdrawal = (by: SimulatedPartner, consentId: string) =>
      by.sign('consent-withdrawal', { aud: 'test-net', consentId, withdrawnAt: now() });
    await expectRefused(
      () => fed.client.withdrawConsent(claims.registrationId, withdrawal(bob, claims.registrationId)),
      'NOT_CONTROLLER',
    );
    await expectRefused(
      () => fed.client.withdrawConsent('consent-unknown-1', withdrawal(alice, 'consent-unknown-1')),
      'UNKNOWN_CONSENT',
    );
    expect(
      await fed.client.withdrawConsent(claims.registrationId, withdrawal(alice, claims.registrationId)),
    ).toMatchObject({ status: 'withdrawn' });
    expect(await fed.client.checkConsent(bob.signer, query)).toEqual({ live: false, consentIds: [] });
    await expectRefused(
      () => fed.client.withdrawConsent(claims.registrationId, withdrawal(alice, claims.registrationId)),
      'CONSENT_WITHDRAWN',
    );

    // No active agreement between alice and carol.
    await expectRefused(
      () =>
        fed.client.registerConsent(
          alice.sign('consent-registration', consentClaims(alice, { recipient: 'carol-store' })),
        ),
      'AGREEMENT_NOT_ACTIVE',
    );
    // A consent is not an agreement (typ confusion) and vice versa.
    await expectRefused(() => fed.client.registerConsent(agreementJws), 'WRONG_TYPE');
    await expectRefused(
      () => fed.client.proposeAgreement(alice.sign('consent-registration', consentClaims(alice))),
      'WRONG_TYPE',
    );
  });

  it('refuses forged, tampered, expired, unknown-key and replayed messages, storing nothing', async () => {
    const mallory = generateSigningKeyPair();
    const forged = signMessage(
      'consent-registration',
      { iss: 'alice-bank', exp: now() + 600, ...consentClaims(alice) },
      mallory.privateJwk,
    );
    await expectRefused(() => fed.client.registerConsent(forged), 'UNKNOWN_KEY');
    // Right kid, wrong key: the signature does not match.
    const claims = { iss: 'alice-bank', exp: now() + 600, ...consentClaims(alice) };
    const wrongKey = signMessage('consent-registration', claims, {
      ...mallory.privateJwk,
      kid: alice.key.kid,
    });
    await expectRefused(() => fed.client.registerConsent(wrongKey), 'SIGNATURE_INVALID');
    const [h, p, s] = alice.sign('consent-registration', consentClaims(alice)).split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.recipient = 'carol-store';
    await expectRefused(
      () =>
        fed.client.registerConsent(
          [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.'),
        ),
      'SIGNATURE_INVALID',
    );
    await expectRefused(
      () =>
        fed.client.registerConsent(
          alice.sign('consent-registration', {
            ...consentClaims(alice),
            iat: now() - 7200,
            exp: now() - 3600,
          }),
        ),
      'EXPIRED',
    );
    await expectRefused(
      () =>
        fed.client.registerConsent(
          alice.sign('consent-registration', consentClaims(alice, { aud: 'other-net' })),
        ),
      'WRONG_AUDIENCE',
    );
    // Bob's key claiming to be Alice: keys are looked up only among the claimed issuer's.
    const impostor = signMessage('consent-registration', claims, bob.key.privateJwk);
    await expectRefused(() => fed.client.registerConsent(impostor), 'UNKNOWN_KEY');

    // Request tokens: replayed, bound to another request, typ confusion.
    const path = '/federation/v1/agreements?party=alice-bank';
    const token = signRequestToken(alice.signer, 'test-net', 'GET', path);
    const get = (t: string) =>
      fetch(`${fed.url}${path}`, { headers: { authorization: `Concordia ${t}` } }).then(async (r) => {
        const body = (await r.json()) as { error?: { reason: string } };
        if (!r.ok) throw new FederationError(r.status, 'X', 'refused', body.error?.reason, body);
        return body;
      });
    await get(token);
    await expectRefused(() => get(token), 'REPLAYED', 401);
    await expectRefused(
      () => get(signRequestToken(alice.signer, 'test-net', 'GET', '/federation/v1/agreements')),
      'REQUEST_MISMATCH',
      401,
    );
    await expectRefused(
      () => get(alice.sign('consent-registration', consentClaims(alice))),
      'WRONG_TYPE',
      401,
    );
    await expectRefused(() => get(''), 'MISSING_CREDENTIALS', 401);
  });

  it('rotates keys: old signatures still verify, the retired key signs nothing new after the grace period', async () => {
    const preRotation = alice.sign('consent-registration', consentClaims(alice));
    const newKey = generateSigningKeyPair();
    const announcement = alice.sign('key-rotation', {
      aud: 'test-net',
      jwks: createJwks([newKey.publicJwk]),
    });
    await expectRefused(() => fed.client.rotateKeys('bob-shop', announcement), 'NOT_THE_MEMBER');
    const entry = await fed.client.rotateKeys('alice-bank', announcement);
    // Both keys were added within the same second: their order in the list is not significant.
    expect(entry.keys).toHaveLength(2);
    expect(entry.keys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kid: aliceOldKey.kid, state: 'retiring', retiresAt: expect.any(Number) }),
        expect.objectContaining({ kid: newKey.kid, state: 'current' }),
      ]),
    );
    const { claims: federation } = await fed.client.entityStatement();
    const statement = await verifyMembershipStatement(entry.statement, federation.jwks, 'test-net');
    expect(statement.jwks.keys.map((k) => k.kid).sort()).toEqual([aliceOldKey.kid, newKey.kid].sort());
    // During the grace period the old key still signs.
    const duringGrace = alice.sign('consent-registration', consentClaims(alice));
    alice.key = newKey;

    await sleep(GRACE_SECONDS * 1000 + 1100);
    const after = await fed.client.member('alice-bank');
    expect(after.keys.find((k) => k.kid === aliceOldKey.kid)?.state).toBe('historical');
    const refreshed = await verifyMembershipStatement(after.statement, federation.jwks, 'test-net');
    expect(refreshed.jwks.keys.map((k) => k.kid)).toEqual([newKey.kid]);
    // The retired key stays in the signed statement, with its retirement time.
    const retiredAt = after.keys.find((k) => k.kid === aliceOldKey.kid)!.retiresAt!;
    expect(refreshed.historicalKeys).toEqual([
      { jwk: expect.objectContaining({ kid: aliceOldKey.kid }), retiredAt },
    ]);
    // A directory whose retirement times are not the signed ones is refused, whole.
    const forged = {
      ...after,
      keys: after.keys.map((k) => (k.kid === aliceOldKey.kid ? { ...k, retiresAt: retiredAt + 3600 } : k)),
    };
    expect(statementMismatch(after, refreshed)).toBeUndefined();
    expect(statementMismatch(forged, refreshed)).toMatch(/historical key .* not vouched for/);

    // Signed before retirement: still accepted, by the federation and by a partner's directory.
    await expect(fed.client.registerConsent(preRotation)).resolves.toMatchObject({ status: 'registered' });
    await expect(fed.client.registerConsent(duringGrace)).resolves.toMatchObject({ status: 'registered' });
    const directory = await MemberDirectory.load(fed.client);
    await expect(
      directory.verify('consent-registration', preRotation, { audience: 'test-net' }),
    ).resolves.toBeDefined();
    // Signed with the retired key after retirement: refused everywhere.
    const late = alice.sign('consent-registration', consentClaims(alice), aliceOldKey);
    await expect(
      directory.verify('consent-registration', late, { audience: 'test-net' }),
    ).rejects.toBeInstanceOf(DirectoryRefusalError);
    await expectRefused(() => fed.client.registerConsent(late), 'KEY_RETIRED');
    await expect(
      fed.client.registerConsent(alice.sign('consent-registration', consentClaims(alice))),
    ).resolves.toMatchObject({ status: 'registered' });
    const retiredAnnouncement = alice.sign('key-rotation', {
      aud: 'test-net',
      jwks: createJwks([aliceOldKey.publicJwk]),
    });
    await expectRefused(() => fed.client.rotateKeys('alice-bank', retiredAnnouncement), 'KEY_IN_USE');
  });

  it('suspends a member: its signatures fail at once, until it is reinstated', async () => {
    const suspend = await fed.gql(
      `mutation { suspendMember(partnerId: "bob-shop", reason: "audit") { status } }`,
      {},
      fed.operatorToken,
    );
    expect(suspend.data).toEqual({ suspendMember: { status: 'SUSPENDED' } });
    const entry = await fed.client.member('bob-shop');
    const { claims: federation } = await fed.client.entityStatement();
    expect(await verifyMembershipStatement(entry.statement, federation.jwks, 'test-net')).toMatchObject({
      status: 'suspended',
      jwks: { keys: [] },
    });
    const terminate = bob.sign('agreement-transition', {
      aud: 'test-net',
      agreementId: 'agreement-ab-0001',
      version: 1,
      agreementHash: jwsHash(agreementJws),
      from: 'active',
      to: 'terminated',
    });
    await expectRefused(
      () => fed.client.transitionAgreement('agreement-ab-0001', terminate),
      'MEMBER_SUSPENDED',
    );
    const query = {
      subjectToken: JANE,
      recipient: 'bob-shop',
      purpose: 'customer-care' as const,
      category: 'care-history' as const,
    };
    await expectRefused(() => fed.client.checkConsent(bob.signer, query), 'MEMBER_SUSPENDED', 401);
    // Consents naming a suspended recipient are not live for anyone.
    expect(await fed.client.checkConsent(alice.signer, { ...query, controller: 'alice-bank' })).toEqual({
      live: false,
      consentIds: [],
    });

    await fed.gql(`mutation { reinstateMember(partnerId: "bob-shop") { status } }`, {}, fed.operatorToken);
    expect((await fed.client.checkConsent(bob.signer, query)).live).toBe(true);
    const terminated = await fed.client.transitionAgreement('agreement-ab-0001', terminate);
    expect(terminated.state).toBe('terminated');
    expect((await fed.client.checkConsent(bob.signer, query)).live).toBe(false);
    await expectRefused(
      () => fed.client.registerConsent(alice.sign('consent-registration', consentClaims(alice))),
      'AGREEMENT_NOT_ACTIVE',
    );
    await expectRefused(() => fed.client.transitionAgreement('agreement-ab-0001', terminate), 'REPLAYED');
  });

  it('refuses everything a member signs once its membership statement has expired', async () => {
    const before = dave.sign('agreement', {
      aud: 'test-net',
      agreementId: 'agreement-dc-0001',
      version: 1,
      parties: ['dave-garage', 'carol-store'],
      direction: 'one-way',
      purposes: ['analytics'],
      categories: ['orders'],
      retentionDays: 30,
      minCohortSize: 5,
      validFrom: now(),
      validUntil: now() + 86_400,
    });
    const member = await fed.client.member('dave-garage');
    await sleep(Math.max(0, member.validUntil * 1000 - Date.now()) + 500);
    await expectRefused(() => fed.client.proposeAgreement(before), 'STATEMENT_EXPIRED');
    const renewed = await fed.gql(
      `mutation { renewMembership(partnerId: "dave-garage") { status } }`,
      {},
      fed.operatorToken,
    );
    expect(renewed.errors).toBeUndefined();
    await expect(fed.client.proposeAgreement(before)).resolves.toMatchObject({ state: 'proposed' });
  });

  it('lets operators read members, agreements, consent counts, refusals and events, by role', async () => {
    const read = await fed.gql<{
      members: { nodes: { partnerId: string; status: string; keys: { kid: string; state: string }[] }[] };
      agreements: { nodes: { agreementId: string; state: string; chain: { signedBy: string }[] }[] };
      consentRegistry: { total: number; withdrawn: number };
      refusals: { nodes: { reason: string; kind: string }[] };
      federationEvents: { nodes: { type: string; canonical: string }[] };
    }>(
      `{
        members { nodes { partnerId status keys { kid state } } }
        agreements { nodes { agreementId state chain { signedBy } } }
        consentRegistry { total withdrawn }
        refusals(first: 200) { nodes { reason kind } }
        federationEvents(first: 200) { nodes { type canonical } }
      }`,
      {},
      fed.operatorToken,
    );
    expect(read.errors).toBeUndefined();
    const data = read.data!;
    expect(data.members.nodes.map((m) => [m.partnerId, m.status])).toEqual([
      ['alice-bank', 'ACTIVE'],
      ['bob-shop', 'ACTIVE'],
      ['carol-store', 'ACTIVE'],
      ['dave-garage', 'ACTIVE'],
    ]);
    expect(data.agreements.nodes.find((a) => a.agreementId === 'agreement-ab-0001')).toMatchObject({
      state: 'TERMINATED',
      chain: [{ signedBy: 'alice-bank' }, { signedBy: 'bob-shop' }, { signedBy: 'bob-shop' }],
    });
    expect(data.consentRegistry).toEqual({ total: 4, withdrawn: 1 });
    const reasons = new Set(data.refusals.nodes.map((r) => r.reason));
    for (const reason of [
      'SIGNATURE_INVALID',
      'UNKNOWN_KEY',
      'KEY_RETIRED',
      'MEMBER_SUSPENDED',
      'STATEMENT_EXPIRED',
      'WRONG_TYPE',
      'REPLAYED',
      'AGREEMENT_NOT_ACTIVE',
      'UNKNOWN_CONSENT',
      'WRONG_PARTY',
    ]) {
      expect(reasons).toContain(reason);
    }
    const types = data.federationEvents.nodes.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'membership.admitted',
        'keys.rotated',
        'agreement.accepted',
        'agreement.terminated',
        'consent.registered',
        'consent.withdrawn',
        'membership.suspended',
      ]),
    );
    for (const event of data.federationEvents.nodes) expect(event.canonical).not.toContain(JANE);

    expect((await fed.gql(`{ refusals { nodes { id } } }`)).errors![0]!.extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
    const events = await fed.app
      .get((await import('typeorm')).DataSource)
      .query(`DELETE FROM federation_event`)
      .catch((e: Error) => e.message);
    expect(events).toMatch(/append-only/);
  });

  it('verifies a member statement with the protocol library alone', async () => {
    const entry = await fed.client.member('carol-store');
    const { claims } = await fed.client.entityStatement();
    const { jwksKeyResolver } = await import('#protocol');
    const verified = await verifyMessage(
      'membership-statement',
      entry.statement,
      jwksKeyResolver(claims.jwks),
      { audience: null },
    );
    expect(verified.claims.sub).toBe('carol-store');
  });
});
