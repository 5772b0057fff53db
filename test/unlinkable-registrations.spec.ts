import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ConsentsService } from '../apps/partner-node/src/consents/consents.service.js';
import { startTestFederation, type TestFederation } from '../apps/federation/src/testing/test-federation.js';
import type { TestNode } from '../apps/partner-node/src/testing/test-node.js';
import {
  addCustomer,
  agree,
  joinNetwork,
  ok,
  publishNotice,
  startPartners,
  waitFor,
} from '../apps/partner-node/src/testing/network.js';

/**
 * Issue 16: what the federation receives for one agreement cannot be joined with what it receives
 * for another. Three partners with agreements from each to the two others; every customer is a
 * customer of all three and gives, at each, one consent naming both other partners; some
 * withdraw (their withdrawals are relayed and purge receipts come back). Then an auditor reads
 * EVERY row of EVERY table of the federation's database (tables discovered, JWS payloads decoded)
 * and joins rows by union-find over every identical value they hold: ids, hashes, tokens, JWS,
 * and timestamps (epoch seconds) that are rare enough to single out a registration. No group may
 * hold one person's subject tokens under two agreements: the ground truth comes from the nodes.
 */

const PEOPLE = 12;
const PARTNERS = { alpha: 'alpha-shop', beta: 'beta-bank', gamma: 'gamma-telecom' } as const;
type Name = keyof typeof PARTNERS;
const NAMES = Object.keys(PARTNERS) as Name[];
/** A value held by more rows than this is a cohort (a partner id, a purpose, a batch's minute), not a link. */
const COHORT_ROWS = 16;
/** A timing value shared by fewer groups than this, one person's under two agreements among them, is a link. */
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
    // A window of an hour: nothing leaves on its own during the test; flushes send all, per pair, shuffled.
    nodes = await startPartners('unlinkable', federation.url, PARTNERS, {
      CONSENT_REGISTRATION_WINDOW_SECONDS: '3600',
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
    // Relay traffic of withdrawals only: pushed shares were found to join (see the report of issue 16).
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

    // The federation does hold the tokens (it checks consents by them)…
    const tokensSeen = rows.filter((row) => [...row.values].some((v) => truth.has(v))).length;
    expect(tokensSeen).toBeGreaterThan(PEOPLE * 6);
    // …but no group joined by identical values (ids, hashes, tokens, JWS, timestamps stored to the
    // microsecond) holds one person's tokens under two agreements.
    const group = groupsOf(rows, (value) => value.startsWith('s:'));
    expect({ linkedPeople: linkedBy(group, rows, truth).size }).toEqual({ linkedPeople: 0 });
    // Timing: a value to the second (claims' epoch seconds, stored seconds) that two groups share
    // makes them a cohort. No person's groups under two agreements may share one whose cohort is
    // smaller than MIN_COHORT groups holding tokens.
    const timing = timingCohorts(group, rows, truth);
    process.stdout.write(
      `unlinkable: ${rows.length} federation rows in ${tables.length} tables, ${tokensSeen} with tokens; ` +
        `people linked by identical values: 0 of ${PEOPLE}; smallest timing cohort joining a person's agreements: ${timing.smallest} (${timing.at})\n`,
    );
    expect({ smallestCohort: Math.min(timing.smallest, MIN_COHORT) }).toEqual({ smallestCohort: MIN_COHORT });
  });
});

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
 * For every value to the second, the groups (holding tokens) that share it; the smallest such
 * cohort in which one person appears under two agreements (Infinity when none).
 */
function timingCohorts(
  group: number[],
  rows: readonly { values: Set<string> }[],
  truth: Truth,
): { smallest: number; at?: string } {
  const people = peopleOf(group, rows, truth);
  const cohorts = new Map<string, Set<number>>();
  rows.forEach((row, index) => {
    if (!people.has(group[index]!)) return;
    for (const value of row.values) {
      if (value.startsWith('t:')) cohorts.set(value, (cohorts.get(value) ?? new Set()).add(group[index]!));
    }
  });
  let smallest = Infinity;
  let at: string | undefined;
  for (const [value, members] of cohorts) {
    const agreementsByPerson = new Map<number, Set<string>>();
    for (const member of members)
      for (const [person, agreements] of people.get(member)!)
        for (const agreement of agreements)
          agreementsByPerson.set(person, (agreementsByPerson.get(person) ?? new Set()).add(agreement));
    if ([...agreementsByPerson.values()].some((a) => a.size > 1) && members.size < smallest) {
      smallest = members.size;
      at = new Date(Number(value.slice(2)) * 1000).toISOString();
    }
  }
  return { smallest, at };
}

/**
 * Every identifying value of a row: each string (and, in a JWS, the strings and numbers of its
 * decoded claims), each epoch-seconds number; nested objects and arrays walked.
 */
function valuesOf(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    // A time to the second is a timing value; one to the microsecond identifies its row. Words
    // of the vocabulary (event types, partner ids, purposes, statuses) are no identifiers.
    if (SECOND.test(value)) into.add(`t:${Date.parse(value) / 1000}`);
    else if (!VOCABULARY.test(value)) into.add(`s:${value}`);
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
