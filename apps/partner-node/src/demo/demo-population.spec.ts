import { describe, expect, it } from '@jest/globals';
import {
  DEMO_PARTNERS,
  careCasesOf,
  consentChoicesOf,
  customersOf,
  featuredCustomer,
  personOfPool,
  type DemoPartnerProfile,
} from './demo-population.js';

const profiles: DemoPartnerProfile[] = DEMO_PARTNERS.map((p) => ({ ...p, customers: 300 }));
const ids = DEMO_PARTNERS.map((p) => p.partnerId);
const NOW = new Date('2026-06-01T12:00:00Z');

describe('demo population (pure, seeded)', () => {
  it('gives each partner distinct customers from one pool, overlapping between partners', () => {
    const [retailer, telecom, insurer] = profiles.map((p) => new Set(customersOf(p)));
    for (const set of [retailer, telecom, insurer]) expect(set!.size).toBe(300);
    const both = [...retailer!].filter((p) => telecom!.has(p));
    const all = both.filter((p) => insurer!.has(p));
    expect(both.length).toBeGreaterThan(100);
    expect(all.length).toBeGreaterThan(50);
    // The same person, so the same e-mail and phone, wherever they are a customer.
    expect(personOfPool(all[0]!)).toEqual(personOfPool(all[0]!));
    expect(customersOf(profiles[0]!)).toEqual(customersOf({ ...profiles[0]! }));
  });

  it('consent answers: about a fifth refuse, some limit, recipients are always other partners', () => {
    for (const profile of profiles) {
      const choices = [...consentChoicesOf(profile, ids).values()];
      expect(choices).toHaveLength(300);
      const refused = choices.filter((c) => c.answer === 'refused').length;
      expect(refused).toBeGreaterThan(30);
      expect(refused).toBeLessThan(100);
      expect(choices.some((c) => c.answer === 'care-only')).toBe(true);
      expect(choices.some((c) => c.answer === 'care-history-only')).toBe(true);
      for (const choice of choices) {
        if (choice.answer === 'refused') continue;
        expect(choice.recipients.length).toBe(choice.answer === 'one-partner' ? 1 : 2);
        expect(choice.recipients).not.toContain(profile.partnerId);
      }
    }
  });

  it('the featured customer is held by the desk and consented fully at a holder', () => {
    const [retailer, telecom, insurer] = profiles;
    const person = featuredCustomer(telecom!, [retailer!, insurer!], ids, NOW)!;
    expect(customersOf(telecom!)).toContain(person);
    const fullAt = [retailer!, insurer!].filter(
      (h) => customersOf(h).includes(person) && consentChoicesOf(h, ids).get(person)?.answer === 'full',
    );
    expect(fullAt.length).toBeGreaterThanOrEqual(1);
    // With 300 customers each, someone qualifies at both holders with care history at one at least.
    expect(fullAt).toHaveLength(2);
    expect(fullAt.some((h) => careCasesOf(h, NOW).some((c) => c.person === person))).toBe(true);
    // Nobody to feature when the desk shares no customer with the holders.
    const loner: DemoPartnerProfile = { partnerId: 'loner', kind: 'insurer', customers: 10, seed: 1 };
    const far: DemoPartnerProfile = { ...loner, partnerId: 'far', seed: 2 };
    const lonerPeople = new Set(customersOf(loner));
    const overlap = customersOf(far).filter((p) => lonerPeople.has(p));
    expect(featuredCustomer(loner, [far], ['loner', 'far'], NOW) === undefined).toBe(
      overlap.every((p) => consentChoicesOf(far, ['loner', 'far']).get(p)?.answer !== 'full'),
    );
  });
});
