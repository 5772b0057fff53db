import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import {
  canonicalize,
  generateSigningKeyPair,
  importPrivateJwk,
  jwksKeyResolver,
  signMessage,
  subjectToken,
  verifyMessage,
  type Ed25519PrivateJwk,
} from '#protocol';
import {
  FEDERATION_PATHS,
  FederationClient,
  verifyMembershipStatement,
  type AgreementsResponse,
  type DirectoryResponse,
} from '#federation-client';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from '#platform/testing/test-database';
import { bootstrapFederation, type RunningFederation } from '../apps/federation/src/bootstrap.js';
import { loadFederationConfig } from '../apps/federation/src/config.js';
import { AgreementsService } from '../apps/partner-node/src/agreements/agreements.service.js';
import { ConsentsService } from '../apps/partner-node/src/consents/consents.service.js';
import { KeySealer } from '../apps/partner-node/src/keys/key-sealer.js';
import { KeysService } from '../apps/partner-node/src/keys/keys.service.js';
import { KeyUse } from '../apps/partner-node/src/keys/node-key.entity.js';
import { NetworkService } from '../apps/partner-node/src/network/network.service.js';
import {
  startTestNode,
  type GqlResponse,
  type TestNode,
} from '../apps/partner-node/src/testing/test-node.js';
import { registrationOf } from '../apps/partner-node/src/testing/network.js';
import { Role } from '../apps/partner-node/src/users/role.js';
import { runCli } from '../apps/partner-node/src/cli/commands.js';
import { NodeLedgerService } from '../apps/partner-node/src/ledger/node-ledger.service.js';
import { verifyExport } from '#ledger';

/**
 * Trust and consent across the network: a federation and two partner nodes, each on its own
 * database. Membership, an agreement, a consent registered and withdrawn, key rotation, an
 * outage at capture time, and forged or tampered messages.
 */
describe('trust and consent: federation + two partner nodes (real PostgreSQL)', () => {
  const OPERATOR = { email: 'operator@federation.test', password: 'operator password 1' };
  let fedDb: TestDatabase;
  let federation: RunningFederation;
  let operatorToken: string;
  let alpha: TestNode;
  let beta: TestNode;
  let alphaAdmin: string;
  let betaAdmin: string;
  let alphaAgent: string;
  let agreementId: string;
  let customerId: string;
  let noticeId: string;
  let firstConsentId: string;
  const EMAIL = 'Jeanne.Martin@Example.org';

  const fedGql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const response = await fetch(`${federation.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResponse<T>;
  };

  /** The federation's answer to "is there a live consent?", asked by beta with beta's own pseudonym key. */
  const liveAtFederation = async (
    purpose: 'customer-care' | 'marketing',
    category: 'contact' | 'care-history',
  ) => {
    const key = await beta.app.get(AgreementsService).pseudonymKey(agreementId);
    const client = new FederationClient({ baseUrl: federation.url });
    return client.checkConsent(await beta.app.get(KeysService).requestSigner(), {
      subjectToken: subjectToken(key, 'email', EMAIL),
      recipient: 'beta-bank',
      purpose,
      category,
      controller: 'alpha-shop',
    });
  };

  /** Swaps the federation client of a node's NetworkService for one with another fetch. */
  const withFetch = (node: TestNode, fetchImpl: typeof fetch | undefined) => {
    (node.app.get(NetworkService) as unknown as { clientInstance: FederationClient }).clientInstance =
      new FederationClient({ baseUrl: federation.url, fetch: fetchImpl });
  };

  const GIVE = `mutation($input: GiveConsentInput!) {
    giveConsent(input: $input) { id status registrationStatus registrationError receiptKid recipients purposes
      privacyNotice { id version contentHash } }
  }`;
  type Given = {
    giveConsent: { id: string; status: string; registrationStatus: string; receiptKid: string };
  };
  const consentInput = (overrides: Record<string, unknown> = {}) => ({
    customerId,
    purposes: ['CUSTOMER_CARE'],
    categories: ['CONTACT', 'CARE_HISTORY'],
    recipients: ['beta-bank'],
    validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
    collectionMethod: 'WEB_FORM',
    privacyNoticeId: noticeId,
    jurisdiction: 'FR',
    ...overrides,
  });

  beforeAll(async () => {
    fedDb = await createTestDatabase('trust_federation');
    federation = await bootstrapFederation(
      loadFederationConfig({
        NODE_ENV: 'test',
        PORT: '0',
        DATABASE_URL: fedDb.url,
        REDIS_URL: TEST_REDIS_URL,
        FEDERATION_ID: 'trust-net',
        OPERATOR_EMAIL: OPERATOR.email,
        OPERATOR_PASSWORD: OPERATOR.password,
        // A rotated-out key stops signing at once (and keeps verifying what it signed before).
        KEY_ROTATION_GRACE_SECONDS: '0',
      }),
    );
    const login = await fedGql<{ login: { token: string } }>(
      `mutation($input: OperatorLoginInput!) { login(input: $input) { token } }`,
      { input: OPERATOR },
    );
    operatorToken = login.data!.login.token;
    [alpha, beta] = await Promise.all([
      startTestNode('trust_alpha', {
        PARTNER_ID: 'alpha-shop',
        FEDERATION_URL: federation.url,
        KEY_ENCRYPTION_SECRET: 'alpha-key-encryption-secret-0123456789',
      }),
      startTestNode('trust_beta', { PARTNER_ID: 'beta-bank', FEDERATION_URL: federation.url }),
    ]);
    [alphaAdmin, betaAdmin, alphaAgent] = await Promise.all([
      alpha.tokenFor(Role.ADMIN),
      beta.tokenFor(Role.ADMIN),
      alpha.tokenFor(Role.AGENT),
    ]);
  });

  afterAll(async () => {
    await alpha?.close();
    await beta?.close();
    await federation?.app.close();
    await fedDb?.drop();
  });

  const APPLY = `mutation($input: ApplyForMembershipInput!) {
    applyForMembership(input: $input) { status applicationId federationId }
  }`;
  const MEMBERSHIP = `{ networkMembership { status membershipStatement validUntil } }`;

  it('both nodes apply with self-signed applications; the operator admits them; each verifies the directory', async () => {
    const a = await alpha.gql<{
      applyForMembership: { status: string; applicationId: string; federationId: string };
    }>(APPLY, { input: { name: 'Alpha Shop', endpoint: 'http://alpha.test' } }, alphaAdmin);
    expect(a.errors).toBeUndefined();
    expect(a.data!.applyForMembership).toMatchObject({ status: 'PENDING', federationId: 'trust-net' });
    const b = await beta.gql<{ applyForMembership: { applicationId: string } }>(
      APPLY,
      { input: { name: 'Beta Bank', endpoint: 'http://beta.test' } },
      betaAdmin,
    );
    expect(b.errors).toBeUndefined();
    const again = await alpha.gql(
      APPLY,
      { input: { name: 'Alpha Shop', endpoint: 'http://alpha.test' } },
      alphaAdmin,
    );
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'APPLICATION_PENDING' });

    for (const applicationId of [
      a.data!.applyForMembership.applicationId,
      b.data!.applyForMembership.applicationId,
    ]) {
      const approved = await fedGql(
        `mutation($id: ID!) { approveApplication(applicationId: $id) { partnerId } }`,
        { id: applicationId },
        operatorToken,
      );
      expect(approved.errors).toBeUndefined();
    }

    const status = await alpha.gql<{ networkMembership: { status: string; membershipStatement: string } }>(
      MEMBERSHIP,
      {},
      alphaAdmin,
    );
    expect(status.data!.networkMembership.status).toBe('ACTIVE');
    const anchor = await alpha.app.get(NetworkService).trustAnchor();
    const statement = await verifyMembershipStatement(
      status.data!.networkMembership.membershipStatement,
      anchor.jwks,
      'trust-net',
    );
    expect(statement.sub).toBe('alpha-shop');
    expect(statement.jwks.keys.map((k) => k.kid)).toContain(
      await alpha.app.get(KeysService).activeKid(KeyUse.SIGNING),
    );

    const directory = await alpha.gql<{
      memberDirectory: { partnerId: string; status: string; keys: { curve: string }[] }[];
    }>(`{ memberDirectory { partnerId status keys { kid curve state } } }`, {}, alphaAdmin);
    expect(directory.errors).toBeUndefined();
    expect(directory.data!.memberDirectory.map((m) => m.partnerId)).toEqual(['alpha-shop', 'beta-bank']);
    expect(directory.data!.memberDirectory[1].keys.map((k) => k.curve).sort()).toEqual(['Ed25519', 'X25519']);
  });

  it('alpha proposes an agreement, beta accepts; both mirror the verified chain and derive the same pseudonym key', async () => {
    const proposed = await alpha.gql<{
      proposeAgreement: { agreementId: string; state: string; direction: string };
    }>(
      `mutation($input: ProposeAgreementInput!) { proposeAgreement(input: $input) { agreementId state direction } }`,
      {
        input: {
          partnerId: 'beta-bank',
          purposes: ['CUSTOMER_CARE', 'MARKETING'],
          categories: ['CONTACT', 'CARE_HISTORY'],
          direction: 'OUTBOUND',
          retentionDays: 365,
          minCohortSize: 10,
          validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        },
      },
      alphaAdmin,
    );
    expect(proposed.errors).toBeUndefined();
    expect(proposed.data!.proposeAgreement).toMatchObject({ state: 'PROPOSED', direction: 'OUTBOUND' });
    agreementId = proposed.data!.proposeAgreement.agreementId;

    const ownAccept = await alpha.gql(
      `mutation($id: ID!) { acceptAgreement(agreementId: $id) { state } }`,
      { id: agreementId },
      alphaAdmin,
    );
    expect(ownAccept.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'WRONG_PARTY' });

    const refreshed = await beta.gql<{ refreshAgreements: { agreements: number; refused: number } }>(
      `mutation { refreshAgreements { agreements refused } }`,
      {},
      betaAdmin,
    );
    expect(refreshed.data!.refreshAgreements).toEqual({ agreements: 1, refused: 0 });
    const accepted = await beta.gql<{
      acceptAgreement: {
        state: string;
        direction: string;
        proposer: string;
        chain: { kind: string; by: string; to: string }[];
      };
    }>(
      `mutation($id: ID!) { acceptAgreement(agreementId: $id) { state direction proposer chain { kind by to } } }`,
      { id: agreementId },
      betaAdmin,
    );
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptAgreement).toMatchObject({
      state: 'ACTIVE',
      direction: 'INBOUND',
      proposer: 'alpha-shop',
    });
    expect(accepted.data!.acceptAgreement.chain).toEqual([
      { kind: 'agreement', by: 'alpha-shop', to: 'PROPOSED' },
      { kind: 'agreement-transition', by: 'beta-bank', to: 'ACCEPTED' },
    ]);

    await alpha.app.get(AgreementsService).refresh();
    const mirror = await alpha.gql<{
      sharingAgreements: { nodes: { agreementId: string; state: string; retentionDays: number }[] };
    }>(
      `{ sharingAgreements(state: ACTIVE) { nodes { agreementId state retentionDays minCohortSize } } }`,
      {},
      alphaAdmin,
    );
    expect(mirror.data!.sharingAgreements.nodes).toEqual([
      expect.objectContaining({ agreementId, state: 'ACTIVE', retentionDays: 365 }),
    ]);

    const keyA = await alpha.app.get(AgreementsService).pseudonymKey(agreementId);
    const keyB = await beta.app.get(AgreementsService).pseudonymKey(agreementId);
    expect(Buffer.from(keyA).equals(Buffer.from(keyB))).toBe(true);

    // Agreements are for admins only.
    const agent = await alpha.gql(`{ sharingAgreements { nodes { agreementId } } }`, {}, alphaAgent);
    expect(agent.errors![0].extensions!.code).toBe('FORBIDDEN');
    // What the care desk needs of them (recipients of a consent, sources of shared history) agents may read.
    const partners = await alpha.gql<{
      consentPartners: { partnerId: string; agreementId: string; direction: string; purposes: string[] }[];
    }>(`{ consentPartners { partnerId agreementId direction purposes } }`, {}, alphaAgent);
    expect(partners.errors).toBeUndefined();
    expect(partners.data!.consentPartners).toEqual([
      expect.objectContaining({ partnerId: 'beta-bank', agreementId }),
    ]);
    const marketer = await alpha.gql(
      `{ consentPartners { partnerId } }`,
      {},
      await alpha.tokenFor(Role.MARKETER),
    );
    expect(marketer.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('alpha captures a consent with recipient beta against a published notice: signed, registered, live', async () => {
    const db = alpha.app.get(DataSource);
    const [customer]: { id: string }[] = await db.query(
      `INSERT INTO customer (first_name, last_name) VALUES ('Jeanne', 'Martin') RETURNING id`,
    );
    customerId = customer!.id;
    await db.query(`INSERT INTO customer_email (customer_id, address, is_primary) VALUES ($1, $2, true)`, [
      customerId,
      EMAIL.toLowerCase(),
    ]);
    await db.query(
      `INSERT INTO customer_phone (customer_id, number, is_primary) VALUES ($1, '+33612345678', true)`,
      [customerId],
    );

    const created = await alpha.gql<{ createPrivacyNotice: { id: string; status: string } }>(
      `mutation($input: CreatePrivacyNoticeInput!) { createPrivacyNotice(input: $input) { id status } }`,
      {
        input: {
          noticeKey: 'crm-sharing',
          version: '2025-06',
          language: 'fr-FR',
          title: 'Partage avec nos partenaires',
          body: 'Nous partageons votre historique de service client avec Beta Bank si vous y consentez.',
        },
      },
      alphaAdmin,
    );
    expect(created.errors).toBeUndefined();
    noticeId = created.data!.createPrivacyNotice.id;

    const draft = await alpha.gql(GIVE, { input: consentInput() }, alphaAgent);
    expect(draft.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'privacyNoticeId',
      reason: 'NOTICE_NOT_PUBLISHED',
    });

    const published = await alpha.gql(
      `mutation($id: ID!) { publishPrivacyNotice(id: $id) { status contentHash } }`,
      { id: noticeId },
      alphaAdmin,
    );
    expect(published.errors).toBeUndefined();

    const given = await alpha.gql<Given>(GIVE, { input: consentInput() }, alphaAgent);
    expect(given.errors).toBeUndefined();
    expect(given.data!.giveConsent).toMatchObject({ status: 'LIVE', registrationStatus: 'REGISTERED' });
    firstConsentId = given.data!.giveConsent.id;

    // Beta, with its own copy of the pseudonym key, finds the consent live at the federation.
    expect(await liveAtFederation('customer-care', 'contact')).toEqual({
      live: true,
      // Known there by its registration for beta, never by the receipt's id (issue 16).
      consentIds: [await registrationOf(alpha, firstConsentId, 'beta-bank')],
    });
    // Not for a purpose the customer did not consent to.
    expect((await liveAtFederation('marketing', 'contact')).live).toBe(false);

    const history = await alpha.gql<{ customerConsents: { nodes: { id: string; status: string }[] } }>(
      `query($id: ID!) { customerConsents(customerId: $id) { nodes { id status registrationStatus privacyNotice { version } } } }`,
      { id: customerId },
      await alpha.tokenFor(Role.COMPLIANCE),
    );
    expect(history.errors).toBeUndefined();
    expect(history.data!.customerConsents.nodes).toEqual([
      {
        id: firstConsentId,
        status: 'LIVE',
        registrationStatus: 'REGISTERED',
        privacyNotice: { version: '2025-06' },
      },
    ]);

    // The export lets the customer verify the receipt without trusting alpha.
    const exported = await alpha.gql<{ exportConsentReceipt: string }>(
      `query($id: ID!) { exportConsentReceipt(consentId: $id) }`,
      { id: firstConsentId },
      alphaAgent,
    );
    const doc = JSON.parse(exported.data!.exportConsentReceipt);
    const receipt = await verifyMessage('consent', doc.receipt, jwksKeyResolver(doc.controllerJwks), {
      audience: 'trust-net',
      issuer: 'alpha-shop',
    });
    expect(receipt.claims).toMatchObject({
      consentId: firstConsentId,
      recipients: ['beta-bank'],
      purposes: ['customer-care'],
      collectionMethod: 'web_form',
      notice: { id: noticeId, version: '2025-06', contentHash: doc.notice.contentHash },
    });
    // The raw e-mail is nowhere in the receipt: only pseudonyms.
    expect(Buffer.from(doc.receipt.split('.')[1], 'base64url').toString()).not.toMatch(/martin|612345678/i);
    const statement = await verifyMembershipStatement(
      doc.membershipStatement,
      doc.federation.jwks,
      doc.federation.id,
    );
    expect(statement.jwks.keys.map((k) => k.kid)).toContain(receipt.header.kid);
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256')
      .update(
        canonicalize({
          body: doc.notice.body,
          language: doc.notice.language,
          title: doc.notice.title,
          version: doc.notice.version,
        }),
      )
      .digest('base64url');
    expect(hash).toBe(doc.notice.contentHash);
  });

  it('refuses bad consent input with a code and stores nothing', async () => {
    const count = async () =>
      Number((await alpha.app.get(DataSource).query(`SELECT count(*) AS n FROM consent`))[0].n);
    const before = await count();
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ customerId: '00000000-0000-4000-8000-000000000000' }, { code: 'NOT_FOUND' }],
      [{ recipients: ['gamma-telecom'] }, { code: 'BAD_USER_INPUT', reason: 'RECIPIENT_NOT_MEMBER' }],
      [{ recipients: ['alpha-shop'] }, { code: 'BAD_USER_INPUT', reason: 'RECIPIENT_IS_CONTROLLER' }],
      [{ purposes: ['ANALYTICS'] }, { code: 'BAD_USER_INPUT', reason: 'NO_ACTIVE_AGREEMENT' }],
      [{ categories: ['ORDERS'] }, { code: 'BAD_USER_INPUT', reason: 'NO_ACTIVE_AGREEMENT' }],
      [
        { validUntil: new Date(Date.now() - 1000).toISOString() },
        { code: 'BAD_USER_INPUT', reason: 'VALIDITY_IN_THE_PAST' },
      ],
      [
        { validFrom: new Date(Date.now() - 86_400_000).toISOString() },
        { code: 'BAD_USER_INPUT', field: 'validFrom' },
      ],
      [
        { privacyNoticeId: '00000000-0000-4000-8000-000000000000' },
        { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_NOTICE' },
      ],
      [{ language: 'en' }, { code: 'BAD_USER_INPUT', field: 'language' }],
      [{ jurisdiction: 'France' }, { code: 'BAD_USER_INPUT', field: 'jurisdiction' }],
      [{ collectionMethod: 'CARRIER_PIGEON' }, { code: 'BAD_USER_INPUT' }],
    ];
    for (const [overrides, expected] of cases) {
      const result = await alpha.gql(GIVE, { input: consentInput(overrides) }, alphaAgent);
      expect({ overrides, extensions: result.errors?.[0]?.extensions }).toEqual({
        overrides,
        extensions: expect.objectContaining(expected),
      });
    }
    expect(await count()).toBe(before);

    // Roles: marketers and compliance officers do not capture consents; compliance reads them.
    const marketer = await alpha.tokenFor(Role.MARKETER);
    expect((await alpha.gql(GIVE, { input: consentInput() }, marketer)).errors![0].extensions!.code).toBe(
      'FORBIDDEN',
    );
    const compliance = await alpha.tokenFor(Role.COMPLIANCE);
    expect((await alpha.gql(GIVE, { input: consentInput() }, compliance)).errors![0].extensions!.code).toBe(
      'FORBIDDEN',
    );
    expect(
      (
        await alpha.gql(
          `query($id: ID!) { consent(consentId: $id) { id } }`,
          { id: firstConsentId },
          marketer,
        )
      ).errors![0].extensions!.code,
    ).toBe('FORBIDDEN');
  });

  it('withdrawal is signed and registered: the federation no longer finds a live consent', async () => {
    const WITHDRAW = `mutation($id: ID!) { withdrawConsent(consentId: $id, reason: "asked by phone") {
      status withdrawnAt withdrawalRegistrationStatus withdrawalJws } }`;
    const withdrawn = await alpha.gql<{
      withdrawConsent: { status: string; withdrawalRegistrationStatus: string; withdrawalJws: string };
    }>(WITHDRAW, { id: firstConsentId }, alphaAgent);
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data!.withdrawConsent).toMatchObject({
      status: 'WITHDRAWN',
      withdrawalRegistrationStatus: 'REGISTERED',
    });
    expect(await liveAtFederation('customer-care', 'contact')).toEqual({ live: false, consentIds: [] });

    const again = await alpha.gql(WITHDRAW, { id: firstConsentId }, alphaAgent);
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'CONSENT_WITHDRAWN' });
    const unknown = await alpha.gql(WITHDRAW, { id: '00000000-0000-4000-8000-000000000000' }, alphaAgent);
    expect(unknown.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('key rotation at alpha is announced under the old key; old receipts stay verifiable; new consents register', async () => {
    const keys = alpha.app.get(KeysService);
    const oldKid = await keys.activeKid(KeyUse.SIGNING);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the old receipts are signed strictly before the rotation
    const rotated = await alpha.gql<{
      rotateKeys: { announced: boolean; newKids: string[]; retiredKids: string[] };
    }>(`mutation { rotateKeys { announced newKids retiredKids } }`, {}, alphaAdmin);
    expect(rotated.errors).toBeUndefined();
    expect(rotated.data!.rotateKeys).toMatchObject({ announced: true, retiredKids: [oldKid] });
    const newKid = rotated.data!.rotateKeys.newKids[0]!;

    // The federation's directory, as beta verifies it, lists the new key and keeps the old one for old signatures.
    await beta.app.get(NetworkService).refreshDirectory();
    const entry = (await beta.app.get(NetworkService).member('alpha-shop'))!;
    expect(entry.keys.find((k) => k.kid === newKid)?.state).toBe('current');
    expect(entry.keys.find((k) => k.kid === oldKid)?.state).toBe('historical');

    // The old receipt still verifies: at beta through the directory, and in the customer's export.
    const old = await alpha.app.get(ConsentsService).get(firstConsentId);
    const verified = await beta.app
      .get(NetworkService)
      .verifyMemberMessage(
        'consent',
        old.receiptJws,
        { audience: 'trust-net', now: Math.floor(old.createdAt.getTime() / 1000) },
        'test',
      );
    expect(verified.header.kid).toBe(oldKid);
    const doc = JSON.parse(
      (
        await alpha.gql<{ exportConsentReceipt: string }>(
          `query($id: ID!) { exportConsentReceipt(consentId: $id) }`,
          { id: firstConsentId },
          alphaAgent,
        )
      ).data!.exportConsentReceipt,
    );
    expect(doc.controllerJwks.keys.map((k: { kid: string }) => k.kid)).toEqual(
      expect.arrayContaining([oldKid, newKid]),
    );

    // A new consent is signed with the new key and the federation takes it.
    const given = await alpha.gql<Given>(
      GIVE,
      { input: consentInput({ purposes: ['CUSTOMER_CARE', 'MARKETING'] }) },
      alphaAgent,
    );
    expect(given.errors).toBeUndefined();
    expect(given.data!.giveConsent).toMatchObject({ registrationStatus: 'REGISTERED', receiptKid: newKid });
    expect((await liveAtFederation('marketing', 'contact')).consentIds).toEqual([
      await registrationOf(alpha, given.data!.giveConsent.id, 'beta-bank'),
    ]);
  });

  it('when the federation is unreachable, consent is recorded as PENDING_REGISTRATION and registered later', async () => {
    withFetch(alpha, (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch);
    const given = await alpha.gql<Given>(
      GIVE,
      { input: consentInput({ categories: ['CARE_HISTORY'], collectionMethod: 'PHONE' }) },
      alphaAgent,
    );
    expect(given.errors).toBeUndefined();
    expect(given.data!.giveConsent.registrationStatus).toBe('PENDING_REGISTRATION');
    const consentId = given.data!.giveConsent.id;
    const pendingWithdrawal = await alpha.gql<{ withdrawConsent: { status: string } }>(
      `mutation($id: ID!) { withdrawConsent(consentId: $id) { status withdrawalRegistrationStatus } }`,
      { id: consentId },
      alphaAgent,
    );
    expect(pendingWithdrawal.data!.withdrawConsent).toEqual({
      status: 'WITHDRAWN',
      withdrawalRegistrationStatus: 'PENDING_REGISTRATION',
    });

    withFetch(alpha, undefined);
    const retried = await alpha.app.get(ConsentsService).retryPending();
    expect(retried).toEqual({ registered: 1, withdrawals: 1, pending: 0 });
    const after = await alpha.app.get(ConsentsService).get(consentId);
    expect(after.registrationStatus).toBe('registered');
    expect(after.withdrawalRegistrationStatus).toBe('registered');
  });

  it('refuses and records forged or tampered statements, chains and signatures', async () => {
    const refusals = async (node: TestNode, token: string) =>
      (
        await node.gql<{
          refusals: { nodes: { kind: string; reason: string; source: string; issuer: string | null }[] };
        }>(`{ refusals(first: 50) { nodes { kind reason source issuer kid } } }`, {}, token)
      ).data!.refusals.nodes;

    // 1. A tampered membership statement in the directory (beta's name changed, signature kept).
    const tamper = (statement: string) => {
      const [h, p, s] = statement.split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      claims.name = 'Evil Bank';
      return `${h}.${Buffer.from(canonicalize(claims)).toString('base64url')}.${s}`;
    };
    withFetch(alpha, (async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (!String(input).endsWith(FEDERATION_PATHS.members)) return response;
      const body = JSON.parse(await response.text()) as DirectoryResponse;
      for (const member of body.members) {
        if (member.partnerId === 'beta-bank') {
          member.statement = tamper(member.statement);
          member.name = 'Evil Bank';
        }
      }
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch);
    const tampered = await alpha.gql<{ refreshMemberDirectory: { members: number; refused: number } }>(
      `mutation { refreshMemberDirectory { members refused } }`,
      {},
      alphaAdmin,
    );
    expect(tampered.data!.refreshMemberDirectory).toEqual({ members: 1, refused: 1 });
    expect(await refusals(alpha, alphaAdmin)).toContainEqual(
      expect.objectContaining({
        kind: 'membership-statement',
        reason: 'SIGNATURE_INVALID',
        source: 'directory',
        issuer: 'trust-net',
      }),
    );
    // While beta's entry is refused, consents for beta are refused too (nothing stored).
    const noBeta = await alpha.gql(GIVE, { input: consentInput() }, alphaAgent);
    expect(noBeta.errors![0].extensions).toMatchObject({ reason: 'RECIPIENT_NOT_MEMBER' });

    // 2. A statement forged with a key the federation does not have.
    const forger = generateSigningKeyPair();
    withFetch(alpha, (async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (!String(input).endsWith(FEDERATION_PATHS.members)) return response;
      const body = JSON.parse(await response.text()) as DirectoryResponse;
      const now = Math.floor(Date.now() / 1000);
      for (const member of body.members) {
        if (member.partnerId !== 'beta-bank') continue;
        member.statement = signMessage(
          'membership-statement',
          {
            iss: 'trust-net',
            sub: 'beta-bank',
            iat: now,
            exp: now + 3600,
            name: member.name,
            endpoint: member.endpoint,
            status: 'active',
            jwks: { keys: member.keys.map((k) => k.jwk) },
          },
          forger.privateJwk,
        );
      }
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch);
    await alpha.app.get(NetworkService).refreshDirectory();
    expect(await refusals(alpha, alphaAdmin)).toContainEqual(
      expect.objectContaining({ kind: 'membership-statement', reason: 'UNKNOWN_KEY', source: 'directory' }),
    );

    // 3. A forged transition (terminated, "signed by beta" with a foreign key) appended to the chain.
    withFetch(alpha, undefined);
    await alpha.app.get(NetworkService).refreshDirectory();
    withFetch(alpha, (async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (!String(input).includes(`${FEDERATION_PATHS.agreements}?`)) return response;
      const body = JSON.parse(await response.text()) as AgreementsResponse;
      const now = Math.floor(Date.now() / 1000);
      for (const view of body.agreements) {
        if (view.agreementId !== agreementId) continue;
        const forged = signMessage(
          'agreement-transition',
          {
            iss: 'beta-bank',
            aud: ['alpha-shop', 'trust-net'],
            iat: now,
            exp: now + 3600,
            agreementId,
            version: 1,
            agreementHash: view.agreementHash,
            from: 'active',
            to: 'terminated',
          },
          forger.privateJwk,
        );
        view.chain.push({
          kind: 'agreement-transition',
          jws: forged,
          by: 'beta-bank',
          from: 'active',
          to: 'terminated',
          at: now,
        });
        view.state = 'terminated';
      }
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch);
    const chain = await alpha.gql<{ refreshAgreements: { agreements: number; refused: number } }>(
      `mutation { refreshAgreements { agreements refused } }`,
      {},
      alphaAdmin,
    );
    expect(chain.data!.refreshAgreements).toEqual({ agreements: 0, refused: 1 });
    expect(await refusals(alpha, alphaAdmin)).toContainEqual(
      expect.objectContaining({ kind: 'agreement-transition', reason: 'UNKNOWN_KEY', issuer: 'beta-bank' }),
    );
    withFetch(alpha, undefined);
    expect((await alpha.app.get(AgreementsService).get(agreementId)).state).toBe('active');

    // 4. At beta: a consent "from alpha" signed with an unknown key, and one with alpha's retired key.
    const network = beta.app.get(NetworkService);
    const now = Math.floor(Date.now() / 1000);
    const old = await alpha.app.get(ConsentsService).get(firstConsentId);
    const claims = JSON.parse(Buffer.from(old.receiptJws.split('.')[1]!, 'base64url').toString());
    const fresh = { ...claims, iat: now, jti: undefined, consentId: 'forged-consent-0001' };
    await expect(
      network.verifyMemberMessage(
        'consent',
        signMessage('consent', fresh, forger.privateJwk),
        { audience: 'trust-net' },
        'test',
      ),
    ).rejects.toMatchObject({ code: 'MESSAGE_REFUSED', reason: 'UNKNOWN_KEY' });
    const [sealed]: { sealed_private_key: string }[] = await alpha.app
      .get(DataSource)
      .query(`SELECT sealed_private_key FROM node_key WHERE kid = $1`, [old.receiptKid]);
    const retired = importPrivateJwk(
      JSON.parse(
        new KeySealer(alpha.config.keyEncryption.secret).open(sealed!.sealed_private_key, old.receiptKid),
      ),
      'Ed25519',
    ) as Ed25519PrivateJwk;
    await expect(
      network.verifyMemberMessage(
        'consent',
        signMessage('consent', fresh, retired),
        { audience: 'trust-net' },
        'test',
      ),
    ).rejects.toMatchObject({ code: 'MESSAGE_REFUSED', reason: 'KEY_RETIRED' });
    const atBeta = await refusals(beta, betaAdmin);
    expect(atBeta).toContainEqual(
      expect.objectContaining({ kind: 'consent', reason: 'UNKNOWN_KEY', issuer: 'alpha-shop' }),
    );
    expect(atBeta).toContainEqual(
      expect.objectContaining({ kind: 'consent', reason: 'KEY_RETIRED', issuer: 'alpha-shop' }),
    );
  });

  it('the CLI shows the membership and lists, accepts and refuses agreement commands', async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const io = {
      out: (text: string) => lines.push(text),
      err: (text: string) => errors.push(text),
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: alpha.db.url,
        REDIS_URL: TEST_REDIS_URL,
        PARTNER_ID: 'alpha-shop',
        FEDERATION_URL: federation.url,
        KEY_ENCRYPTION_SECRET: 'alpha-key-encryption-secret-0123456789',
        LEDGER_CHECKPOINT_INTERVAL_SECONDS: '0',
        LEDGER_SEQUENCE_INTERVAL_MS: '0',
      },
    };
    expect(await runCli(['register', '--status'], io)).toBe(0);
    expect(lines.join('\n')).toMatch(/trust-net .*: active/);
    expect(await runCli(['agreements', 'list', '--refresh'], io)).toBe(0);
    expect(lines.join('\n')).toContain(agreementId);
    expect(await runCli(['agreements', 'accept', agreementId], io)).toBe(1);
    expect(errors.join('\n')).toMatch(/did not propose/);
    expect(await runCli(['agreements', 'frobnicate'], io)).toBe(2);
    // Without the node's secret, the CLI does not touch the keys.
    const { KEY_ENCRYPTION_SECRET: _secret, ...withoutSecret } = io.env;
    expect(await runCli(['rotate-keys'], { ...io, env: withoutSecret })).toBe(1);
    expect(errors.join('\n')).toMatch(/KEY_ENCRYPTION_SECRET/);
  });

  it("alpha's ledger holds every consent and agreement message, and its export verifies offline", async () => {
    const doc = JSON.parse(await alpha.app.get(NodeLedgerService).exportLedger()) as {
      entries: { kind: string }[];
    };
    const kinds = doc.entries.map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'agreement.proposed',
        'agreement.accepted',
        'consent.given',
        'consent.withdrawn',
      ]),
    );
    const report = verifyExport(doc);
    // Receipts signed before and after the rotation, and beta's acceptance, all verify.
    expect(report.jwsVerified).toBeGreaterThanOrEqual(
      kinds.filter((k) => /^(consent|agreement)\./.test(k)).length,
    );
  });
});
