import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { subjectToken, unverifiedKid } from '#protocol';
import { startTestFederation, type TestFederation } from '../apps/federation/src/testing/test-federation.js';
import { AgreementsService } from '../apps/partner-node/src/agreements/agreements.service.js';
import { KeysService } from '../apps/partner-node/src/keys/keys.service.js';
import { KeyUse } from '../apps/partner-node/src/keys/node-key.entity.js';
import { NetworkService } from '../apps/partner-node/src/network/network.service.js';
import type { TestNode } from '../apps/partner-node/src/testing/test-node.js';
import {
  addCustomer,
  agree,
  joinNetwork,
  ok,
  publishNotice,
  startPartners,
} from '../apps/partner-node/src/testing/network.js';

/**
 * `giveConsent` reads the node's active keys once per call (one statement for both) and derives
 * each recipient's pseudonym key from the rows it reads anyway (the covering agreement, the
 * recipient's directory entry); X25519 results are kept by their inputs. None of this may outlive
 * a key rotation, an agreement's end or a member's suspension: each is followed by the next call.
 */
const PARTNERS = { shop: 'fresh-shop', bank: 'fresh-bank', telco: 'fresh-telco' } as const;
const EMAIL = 'fresh-ada@example.org';

describe('giveConsent follows key rotations, agreement ends and suspensions at once (PostgreSQL)', () => {
  let federation: TestFederation;
  let nodes: Record<keyof typeof PARTNERS, TestNode>;
  let admin: Record<string, string>;
  let notice: string;
  let customerId: string;
  const agreementIds: Record<string, string> = {};

  beforeAll(async () => {
    federation = await startTestFederation('fresh_fed');
    nodes = await startPartners('fresh', federation.url, PARTNERS);
    admin = await joinNetwork(federation, nodes);
    agreementIds.bank = await agree(
      { node: nodes.shop, admin: admin.shop! },
      { node: nodes.bank, admin: admin.bank! },
    );
    agreementIds.telco = await agree(
      { node: nodes.shop, admin: admin.shop! },
      { node: nodes.telco, admin: admin.telco! },
    );
    customerId = await addCustomer(nodes.shop, EMAIL);
    notice = await publishNotice({ node: nodes.shop, admin: admin.shop! });
  }, 180_000);

  afterAll(async () => {
    for (const node of Object.values(nodes ?? {})) await node.close();
    await federation?.close();
  });

  const give = (recipients: string[]) =>
    nodes.shop.gql<{ giveConsent: { id: string; registrationStatus: string } }>(
      `mutation($input: GiveConsentInput!) { giveConsent(input: $input) { id registrationStatus } }`,
      {
        input: {
          customerId,
          privacyNoticeId: notice,
          purposes: ['CUSTOMER_CARE'],
          categories: ['CARE_HISTORY'],
          recipients,
          validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          collectionMethod: 'WEB_FORM',
          jurisdiction: 'FR',
        },
      },
      admin.shop,
    );

  /** The consent's receipt kid, its registrations' kids, and its subject token per agreement. */
  const stored = async (consentId: string) => {
    const db = nodes.shop.app.get(DataSource);
    const [consent]: { receipt_jws: string; subject_tokens: { token: string; keyId: string }[] }[] =
      await db.query(`SELECT receipt_jws, subject_tokens FROM consent WHERE id = $1`, [consentId]);
    const registrations: { registration_jws: string; status: string }[] = await db.query(
      `SELECT registration_jws, status FROM consent_registration WHERE consent_id = $1`,
      [consentId],
    );
    return {
      receiptKid: unverifiedKid(consent!.receipt_jws),
      registrationKids: registrations.map((r) => unverifiedKid(r.registration_jws)),
      statuses: registrations.map((r) => r.status),
      tokenUnder: (agreementId: string) =>
        consent!.subject_tokens.find((t) => t.keyId === agreementId)?.token,
    };
  };
  const consentCount = async (): Promise<number> => {
    const [row]: { n: number }[] = await nodes.shop.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM consent`);
    return row!.n;
  };
  /** The token the recipient derives on its side (its own agreement key, the shop's from its directory). */
  const recipientToken = async (recipient: 'bank' | 'telco'): Promise<string> =>
    subjectToken(
      await nodes[recipient].app.get(AgreementsService).pseudonymKey(agreementIds[recipient]!),
      'email',
      EMAIL,
    );

  it('signs with the key active at each call and derives pseudonyms under the current agreement key', async () => {
    const keys = nodes.shop.app.get(KeysService);
    const signingBefore = await keys.activeKid(KeyUse.SIGNING);
    const first = ok(await give([PARTNERS.bank, PARTNERS.telco])).giveConsent;
    expect(first.registrationStatus).toBe('REGISTERED');
    const before = await stored(first.id);
    expect(before.receiptKid).toBe(signingBefore);
    expect(before.registrationKids).toEqual([signingBefore, signingBefore]);
    expect(before.tokenUnder(agreementIds.bank!)).toBe(await recipientToken('bank'));

    // Both keys rotate (announced to the federation); the recipients learn the shop's new agreement key.
    const rotated = ok(
      await nodes.shop.gql<{ rotateKeys: { retiredKids: string[] } }>(
        `mutation { rotateKeys(agreementKey: true) { retiredKids } }`,
        {},
        admin.shop,
      ),
    ).rotateKeys;
    expect(rotated.retiredKids).toContain(signingBefore);
    for (const node of [nodes.bank, nodes.telco]) await node.app.get(NetworkService).refreshDirectory();
    const signingAfter = await keys.activeKid(KeyUse.SIGNING);
    expect(signingAfter).not.toBe(signingBefore);

    const second = ok(await give([PARTNERS.bank, PARTNERS.telco])).giveConsent;
    // Registered: the federation verified both registrations under the shop's current key.
    expect(second.registrationStatus).toBe('REGISTERED');
    const after = await stored(second.id);
    expect(after.receiptKid).toBe(signingAfter);
    expect(after.registrationKids).toEqual([signingAfter, signingAfter]);
    for (const recipient of ['bank', 'telco'] as const) {
      const token = after.tokenUnder(agreementIds[recipient]!);
      expect(token).not.toBe(before.tokenUnder(agreementIds[recipient]!));
      expect(token).toBe(await recipientToken(recipient));
    }
  });

  it('refuses a recipient whose agreement was terminated since the last call, and stores nothing', async () => {
    expect(ok(await give([PARTNERS.bank, PARTNERS.telco])).giveConsent.registrationStatus).toBe('REGISTERED');
    ok(
      await nodes.shop.gql(
        `mutation($id: ID!) { terminateAgreement(agreementId: $id, reason: "ended") { state } }`,
        { id: agreementIds.telco },
        admin.shop,
      ),
    );
    const count = await consentCount();
    const refused = await give([PARTNERS.bank, PARTNERS.telco]);
    expect(refused.errors![0]!.extensions).toMatchObject({
      reason: 'NO_ACTIVE_AGREEMENT',
      recipient: PARTNERS.telco,
    });
    expect(await consentCount()).toBe(count);
    // The other recipient's agreement still serves.
    expect(ok(await give([PARTNERS.bank])).giveConsent.registrationStatus).toBe('REGISTERED');
  });

  it('refuses a recipient suspended by the federation once the directory says so', async () => {
    ok(
      await federation.gql(
        `mutation($id: String!) { suspendMember(partnerId: $id, reason: "test") { status } }`,
        { id: PARTNERS.bank },
        federation.operatorToken,
      ),
    );
    await nodes.shop.app.get(NetworkService).refreshDirectory();
    const count = await consentCount();
    const refused = await give([PARTNERS.bank]);
    expect(refused.errors![0]!.extensions).toMatchObject({
      reason: 'RECIPIENT_NOT_MEMBER',
      recipient: PARTNERS.bank,
    });
    expect(await consentCount()).toBe(count);
  });
});
