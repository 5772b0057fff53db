import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { FEDERATION_PATHS, FederationClient } from '#federation-client';
import { ConsentImportService } from '../apps/partner-node/src/consents/consent-import.service.js';
import { ConsentsService } from '../apps/partner-node/src/consents/consents.service.js';
import { NetworkService } from '../apps/partner-node/src/network/network.service.js';
import { NodeLedgerService } from '../apps/partner-node/src/ledger/node-ledger.service.js';
import { startTestFederation, type TestFederation } from '../apps/federation/src/testing/test-federation.js';
import type { TestNode } from '../apps/partner-node/src/testing/test-node.js';
import { runCli, type CliIo } from '../apps/partner-node/src/cli/commands.js';
import {
  addCustomer,
  addCustomers,
  agree,
  joinNetwork,
  nodeSecret,
  ok,
  publishNotice,
  startPartners,
} from '../apps/partner-node/src/testing/network.js';
import { KeysService } from '../apps/partner-node/src/keys/keys.service.js';
import { CONSENT_REGISTRY_QUERIES } from '../apps/federation/src/consents/consent-registry.queries.js';
import { Role } from '../apps/partner-node/src/users/role.js';

/**
 * Consents already given, imported as a CSV (the bulk path of issue 17): all or nothing per file
 * with every bad line named, and a good file signed, stored, ledgered and registered with the
 * federation per recipient (issue 16) through its batch route, which refuses each message on its own.
 */
/** A node of a JSON query plan (EXPLAIN (FORMAT JSON)). */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const PARTNERS = { shop: 'bulk-shop', bank: 'bulk-bank', telco: 'bulk-telco' } as const;
const PEOPLE = 30;
/** Customers imported by the GraphQL mutation and by the CLI (after the PEOPLE of the service's tests). */
const MORE = 4;

describe('consents imported in bulk (PostgreSQL, Redis)', () => {
  let federation: TestFederation;
  let nodes: Record<keyof typeof PARTNERS, TestNode>;
  let notice: string;
  const customers: string[] = [];
  const until = new Date(Date.now() + 200 * 86_400_000).toISOString();

  beforeAll(async () => {
    federation = await startTestFederation('bulk_fed');
    nodes = await startPartners('bulk', federation.url, PARTNERS);
    const admin = await joinNetwork(federation, nodes);
    await agree({ node: nodes.shop, admin: admin.shop! }, { node: nodes.bank, admin: admin.bank! });
    await agree({ node: nodes.shop, admin: admin.shop! }, { node: nodes.telco, admin: admin.telco! });
    for (let i = 0; i < PEOPLE + 2 * MORE; i++)
      customers.push(await addCustomer(nodes.shop, `bulk-${i}@example.org`));
    notice = await publishNotice({ node: nodes.shop, admin: admin.shop! });
  }, 180_000);

  afterAll(async () => {
    for (const node of Object.values(nodes ?? {})) await node.close();
    await federation?.close();
  });

  const csv = (lines: string[]): string[] => [
    ['customer_id,purposes,categories,recipients,valid_until,collection_method,jurisdiction', ...lines].join(
      '\n',
    ),
  ];
  const line = (customer: string, recipients = 'bulk-bank;bulk-telco'): string =>
    `${customer},CUSTOMER_CARE,CARE_HISTORY;ORDERS,${recipients},${until},WEB_FORM,FR`;
  const counts = async (): Promise<{ consents: number; registrations: number; federation: number }> => {
    const [node]: { consents: number; registrations: number }[] = await nodes.shop.app
      .get(DataSource)
      .query(
        `SELECT (SELECT count(*)::int FROM consent) AS consents, (SELECT count(*)::int FROM consent_registration) AS registrations`,
      );
    const [fed]: { n: number }[] = await federation.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM consent WHERE controller = 'bulk-shop'`);
    return { ...node!, federation: fed!.n };
  };

  it('refuses the whole file when any line is bad, naming each line and field', async () => {
    const report = await nodes.shop.app
      .get(ConsentImportService)
      .import(
        csv([
          line(customers[0]!),
          line('00000000-0000-4000-8000-000000000000'),
          `${customers[1]},CUSTOMER_CARE,CARE_HISTORY,bulk-bank,${until},SMOKE_SIGNALS,FR`,
          line(customers[2]!, 'bulk-nobody'),
          `${customers[3]},CUSTOMER_CARE,CARE_HISTORY,bulk-bank,not a date,WEB_FORM,FR`,
        ]),
        { privacyNoticeId: notice },
      );
    expect(report).toMatchObject({ written: false, rows: 5, consentIds: [] });
    // Format errors are found first (lines 4 and 6); the database checks run on a well-formed file.
    expect(report.problems.map((p) => [p.line, p.field])).toEqual(
      expect.arrayContaining([
        [4, 'collectionMethod'],
        [6, 'validUntil'],
      ]),
    );
    const fixed = await nodes.shop.app
      .get(ConsentImportService)
      .import(
        csv([
          line(customers[0]!),
          line('00000000-0000-4000-8000-000000000000'),
          line(customers[2]!, 'bulk-nobody'),
        ]),
        { privacyNoticeId: notice },
      );
    expect(fixed.written).toBe(false);
    expect(fixed.problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'customerId'],
      [4, 'recipients'],
    ]);
    expect(await counts()).toEqual({ consents: 0, registrations: 0, federation: 0 });
  });

  it('stores a good file and registers one registration per consent and recipient at the federation', async () => {
    const report = await nodes.shop.app
      .get(ConsentImportService)
      .import(
        csv(
          customers
            .slice(0, PEOPLE)
            .map((c, i) => line(c, i % 3 === 0 ? 'bulk-bank' : 'bulk-bank;bulk-telco')),
        ),
        {
          privacyNoticeId: notice,
        },
      );
    expect(report).toMatchObject({ written: true, rows: PEOPLE, badRows: 0 });
    expect(new Set(report.consentIds).size).toBe(PEOPLE);
    const perRecipient = PEOPLE + (PEOPLE - PEOPLE / 3);
    expect(await counts()).toEqual({
      consents: PEOPLE,
      registrations: perRecipient,
      federation: perRecipient,
    });
    const db = nodes.shop.app.get(DataSource);
    const statuses: { status: string; n: number }[] = await db.query(
      `SELECT registration_status AS status, count(*)::int AS n FROM consent GROUP BY 1`,
    );
    expect(statuses).toEqual([{ status: 'registered', n: PEOPLE }]);
    await nodes.shop.app.get(NodeLedgerService).sequenceNow(); // queued with the consents
    const [ledger]: { n: number }[] = await db.query(
      `SELECT count(*)::int AS n FROM ledger_entry WHERE kind = 'consent.given'`,
    );
    expect(ledger!.n).toBe(PEOPLE);
    // Each registration names only its own recipient's tokens, under its own id (issue 16).
    const fed: { consent_id: string; recipients: string[]; tokens: number }[] = await federation.app
      .get(DataSource)
      .query(
        `SELECT c.consent_id, c.recipients, (SELECT count(*)::int FROM consent_subject s WHERE s.consent_id = c.consent_id) AS tokens
           FROM consent c WHERE controller = 'bulk-shop'`,
      );
    expect(fed.every((r) => r.recipients.length === 1 && r.tokens === 1)).toBe(true);
    expect(fed.some((r) => report.consentIds.includes(r.consent_id))).toBe(false);
    // Without a window each registration is signed as the file is stored and written once with
    // its JWS (issue 17): the message the federation holds is the one stored, `iat` on the minute.
    const signed: { registration_id: string; registration_jws: string }[] = await db.query(
      `SELECT registration_id, registration_jws FROM consent_registration`,
    );
    const held: { consent_id: string; jws: string }[] = await federation.app.get(DataSource).query(
      `SELECT c.consent_id, m.jws FROM consent c JOIN federation_ledger_message m ON m.hash = c.message_hash
          WHERE c.controller = 'bulk-shop'`,
    );
    const heldJws = new Map(held.map((r) => [r.consent_id, r.jws]));
    expect(
      signed.every((r) => r.registration_jws && heldJws.get(r.registration_id) === r.registration_jws),
    ).toBe(true);
    for (const { registration_jws } of signed) {
      const claims = JSON.parse(Buffer.from(registration_jws.split('.')[1]!, 'base64url').toString()) as {
        iat: number;
      };
      expect(claims.iat % 60).toBe(0);
    }
  });

  it('the batch route refuses each message on its own: a replayed one among new ones', async () => {
    const db = nodes.shop.app.get(DataSource);
    const [stored]: { registration_jws: string }[] = await db.query(
      `SELECT registration_jws FROM consent_registration WHERE status = 'registered' LIMIT 1`,
    );
    const client = new FederationClient({ baseUrl: federation.url });
    const answer = await client.registerConsents([stored!.registration_jws, 'not-a-jws']);
    expect(answer.results.map((r) => [r.status, r.reason])).toEqual([
      ['refused', 'REPLAYED'],
      ['refused', expect.any(String)],
    ]);
  });

  it('a batch verified together still refuses a forged or altered registration, and takes the first of two copies', async () => {
    const db = nodes.shop.app.get(DataSource);
    const [stored]: { registration_jws: string }[] = await db.query(
      `SELECT registration_jws FROM consent_registration WHERE status = 'registered' LIMIT 1`,
    );
    const claims = JSON.parse(
      Buffer.from(stored!.registration_jws.split('.')[1]!, 'base64url').toString(),
    ) as Record<string, unknown>;
    // New registrations of the same consent, signed by the node (on and off the event loop).
    const keys = nodes.shop.app.get(KeysService);
    const fresh = (): Record<string, unknown> => ({
      ...claims,
      registrationId: randomUUID(),
      jti: randomUUID(),
    });
    const good = await keys.sign('consent-registration', fresh() as never);
    const goodOffThread = await (await keys.signerOffThread())('consent-registration', fresh() as never);
    const other = await keys.sign('consent-registration', fresh() as never);
    const [header, payload, signature] = other.split('.') as [string, string, string];
    const altered = `${header}.${Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        recipient: claims.recipient === 'bulk-bank' ? 'bulk-telco' : 'bulk-bank',
      }),
    ).toString('base64url')}.${signature}`;
    const forged = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const before = await counts();
    const client = new FederationClient({ baseUrl: federation.url });
    const answer = await client.registerConsents([altered, good, forged, goodOffThread, good]);
    expect(answer.results.map((r) => [r.status, r.reason])).toEqual([
      ['refused', 'SIGNATURE_INVALID'],
      ['registered', undefined],
      ['refused', 'SIGNATURE_INVALID'],
      ['registered', undefined],
      ['refused', 'REPLAYED'],
    ]);
    expect((await counts()).federation).toBe(before.federation + 2);
  });

  it("a batch's registrations are each checked against their own recipient, agreement and id", async () => {
    const db = nodes.shop.app.get(DataSource);
    const stored: {
      registration_id: string;
      recipient: string;
      agreement_id: string;
      registration_jws: string;
    }[] = await db.query(
      `SELECT DISTINCT ON (recipient) registration_id, recipient, agreement_id, registration_jws
           FROM consent_registration WHERE status = 'registered' ORDER BY recipient, registration_id`,
    );
    const byRecipient = new Map(stored.map((s) => [s.recipient, s]));
    const bank = byRecipient.get('bulk-bank')!;
    const telco = byRecipient.get('bulk-telco')!;
    expect(bank.agreement_id).not.toBe(telco.agreement_id);
    const claimsOf = (jws: string): Record<string, unknown> =>
      JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const keys = nodes.shop.app.get(KeysService);
    const signed = (
      base: string,
      change: { agreementId?: string; [claim: string]: unknown },
    ): Promise<string> => {
      const claims = claimsOf(base);
      // Subject tokens name the agreement they were made under: moved with it.
      const subjectTokens = (claims.subjectTokens as { keyId?: string }[]).map((t) => ({
        ...t,
        keyId: change.agreementId ?? t.keyId,
      }));
      return keys.sign('consent-registration', {
        ...claims,
        subjectTokens,
        registrationId: randomUUID(),
        jti: randomUUID(),
        ...change,
      } as never);
    };
    const batch = [
      await signed(bank.registration_jws, {}),
      // The telco pair's agreement does not cover the bank.
      await signed(bank.registration_jws, { agreementId: telco.agreement_id }),
      await signed(telco.registration_jws, {}),
      await signed(bank.registration_jws, { recipient: 'bulk-nobody' }),
      await signed(telco.registration_jws, { registrationId: telco.registration_id }),
      await signed(telco.registration_jws, { agreementId: 'no-such-agreement' }),
    ];
    const before = await counts();
    const answer = await new FederationClient({ baseUrl: federation.url }).registerConsents(batch);
    expect(answer.results.map((r) => [r.status, r.reason])).toEqual([
      ['registered', undefined],
      ['refused', 'AGREEMENT_NOT_ACTIVE'],
      ['registered', undefined],
      ['refused', 'PARTY_NOT_MEMBER'],
      ['refused', 'CONSENT_EXISTS'],
      ['refused', 'AGREEMENT_NOT_ACTIVE'],
    ]);
    expect((await counts()).federation).toBe(before.federation + 2);
  });

  const IMPORT = `mutation($input: ImportConsentsInput!) { importConsents(input: $input) { rows consentIds } }`;

  it('importConsents (GraphQL, compliance or admin): refused with BAD_USER_INPUT naming line and field, nothing stored; then stored', async () => {
    const before = await counts();
    const compliance = await nodes.shop.tokenFor(Role.COMPLIANCE);
    const batch = customers.slice(PEOPLE, PEOPLE + MORE);
    const agent = await nodes.shop.gql(
      IMPORT,
      { input: { privacyNoticeId: notice, csv: csv(batch.map((c) => line(c)))[0] } },
      await nodes.shop.tokenFor(Role.AGENT),
    );
    expect(agent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const refused = await nodes.shop.gql(
      IMPORT,
      {
        input: {
          privacyNoticeId: notice,
          csv: csv([
            line(batch[0]!),
            line('00000000-0000-4000-8000-000000000000'),
            line(batch[1]!, 'bulk-nobody'),
          ])[0],
        },
      },
      compliance,
    );
    const error = refused.errors?.[0];
    expect(error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'csv',
      badRows: 2,
      problems: [
        { line: 3, field: 'customerId', reason: expect.any(String) },
        { line: 4, field: 'recipients', reason: expect.any(String) },
      ],
    });
    expect(error?.message).toContain('line 3: customerId');
    expect(error?.message).toContain('line 4: recipients');
    const malformed = await nodes.shop.gql(
      IMPORT,
      {
        input: {
          privacyNoticeId: notice,
          csv: csv([`${batch[0]},CUSTOMER_CARE,CARE_HISTORY,bulk-bank,${until},SMOKE_SIGNALS,FR`])[0],
        },
      },
      compliance,
    );
    expect(malformed.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ line: 2, field: 'collectionMethod' }],
    });
    expect(await counts()).toEqual(before);

    const stored = ok(
      await nodes.shop.gql<{ importConsents: { rows: number; consentIds: string[] } }>(
        IMPORT,
        { input: { privacyNoticeId: notice, csv: csv(batch.map((c) => line(c)))[0] } },
        compliance,
      ),
    ).importConsents;
    expect(stored.rows).toBe(MORE);
    expect(new Set(stored.consentIds).size).toBe(MORE);
    expect(await counts()).toEqual({
      consents: before.consents + MORE,
      registrations: before.registrations + 2 * MORE,
      federation: before.federation + 2 * MORE,
    });
  });

  it('concordia import-consents <file> --notice <id>: a refused file names its lines and stores nothing; a good one is stored', async () => {
    const before = await counts();
    const batch = customers.slice(PEOPLE + MORE);
    const dir = await mkdtemp(join(tmpdir(), 'consents-import-'));
    const lines: string[] = [];
    const io: CliIo = {
      out: (t) => lines.push(t),
      err: (t) => lines.push(t),
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: nodes.shop.db.url,
        PARTNER_ID: PARTNERS.shop,
        FEDERATION_URL: federation.url,
        KEY_ENCRYPTION_SECRET: nodeSecret('shop'),
      },
    };
    try {
      const bad = join(dir, 'bad.csv');
      await writeFile(bad, csv([line(batch[0]!), line('not-a-customer')])[0]!);
      expect(await runCli(['import-consents', bad, '--notice', notice], io)).toBe(1);
      expect(lines.join('\n')).toMatch(/line 3: customerId /);
      expect(lines.join('\n')).toContain('Nothing was stored.');
      expect(await counts()).toEqual(before);
      expect(await runCli(['import-consents', bad], io)).toBe(2);

      const good = join(dir, 'good.csv');
      await writeFile(good, csv(batch.map((c) => line(c, 'bulk-bank')))[0]!);
      lines.length = 0;
      expect(await runCli(['import-consents', good, '--notice', notice], io)).toBe(0);
      expect(lines.join('\n')).toContain(`Imported ${MORE} consents`);
      expect(await counts()).toEqual({
        consents: before.consents + MORE,
        registrations: before.registrations + MORE,
        federation: before.federation + MORE,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('a file longer than one stored part (2,000 consents) is stored whole, or not at all when a later part fails or a later line is bad', async () => {
    const db = nodes.shop.app.get(DataSource);
    const LINES = 2_100;
    const ids = await addCustomers(nodes.shop, LINES, 'part');
    const importAll = () =>
      nodes.shop.app
        .get(ConsentImportService)
        .import(csv(ids.map((c) => line(c))), { privacyNoticeId: notice });
    const ledgered = async (): Promise<number> => {
      const [row]: { n: number }[] = await db.query(
        `SELECT (SELECT count(*)::int FROM ledger_queue) + (SELECT count(*)::int FROM ledger_entry) AS n`,
      );
      return row!.n;
    };
    const before = await counts();
    const ledgerBefore = await ledgered();

    // The second part fails at its 50th consent: the first part's 2,000 go with it.
    await db.query(`CREATE FUNCTION test_refuse_consent() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.customer_id = '${ids[2_049]}' THEN RAISE EXCEPTION 'refused by the test'; END IF;
        RETURN NEW;
      END $$`);
    await db.query(
      `CREATE TRIGGER test_refuse_consent BEFORE INSERT ON consent FOR EACH ROW EXECUTE FUNCTION test_refuse_consent()`,
    );
    try {
      await expect(importAll()).rejects.toThrow('refused by the test');
    } finally {
      await db.query(`DROP TRIGGER test_refuse_consent ON consent`);
      await db.query(`DROP FUNCTION test_refuse_consent()`);
    }
    expect(await counts()).toEqual(before);
    expect(await ledgered()).toBe(ledgerBefore);

    // A bad line after the first part, and a bad last line: refused with its number, nothing stored.
    for (const bad of [2_049, LINES - 1]) {
      const refused = await nodes.shop.app
        .get(ConsentImportService)
        .import(csv(ids.map((c, i) => line(i === bad ? '00000000-0000-4000-8000-000000000000' : c))), {
          privacyNoticeId: notice,
        });
      expect(refused).toMatchObject({ written: false, rows: LINES, badRows: 1, consentIds: [] });
      expect(refused.problems.map((p) => [p.line, p.field])).toEqual([[bad + 2, 'customerId']]);
      expect(await counts()).toEqual(before);
      expect(await ledgered()).toBe(ledgerBefore);
    }

    const report = await importAll();
    expect(report).toMatchObject({ written: true, rows: LINES, badRows: 0 });
    expect(new Set(report.consentIds).size).toBe(LINES);
    expect(await counts()).toEqual({
      consents: before.consents + LINES,
      registrations: before.registrations + 2 * LINES,
      federation: before.federation + 2 * LINES,
    });
    // One ledger entry a consent, all at the file's one time, whichever part stored them.
    await nodes.shop.app.get(NodeLedgerService).sequenceNow();
    const entries: { n: number; times: number }[] = await db.query(
      `SELECT count(*)::int AS n, count(DISTINCT appended_at)::int AS times FROM ledger_entry
        WHERE kind = 'consent.given' AND ((entry::jsonb) -> 'data') ->> 'consentId' = ANY ($1::text[])`,
      [report.consentIds],
    );
    expect(entries).toEqual([{ n: LINES, times: 1 }]);
  }, 180_000);

  it("a batch's check looks each registration id up by its key, not by reading the registry (20,000 registrations)", async () => {
    // Inside a transaction that is rolled back: nothing of it stays.
    const fed = federation.app.get(DataSource).createQueryRunner();
    await fed.startTransaction();
    try {
      // Registrations copied from a real one under new ids: the registry's size is what decides the plan.
      await fed.query(
        `INSERT INTO consent
         SELECT (jsonb_populate_record(NULL::consent, to_jsonb(c) || jsonb_build_object('consent_id', 'plan-test-' || g))).*
           FROM (SELECT * FROM consent LIMIT 1) c CROSS JOIN generate_series(1, 20000) g`,
      );
      await fed.query(`ANALYZE consent`);
      const batch: { consent_id: string; controller: string; recipient: string; agreement_id: string }[] =
        await fed.query(
          `SELECT consent_id, controller, recipients[1] AS recipient, agreement_id FROM consent
            ORDER BY consent_id DESC LIMIT 400`,
        );
      const [explained]: { 'QUERY PLAN': { Plan: PlanNode }[] }[] = await fed.query(
        `EXPLAIN (FORMAT JSON) ${CONSENT_REGISTRY_QUERIES.statements.registrationFacts}`,
        [
          batch.map((b) => b.consent_id),
          batch.map((b) => b.controller),
          batch.map((b) => b.recipient),
          batch.map((b) => b.agreement_id),
        ],
      );
      const scansOfConsent: string[] = [];
      const walk = (node: PlanNode): void => {
        if (node['Relation Name'] === 'consent') scansOfConsent.push(node['Node Type']);
        node.Plans?.forEach(walk);
      };
      walk(explained!['QUERY PLAN'][0]!.Plan);
      expect(scansOfConsent.length).toBeGreaterThan(0);
      expect(scansOfConsent.filter((type) => !type.startsWith('Index'))).toEqual([]);
    } finally {
      await fed.rollbackTransaction();
      await fed.release();
    }
  });
  it("a federation outage midway through a file's registrations: what was answered is stored, each consent summarised by it, the rest stays pending and leaves later", async () => {
    const db = nodes.shop.app.get(DataSource);
    const network = nodes.shop.app.get(NetworkService) as unknown as { clientInstance: FederationClient };
    const original = network.clientInstance;
    // The federation answers the file's first two batch requests; then it is unreachable.
    let batches = 0;
    network.clientInstance = new FederationClient({
      baseUrl: federation.url,
      fetch: (async (input: string | URL | Request, init?: RequestInit) => {
        if (String(input).endsWith(FEDERATION_PATHS.consentBatch) && ++batches > 2) {
          throw new TypeError('fetch failed');
        }
        return fetch(input, init);
      }) as typeof fetch,
    });
    let consentIds: string[];
    try {
      // 600 consents, 2 recipients each: two requests per agreement pair (500 and 100).
      const report = await nodes.shop.app
        .get(ConsentImportService)
        .import(csv(Array.from({ length: 600 }, (_, i) => line(customers[i % PEOPLE]!))), {
          privacyNoticeId: notice,
        });
      expect(report.written).toBe(true);
      consentIds = report.consentIds;
    } finally {
      network.clientInstance = original;
    }
    const statuses = async (): Promise<{ registered: number; pending: number; wrong: number }> => {
      const [row]: { registered: number; pending: number; wrong: number }[] = await db.query(
        `SELECT count(*) FILTER (WHERE r.status = 'registered')::int AS registered,
                count(*) FILTER (WHERE r.status = 'pending')::int AS pending,
                (SELECT count(*)::int FROM consent c
                  WHERE c.id = ANY ($1::uuid[])
                    AND (c.registration_status = 'registered') <> NOT EXISTS (
                      SELECT 1 FROM consent_registration g WHERE g.consent_id = c.id AND g.status <> 'registered')) AS wrong
           FROM consent_registration r WHERE r.consent_id = ANY ($1::uuid[])`,
        [consentIds],
      );
      return row!;
    };
    const midway = await statuses();
    expect(midway.registered + midway.pending).toBe(1_200);
    expect(midway.registered).toBeGreaterThanOrEqual(200);
    expect(midway.registered).toBeLessThanOrEqual(1_000);
    // Every registration the federation took is stored as registered, whichever consent it is of.
    const ids: { registration_id: string }[] = await db.query(
      `SELECT registration_id FROM consent_registration WHERE consent_id = ANY ($1::uuid[])`,
      [consentIds],
    );
    const [taken] = (await federation.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM consent WHERE consent_id = ANY ($1::text[])`, [
        ids.map((r) => r.registration_id),
      ])) as { n: number }[];
    expect(midway.registered).toBe(taken!.n);
    // Each consent says "registered" exactly when every one of its registrations is.
    expect(midway.wrong).toBe(0);
    await nodes.shop.app.get(ConsentsService).retryPending();
    expect(await statuses()).toEqual({ registered: 1_200, pending: 0, wrong: 0 });
  });

  it('consents keep their signatures out of line without trying to compress them, and index only withdrawn consents by who withdrew them', async () => {
    const db = nodes.shop.app.get(DataSource);
    const storage: { attname: string; attstorage: string }[] = await db.query(
      `SELECT attname, attstorage FROM pg_attribute
        WHERE attrelid = 'consent'::regclass AND attname IN ('receipt_jws', 'withdrawal_jws') ORDER BY attname`,
    );
    // 'e': external, uncompressed (a JWS never compresses); the default, 'x', tried on every insert.
    expect(storage).toEqual([
      { attname: 'receipt_jws', attstorage: 'e' },
      { attname: 'withdrawal_jws', attstorage: 'e' },
    ]);
    const [stored]: { consents: number; compressed: number }[] = await db.query(
      `SELECT count(*)::int AS consents, count(pg_column_compression(receipt_jws))::int AS compressed FROM consent`,
    );
    expect(stored!.consents).toBeGreaterThan(PEOPLE);
    expect(stored!.compressed).toBe(0);
    const [index]: { predicate: string }[] = await db.query(
      `SELECT pg_get_expr(x.indpred, x.indrelid) AS predicate FROM pg_index x
        WHERE x.indexrelid = 'consent_withdrawn_by_idx'::regclass`,
    );
    expect(index!.predicate).toBe('(withdrawn_by IS NOT NULL)');
    // The lookup its foreign key makes when a user is deleted (ON DELETE SET NULL) can use it.
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('SET LOCAL enable_seqscan = off');
      const [explained]: { 'QUERY PLAN': { Plan: PlanNode }[] }[] = await runner.query(
        `EXPLAIN (FORMAT JSON) SELECT 1 FROM consent WHERE withdrawn_by = $1`,
        [randomUUID()],
      );
      const plan = JSON.stringify(explained!['QUERY PLAN']);
      expect(plan).toContain('consent_withdrawn_by_idx');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it("a signed receipt's columns stay unchangeable, and the guard runs only for an update that names one of them", async () => {
    const db = nodes.shop.app.get(DataSource);
    const [consent]: { id: string; purposes: string[] }[] = await db.query(
      `SELECT id, purposes FROM consent WHERE withdrawal_jws IS NULL ORDER BY created_at LIMIT 1`,
    );
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    try {
      // This transaction's own calls of PL/pgSQL functions, counted.
      await runner.query(`SET LOCAL track_functions = 'pl'`);
      const guardCalls = async (): Promise<number> => {
        const [row]: { calls: number | null }[] = await runner.query(
          `SELECT (SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = 'consent_receipt_immutable')::int AS calls`,
        );
        return row!.calls ?? 0;
      };
      // A registration summary (what a bulk file's answers set, consent by consent): no guard.
      await runner.query(
        `UPDATE consent SET registration_status = 'registered', registered_at = now(), registration_error = NULL WHERE id = $1`,
        [consent!.id],
      );
      expect(await guardCalls()).toBe(0);
      // A change the receipt fixes is refused (and the guard ran for it).
      await runner.query('SAVEPOINT change');
      await expect(
        runner.query(`UPDATE consent SET purposes = '{marketing}' WHERE id = $1`, [consent!.id]),
      ).rejects.toThrow(/a signed receipt cannot be changed/);
      await runner.query('ROLLBACK TO SAVEPOINT change');
      await runner.query('SAVEPOINT change');
      await expect(
        runner.query(`UPDATE consent SET receipt_jws = receipt_jws || 'x' WHERE id = $1`, [consent!.id]),
      ).rejects.toThrow(/a signed receipt cannot be changed/);
      await runner.query('ROLLBACK TO SAVEPOINT change');
      // A withdrawal names guarded columns: the guard runs (and lets the first one through)…
      await runner.query(
        `UPDATE consent SET withdrawal_jws = 'signed.withdrawal.jws', withdrawn_at = now(), withdrawal_registration_status = 'pending' WHERE id = $1`,
        [consent!.id],
      );
      expect(await guardCalls()).toBe(1);
      // …and a withdrawal once recorded is fixed too.
      await expect(
        runner.query(`UPDATE consent SET withdrawn_at = now() - interval '1 day' WHERE id = $1`, [
          consent!.id,
        ]),
      ).rejects.toThrow(/a signed withdrawal cannot be changed/);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    const [after]: { purposes: string[] }[] = await db.query(`SELECT purposes FROM consent WHERE id = $1`, [
      consent!.id,
    ]);
    expect(after!.purposes).toEqual(consent!.purposes);
  });
});
