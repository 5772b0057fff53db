import {
  SeededRandom,
  fakePerson,
  pickProduct,
  CARE_TOPICS,
  type BusinessKind,
  type FakePerson,
} from '#fixtures';

/**
 * The demo's customers and their history, generated from a fixed seed. People come from one pool
 * shared by every demo partner, so that partners' customer bases overlap the way real ones do:
 * person #42 is the same person (same e-mail and phone) at the retailer and at the telecom operator.
 */
export interface DemoPartnerProfile {
  partnerId: string;
  kind: BusinessKind;
  /** How many customers this partner has. */
  customers: number;
  /** Seed of this partner's choices (which people, what they bought…). */
  seed: number;
}

export const DEMO_POOL_SEED = 20261122;

/** The size of the shared pool of people, given the size of one partner's customer base. */
export const poolSize = (customers: number): number => Math.ceil(customers * 1.6);

export function personOfPool(index: number): FakePerson {
  return fakePerson(new SeededRandom(DEMO_POOL_SEED + index * 7919), index);
}

/** Which people of the pool are this partner's customers (distinct, in a stable order). */
export function customersOf(profile: DemoPartnerProfile): number[] {
  const random = new SeededRandom(profile.seed);
  const pool = poolSize(profile.customers);
  const chosen = new Set<number>();
  while (chosen.size < profile.customers) chosen.add(random.int(0, pool - 1));
  return [...chosen].sort((a, b) => a - b);
}

const csvCell = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const csvLine = (cells: (string | number | null | undefined)[]): string =>
  `${cells.map(csvCell).join(',')}\n`;

export const externalIdOf = (partnerId: string, person: number): string => `${partnerId}-${person}`;

/** The customers CSV of a partner, as the product's importer reads it. */
export function* customersCsv(profile: DemoPartnerProfile): Generator<string> {
  const random = new SeededRandom(profile.seed + 1);
  yield csvLine([
    'external_id',
    'first_name',
    'last_name',
    'email',
    'phone',
    'address_line1',
    'address_postal_code',
    'address_city',
    'address_country',
    'language',
    'lifecycle_stage',
    'tags',
  ]);
  for (const index of customersOf(profile)) {
    const person = personOfPool(index);
    const stage = random.weighted([
      ['customer', 70],
      ['prospect', 15],
      ['lead', 5],
      ['churned', 10],
    ] as const);
    const tags = [random.chance(0.15) ? 'vip' : '', random.chance(0.4) ? 'newsletter' : ''].filter(Boolean);
    yield csvLine([
      externalIdOf(profile.partnerId, index),
      person.firstName,
      person.lastName,
      person.email,
      person.phone,
      person.address.line1,
      person.address.postalCode,
      person.address.city,
      person.address.country,
      person.language,
      stage,
      tags.join('|'),
    ]);
  }
}

const CURRENCY_OF_COUNTRY: Record<string, string> = { GB: 'GBP' };

/** The orders CSV of a partner: one row per order line, over the last two years. */
export function* ordersCsv(profile: DemoPartnerProfile, now: Date): Generator<string> {
  const random = new SeededRandom(profile.seed + 2);
  const from = new Date(now.getTime() - 730 * 86400_000);
  yield csvLine([
    'order_external_id',
    'customer_external_id',
    'ordered_at',
    'status',
    'channel',
    'currency',
    'sku',
    'product_name',
    'product_category',
    'quantity',
    'unit_price',
  ]);
  for (const index of customersOf(profile)) {
    const person = personOfPool(index);
    const orders = random.weighted([
      [0, 15],
      [1, 30],
      [2, 25],
      [3, 15],
      [5, 10],
      [8, 5],
    ] as const);
    for (let o = 0; o < orders; o++) {
      const orderedAt = random.date(from, new Date(now.getTime() - 3600_000)).toISOString();
      const status = random.weighted([
        ['delivered', 75],
        ['shipped', 8],
        ['paid', 7],
        ['cancelled', 5],
        ['returned', 5],
      ] as const);
      const channel = random.weighted([
        ['web', 50],
        ['store', 30],
        ['phone', 10],
        ['marketplace', 10],
      ] as const);
      const lines = random.int(1, 3);
      for (let l = 0; l < lines; l++) {
        const product = pickProduct(random, profile.kind);
        yield csvLine([
          `${externalIdOf(profile.partnerId, index)}-o${o}`,
          externalIdOf(profile.partnerId, index),
          orderedAt,
          status,
          channel,
          CURRENCY_OF_COUNTRY[person.address.country] ?? 'EUR',
          product.sku,
          product.name,
          product.category,
          random.weighted([
            [1, 80],
            [2, 15],
            [3, 5],
          ] as const),
          (product.priceCents / 100).toFixed(2),
        ]);
      }
    }
  }
}

export interface DemoCareCase {
  person: number;
  category: string;
  subject: string;
  openedAt: Date;
  /** What became of it: still open, resolved with the customer's satisfaction, or closed. */
  outcome: 'open' | 'pending' | { resolvedAfterHours: number; satisfaction: number | null };
  interactions: { channel: string; direction: string; hoursAfterOpening: number; summary: string }[];
}

/** Care cases (with their interactions) for about 15% of a partner's customers. */
export function careCasesOf(profile: DemoPartnerProfile, now: Date): DemoCareCase[] {
  const random = new SeededRandom(profile.seed + 3);
  const topics = CARE_TOPICS[profile.kind];
  const from = new Date(now.getTime() - 365 * 86400_000);
  const cases: DemoCareCase[] = [];
  for (const person of customersOf(profile)) {
    if (!random.chance(0.15)) continue;
    const [category, subject] = random.pick(topics);
    const openedAt = random.date(from, new Date(now.getTime() - 6 * 3600_000));
    const roll = random.next();
    const outcome: DemoCareCase['outcome'] =
      roll < 0.1
        ? 'open'
        : roll < 0.18
          ? 'pending'
          : {
              resolvedAfterHours: random.int(1, 120),
              satisfaction: random.chance(0.7)
                ? random.weighted([
                    [5, 40],
                    [4, 30],
                    [3, 15],
                    [2, 8],
                    [1, 7],
                  ] as const)
                : null,
            };
    const count = random.int(1, 3);
    const interactions = Array.from({ length: count }, (_, i) => ({
      channel: random.weighted([
        ['phone', 45],
        ['email', 25],
        ['chat', 20],
        ['social', 5],
        ['in_person', 5],
      ] as const),
      direction: i === 0 ? 'inbound' : random.pick(['inbound', 'outbound']),
      hoursAfterOpening: i === 0 ? 0 : random.int(1, 48) * i,
      summary: i === 0 ? `Customer reported: ${subject.toLowerCase()}` : 'Follow-up with the customer',
    }));
    cases.push({ person, category, subject, openedAt, outcome, interactions });
  }
  return cases;
}

/** The three partners of the demo network; their customer bases overlap (one pool of people). */
export const DEMO_PARTNERS = [
  { partnerId: 'retailer', name: 'Voltmart Electronics', kind: 'electronics-retailer', seed: 1001 },
  { partnerId: 'telecom', name: 'Nordlink Telecom', kind: 'telecom-operator', seed: 2002 },
  { partnerId: 'insurer', name: 'Aegis Mutual Insurance', kind: 'insurer', seed: 3003 },
] as const satisfies readonly (Omit<DemoPartnerProfile, 'customers'> & { name: string })[];

/**
 * What a customer answered when asked to share with the partners: everything (customer care and
 * marketing, to every partner), customer care only, care history only (no orders), one partner
 * only, or no (no consent recorded).
 */
export type DemoConsentChoice =
  | { answer: 'full' | 'care-only' | 'care-history-only'; recipients: string[] }
  | { answer: 'one-partner'; recipients: string[] }
  | { answer: 'refused' };

/** The consent answers of a partner's customers, from its seed: about 60 % full, 20 % refuse. */
export function consentChoicesOf(
  profile: DemoPartnerProfile,
  partners: readonly string[],
): Map<number, DemoConsentChoice> {
  const random = new SeededRandom(profile.seed + 5);
  const others = partners.filter((p) => p !== profile.partnerId);
  const choices = new Map<number, DemoConsentChoice>();
  for (const person of customersOf(profile)) {
    const answer = random.weighted([
      ['full', 60],
      ['care-only', 10],
      ['care-history-only', 5],
      ['one-partner', 5],
      ['refused', 20],
    ] as const);
    choices.set(
      person,
      answer === 'refused'
        ? { answer }
        : answer === 'one-partner'
          ? { answer, recipients: [random.pick(others)] }
          : { answer, recipients: others },
    );
  }
  return choices;
}

/**
 * The customer the demo opens at a care desk: a customer there who is also a customer of the
 * other partners (the holders), consented fully at as many of them as possible and has care
 * history at as many as possible. Undefined when no holder shares a customer with the desk.
 */
export function featuredCustomer(
  desk: DemoPartnerProfile,
  holders: readonly DemoPartnerProfile[],
  partners: readonly string[],
  now: Date,
): number | undefined {
  const holderSets = holders.map((h) => new Set(customersOf(h)));
  const withCare = holders.map((h) => new Set(careCasesOf(h, now).map((c) => c.person)));
  const choices = holders.map((h) => consentChoicesOf(h, partners));
  let best: { person: number; score: number } | undefined;
  for (const person of customersOf(desk)) {
    let score = 0;
    holders.forEach((_, i) => {
      if (!holderSets[i].has(person) || choices[i].get(person)?.answer !== 'full') return;
      score += 10 + (withCare[i].has(person) ? 1 : 0);
    });
    if (score > 0 && (!best || score > best.score)) best = { person, score };
  }
  return best?.person;
}
