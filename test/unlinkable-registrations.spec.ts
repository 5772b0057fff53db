import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ConsentImportService } from '../apps/partner-node/src/consents/consent-import.service.js';
import { ConsentsService } from '../apps/partner-node/src/consents/consents.service.js';
import { OutboxService } from '../apps/partner-node/src/sharing/outbox.service.js';
import { DeliveryJob } from '../apps/partner-node/src/sharing/delivery.job.js';
import { PullService } from '../apps/partner-node/src/sharing/pull.service.js';
import { startTestFederation, type TestFederation } from '../apps/federation/src/testing/test-federation.js';
import type { TestNode } from '../apps/partner-node/src/testing/test-node.js';
import {
  addCustomer,
  agree,
  CARE_NOTICE,
  joinNetwork,
  ok,
  openCareCase,
  publishNotice,
  startPartners,
  waitFor,
} from '../apps/partner-node/src/testing/network.js';

/**
 * Issue 16: what the federation receives for one agreement cannot be joined with what it receives
 * for another. Three partners with agreements from each to the two others; every customer is a
 * customer of all three and gives, at each, one consent naming both other partners; each partner
 * opens a care case for each (pushed to both others in per-recipient batches), one partner's agent
 * reads half of them with the partners' history (pulls from both others); some withdraw (their
 * withdrawals are relayed and purge receipts come back). Then an auditor reads
 * EVERY row of EVERY table of the federation's database (tables discovered, JWS payloads decoded)
 * and joins rows by union-find over every identical value they hold: ids, hashes, tokens, JWS,
 * and timestamps (epoch seconds) that are rare enough to single out a registration. No group may
 * hold one person's subject tokens under two agreements: the ground truth comes from the nodes.
 */

const PEOPLE = 12;
const PARTNERS = { alpha: 'alpha-shop', beta: 'beta-bank', gamma: 'gamma-telecom' } as const;
type Name = keyof typeof PARTNERS;
const NAMES = Object.keys(PARTNERS) as Name[];
/**
 * A value held by more rows than this is a cohort (an agreement's id: 74 rows here), not a link;
 * one registration's id is held by up to ~20 (its subjects, events and their ledger entries, the
 * signed messages, each envelope, withdrawal and receipt naming it).
 */
const COHORT_ROWS = 40;
/** A timing value that joins one person's registrations under two agreements is a link when fewer registrations share it. */
const MIN_COHORT = 5;

describe('consent registrations at the federation are unlinkable across agreements (PostgreSQL, Redis)', () => {
  let federation: TestFederation;
  let nodes: Record<Name, TestNode>;
  const admin: Record<string, string> = {};
  /** person index → node name → customer id */
  const customers: Record<number, Record<Name, string>> = {};
  const consents: { person: number; at: Name; id: string }[] = [];

  beforeAll(async () => {
    federation = await startTestFederation('unlinkable_fed');
    // Windows of an hour: nothing leaves on its own during the test; flushes send all, per pair, shuffled.
    nodes = await startPartners('unlinkable', federation.url, PARTNERS, {
      CONSENT_REGISTRATION_WINDOW_SECONDS: '3600',
      SHARING_PUSH_WINDOW_SECONDS: '3600',
    });
    Object.assign(admin, await joinNetwork(federation, nodes));
    for (const from of NAMES) {
      for (const to of NAMES) {
        if (from !== to)
          await agree({ node: nodes[from], admin: admin[from]! }, { node: nodes[to], admin: admin[to]! });
      }
    }
    for (let person = 0; person < PEOPLE; person++) {
      customers[person] = {} as Record<Name, string>;
      for (const name of NAMES) {
        customers[person]![name] = await addCustomer(nodes[name], `person-${person}@example.org`);
      }
    }
    for (const name of NAMES) {
      const notice = await publishNotice({ node: nodes[name], admin: admin[name]! });
      const recipients = NAMES.filter((n) => n !== name).map((n) => PARTNERS[n]);
      for (let person = 0; person < PEOPLE; person++) {
        const given = ok(
          await nodes[name].gql<{ giveConsent: { id: string } }>(
            `mutation($input: GiveConsentInput!) { giveConsent(input: $input) { id } }`,
            {
              input: {
                customerId: customers[person]![name],
                privacyNoticeId: notice,
                purposes: ['CUSTOMER_CARE'],
                categories: ['CARE_HISTORY', 'ORDERS'],
                recipients,
                validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
                collectionMethod: 'WEB_FORM',
                jurisdiction: 'FR',
              },
            },
            admin[name],
          ),
        ).giveConsent;
        consents.push({ person, at: name, id: given.id });
      }
    }
    for (const name of NAMES) {
      const sent = await nodes[name].app.get(ConsentsService).retryPending();
      expect(sent).toMatchObject({ pending: 0 });
      // Controllers are independent: their flushes do not fall in one second (within a node the
      // registration service keeps its agreement pairs' batches apart itself).
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    // Pushed shares: a care case per person at each partner, pushed to both others. They wait in one
    // batch per recipient and agreement (the outbox listener drains at once; the batch is due in an hour).
    const reasons: Record<number, Record<Name, { careCaseId: string }>> = {};
    for (let person = 0; person < PEOPLE; person++) {
      reasons[person] = {} as Record<Name, { careCaseId: string }>;
      for (const name of NAMES)
        reasons[person]![name] = await openCareCase(nodes[name], customers[person]![name]);
    }
    for (const name of NAMES) {
      const db = nodes[name].app.get(DataSource);
      await waitFor(`${name}'s outbox drained into one open batch per recipient`, async () => {
        await nodes[name].app.get(OutboxService).drain();
        const [row]: { outbox: number; records: number; batches: number }[] = await db.query(
          `SELECT (SELECT count(*)::int FROM share_outbox WHERE processed_at IS NULL) AS outbox,
                  coalesce(sum(record_count), 0)::int AS records, count(*)::int AS batches
             FROM share_delivery WHERE status = 'pending'`,
        );
        return row!.outbox === 0 && row!.records === PEOPLE * 2 ? row : undefined;
      });
      const [open]: { batches: number }[] = await db.query(
        `SELECT count(*)::int AS batches FROM share_delivery WHERE status = 'pending'`,
      );
      expect(open!.batches).toBe(2);
      const batches: { id: string }[] = await db.query(
        `SELECT id FROM share_delivery WHERE status = 'pending' ORDER BY id`,
      );
      // Its delayed job run early (a sweep, a restart) leaves a batch that is not due yet alone…
      expect(await nodes[name].app.get(DeliveryJob).deliver(batches[0]!.id)).toBe('skipped');
      expect(await nodes[name].app.get(OutboxService).sendPending({ all: true })).toEqual({
        delivered: 2,
        refused: 0,
      });
      // …and once sent, finds nothing left to do (the envelope id stays its idempotency key).
      for (const { id } of batches)
        expect(await nodes[name].app.get(DeliveryJob).deliver(id, true)).toBe('skipped');
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    const [pushed]: { n: number }[] = await nodes.beta.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM shared_record`);
    expect(pushed!.n).toBe(PEOPLE * 2);
    // Pulls: beta's agent opens half of the people for their care case; each pull asks alpha and gamma.
    for (let person = 0; person < PEOPLE; person += 2) {
      const result = await nodes.beta.app
        .get(PullService)
        .pull(customers[person]!.beta, reasons[person]!.beta, null);
      expect(result.outcomes.map((o) => o.status).sort()).toEqual(['ok', 'ok']);
    }
    const alphaDb = nodes.alpha.app.get(DataSource);
    // Withdrawals: half of alpha's consents; their per-registration withdrawals are relayed.
    const withdrawn = consents.filter((c) => c.at === 'alpha' && c.person % 2 === 0);
    for (const consent of withdrawn) {
      ok(
        await nodes.alpha.gql(
          `mutation($id: ID!) { withdrawConsent(consentId: $id) { id } }`,
          { id: consent.id },
          admin.alpha,
        ),
      );
    }
    await nodes.alpha.app.get(ConsentsService).retryPending();
    await waitFor(
      'the purge receipts',
      async () => {
        const [row]: { n: number }[] = await alphaDb.query(
          `SELECT count(*)::int AS n FROM share_purge WHERE status = 'confirmed'`,
        );
        return row!.n >= withdrawn.length * 2 ? true : undefined;
      },
      60_000,
    );
  }, 300_000);

  afterAll(async () => {
    for (const node of Object.values(nodes ?? {})) await node.close();
    await federation?.close();
  });

  it('no group of federation rows joined by shared values holds a person under two agreements', async () => {
    // Ground truth, from the nodes: each subject token → (person, agreement).
    const truth = new Map<string, { person: number; agreement: string }>();
    for (const { person, at, id } of consents) {
      const [row]: { subject_tokens: { token: string; keyId: string }[] }[] = await nodes[at].app
        .get(DataSource)
        .query(`SELECT subject_tokens FROM consent WHERE id = $1`, [id]);
      for (const t of row!.subject_tokens) truth.set(`s:${t.token}`, { person, agreement: t.keyId });
    }

    // Every row of every table of the federation's database.
    const fed = federation.app.get(DataSource);
    const tables: { table_name: string }[] = await fed.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
        ORDER BY table_name`,
    );
    const rows: { table: string; values: Set<string> }[] = [];
    for (const { table_name } of tables) {
      const dump: { row: unknown }[] = await fed.query(`SELECT to_jsonb(t) AS row FROM "${table_name}" t`);
      for (const { row } of dump) rows.push({ table: table_name, values: valuesOf(row) });
    }
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['consent', 'consent_subject', 'federation_event', 'relay_log', 'refusal']),
    );
    expect(rows.length).toBeGreaterThan(PEOPLE * 6);
    // The federation did relay the pushes and the pulls: one request id per holder asked.
    const relayed: { kind: string; n: number; ids: number }[] = await fed.query(
      `SELECT kind, count(*)::int AS n, count(DISTINCT request_id)::int AS ids FROM relay_log GROUP BY kind ORDER BY kind`,
    );
    expect(relayed).toEqual(
      expect.arrayContaining([
        { kind: 'envelope', n: NAMES.length * 2, ids: NAMES.length * 2 },
        { kind: 'history', n: PEOPLE, ids: PEOPLE },
      ]),
    );

    // The federation does hold the tokens (it checks consents by them)…
    const tokensSeen = rows.filter((row) => [...row.values].some((v) => truth.has(v))).length;
    expect(tokensSeen).toBeGreaterThan(PEOPLE * 6);
    // A member's keys (kids, JWKs, statements) name the member, as its partner id does: every row
    // of what it signed shares them, however few rows a small test makes. They are no identifier.
    const memberValues = new Set(
      rows
        .filter((row) => MEMBER_TABLES.includes(row.table))
        .flatMap((row) => [...row.values].filter((value) => value.startsWith('s:'))),
    );
    for (const row of rows) for (const value of memberValues) row.values.delete(value);
    // …but no group joined by identical values (ids, hashes, tokens, JWS, timestamps stored to the
    // microsecond) holds one person's tokens under two agreements.
    const group = groupsOf(rows, (value) => value.startsWith('s:'));
    expect({ linkedPeople: linkedBy(group, rows, truth).size }).toEqual({ linkedPeople: 0 });
    // Timing: a value to the second (claims' epoch seconds, stored seconds) that rows share makes
    // them a cohort. Where one person's registrations under two agreements are in one, the cohort
    // must hold at least MIN_COHORT registrations (person and agreement). Each row stands for the
    // people of its whole group (what it joins to), and, since a batch joins the registrations it
    // names into one group, also for the people its own identifiers name directly (one hop): a
    // pull answer naming one registration stands for that one person, not for its whole batch.
    const byGroup = peopleOf(group, rows, truth);
    const groupTiming = timingCohorts(rows, (index) => byGroup.get(group[index]!));
    const direct = directPeople(rows, truth);
    const rowTiming = timingCohorts(rows, (index) => direct[index]);
    process.stdout.write(
      `unlinkable: ${rows.length} federation rows in ${tables.length} tables, ${tokensSeen} with tokens; ` +
        `people linked by identical values: 0 of ${PEOPLE}; smallest timing cohort joining a person's agreements: ` +
        `${groupTiming.smallest} registrations by groups (${groupTiming.at}), ${rowTiming.smallest} by rows (${rowTiming.at})\n`,
    );
    expect({ smallestCohort: Math.min(groupTiming.smallest, rowTiming.smallest, MIN_COHORT) }).toEqual({
      smallestCohort: MIN_COHORT,
    });
  });

  it('a bulk file with a window: registrations stored unsigned, due within the window, each signed when it leaves', async () => {
    const db = nodes.alpha.app.get(DataSource);
    const people: string[] = [];
    for (let i = 0; i < 6; i++) people.push(await addCustomer(nodes.alpha, `windowed-${i}@example.org`));
    // A later version of the care notice (the beforeAll published the first).
    const notice = await publishNotice(
      { node: nodes.alpha, admin: admin.alpha! },
      { ...CARE_NOTICE, version: '2026-12' },
    );
    const until = new Date(Date.now() + 100 * 86_400_000).toISOString();
    const file = [
      'customer_id,purposes,categories,recipients,valid_until,collection_method,jurisdiction',
      ...people.map(
        (c) => `${c},CUSTOMER_CARE,CARE_HISTORY,${PARTNERS.beta};${PARTNERS.gamma},${until},WEB_FORM,FR`,
      ),
    ].join('\n');
    const stored = Date.now();
    const report = await nodes.alpha.app
      .get(ConsentImportService)
      .import([file], { privacyNoticeId: notice });
    expect(report).toMatchObject({ written: true, rows: 6, badRows: 0 });
    const planned: { registration_id: string; jws: string | null; due_at: Date; status: string }[] =
      await db.query(
        `SELECT r.registration_id, r.registration_jws AS jws, r.due_at, r.status
         FROM consent_registration r WHERE r.consent_id = ANY ($1::uuid[])`,
        [report.consentIds],
      );
    // One per recipient, none signed yet (with a window a registration is signed when its paced step
    // comes), each due at its own moment within the hour, none sent.
    expect(planned).toHaveLength(12);
    expect(planned.every((r) => r.jws === null && r.status === 'pending')).toBe(true);
    for (const { due_at } of planned) {
      expect(due_at.getTime()).toBeGreaterThanOrEqual(stored - 1000);
      expect(due_at.getTime()).toBeLessThanOrEqual(Date.now() + 3_600_000);
    }
    const fed = federation.app.get(DataSource);
    const ids = planned.map((r) => r.registration_id);
    const held = async (): Promise<{ consent_id: string; jws: string }[]> =>
      fed.query(
        `SELECT c.consent_id, m.jws FROM consent c JOIN federation_ledger_message m ON m.hash = c.message_hash
          WHERE c.consent_id = ANY ($1::text[])`,
        [ids],
      );
    expect(await held()).toEqual([]);
    const sending = Date.now();
    expect(await nodes.alpha.app.get(ConsentsService).retryPending()).toMatchObject({ pending: 0 });
    // Sent: signed as they left (iat that minute), kept for retries, and the very messages the federation holds.
    const sent: { registration_id: string; jws: string; status: string }[] = await db.query(
      `SELECT registration_id, registration_jws AS jws, status FROM consent_registration WHERE registration_id = ANY ($1::uuid[])`,
      [ids],
    );
    const atFederation = new Map((await held()).map((r) => [r.consent_id, r.jws]));
    expect(atFederation.size).toBe(12);
    for (const row of sent) {
      expect(row.status).toBe('registered');
      expect(atFederation.get(row.registration_id)).toBe(row.jws);
      const { iat } = JSON.parse(Buffer.from(row.jws.split('.')[1]!, 'base64url').toString()) as {
        iat: number;
      };
      expect(iat % 60).toBe(0);
      expect(iat * 1000).toBeGreaterThanOrEqual(Math.floor(sending / 60_000) * 60_000);
    }
  }, 120_000);
});

/** The federation's tables of members and their keys. */
const MEMBER_TABLES = ['member', 'member_key', 'membership_application', 'federation_key'];
const SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/u;
/** Lower-case words joined by dots, dashes or underscores: `consent.withdrawn`, `beta-bank`, `customer-care`. */
const VOCABULARY = /^[a-z][a-z._-]*$/u;
const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/u;

type Truth = Map<string, { person: number; agreement: string }>;

/** Union-find of the rows over every value `counts` keeps that at most COHORT_ROWS rows hold: each row's group. */
function groupsOf(rows: readonly { values: Set<string> }[], counts: (value: string) => boolean): number[] {
  const holders = new Map<string, number[]>();
  rows.forEach((row, index) => {
    for (const value of row.values)
      if (counts(value)) holders.set(value, [...(holders.get(value) ?? []), index]);
  });
  const parent = rows.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (const indexes of holders.values()) {
    if (indexes.length > COHORT_ROWS) continue;
    for (const i of indexes.slice(1)) parent[find(i)] = find(indexes[0]!);
  }
  return rows.map((_, i) => find(i));
}

/** Per group, the (person → agreements) of the tokens its rows hold. */
function peopleOf(
  group: number[],
  rows: readonly { values: Set<string> }[],
  truth: Truth,
): Map<number, Map<number, Set<string>>> {
  const result = new Map<number, Map<number, Set<string>>>();
  rows.forEach((row, index) => {
    for (const value of row.values) {
      const known = truth.get(value);
      if (!known) continue;
      const byPerson = result.get(group[index]!) ?? new Map<number, Set<string>>();
      byPerson.set(known.person, (byPerson.get(known.person) ?? new Set()).add(known.agreement));
      result.set(group[index]!, byPerson);
    }
  });
  return result;
}

/** The people one group holds under two agreements. */
function linkedBy(group: number[], rows: readonly { values: Set<string> }[], truth: Truth): Set<number> {
  const linked = new Set<number>();
  for (const byPerson of peopleOf(group, rows, truth).values())
    for (const [person, agreements] of byPerson) if (agreements.size > 1) linked.add(person);
  return linked;
}

/**
 * Per row, the (person → agreements) its own identifying values name directly: the tokens it holds
 * and those held by the rows that share one of its identifiers (one hop).
 */
function directPeople(rows: readonly { values: Set<string> }[], truth: Truth): Map<number, Set<string>>[] {
  const holders = new Map<string, number[]>();
  rows.forEach((row, index) => {
    for (const value of row.values)
      if (value.startsWith('s:')) holders.set(value, [...(holders.get(value) ?? []), index]);
  });
  const own = rows.map((row) => {
    const byPerson = new Map<number, Set<string>>();
    for (const value of row.values) {
      const known = truth.get(value);
      if (known) byPerson.set(known.person, (byPerson.get(known.person) ?? new Set()).add(known.agreement));
    }
    return byPerson;
  });
  return rows.map((row, index) => {
    const byPerson = new Map<number, Set<string>>();
    const add = (from: Map<number, Set<string>>) => {
      for (const [person, agreements] of from)
        for (const agreement of agreements)
          byPerson.set(person, (byPerson.get(person) ?? new Set()).add(agreement));
    };
    add(own[index]!);
    for (const value of row.values) {
      const indexes = holders.get(value);
      if (!indexes || indexes.length > COHORT_ROWS) continue;
      for (const other of indexes) add(own[other]!);
    }
    return byPerson;
  });
}

/**
 * For every value to the second, the registrations (person and agreement) of the rows that hold
 * it, each row standing for the people `peopleOfRow` gives; the smallest such cohort in which one
 * person appears under two agreements (Infinity when none).
 */
function timingCohorts(
  rows: readonly { values: Set<string> }[],
  peopleOfRow: (index: number) => Map<number, Set<string>> | undefined,
): { smallest: number; at?: string } {
  const cohorts = new Map<string, Map<number, Set<string>>>();
  rows.forEach((row, index) => {
    const people = peopleOfRow(index);
    if (!people || people.size === 0) return;
    for (const value of row.values) {
      if (!value.startsWith('t:')) continue;
      const cohort = cohorts.get(value) ?? new Map<number, Set<string>>();
      for (const [person, agreements] of people)
        for (const agreement of agreements)
          cohort.set(person, (cohort.get(person) ?? new Set()).add(agreement));
      cohorts.set(value, cohort);
    }
  });
  let smallest = Infinity;
  let at: string | undefined;
  for (const [value, cohort] of cohorts) {
    const registrations = [...cohort.values()].reduce((n, agreements) => n + agreements.size, 0);
    if ([...cohort.values()].some((a) => a.size > 1) && registrations < smallest) {
      smallest = registrations;
      at = new Date(Number(value.slice(2)) * 1000).toISOString();
    }
  }
  return { smallest, at };
}

/**
 * Every identifying value of a row: each string (and, in a JWS, the strings and numbers of its
 * decoded claims; in JSON kept as text, its values), each epoch-seconds number; nested objects
 * and arrays walked.
 */
function valuesOf(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    // A time to the second is a timing value; one to the microsecond identifies its row. Words
    // of the vocabulary (event types, partner ids, purposes, statuses) are no identifiers.
    if (SECOND.test(value)) into.add(`t:${Date.parse(value) / 1000}`);
    else if (!VOCABULARY.test(value)) into.add(`s:${value}`);
    if (/^[[{]/u.test(value)) {
      // JSON kept as text (the ledger's canonical entries, event bodies): its values too.
      try {
        valuesOf(JSON.parse(value), into);
      } catch {
        // Not JSON: the string itself is the value.
      }
    }
    if (JWS.test(value)) {
      // The claims (the header holds only the kind and the signer's key id: shared by a whole cohort).
      for (const part of value.split('.').slice(1, 2)) {
        try {
          valuesOf(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')), into);
        } catch {
          // Not JSON: the string itself is the value.
        }
      }
    }
  } else if (typeof value === 'number' && value > 1_000_000_000 && value < 10_000_000_000) {
    into.add(`t:${value}`);
  } else if (Array.isArray(value)) {
    for (const item of value) valuesOf(item, into);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) valuesOf(item, into);
  }
  return into;
}
