import { describe, expect, it } from '@jest/globals';
import { DEMO_MERGE, randomMergeTable, SeededRandom, type MergeTable } from '#fixtures';
import { suppressMerge } from './suppression.js';
import { auditMerge, type PublishedMerge } from './merge-audit.js';
import { suppressMergeBaseline } from '../../../bench/suppression-baseline.js';

/** The table as a signed result publishes it. */
function publish(table: MergeTable): PublishedMerge & ReturnType<typeof suppressMerge> {
  return {
    minCohortSize: table.minCohortSize,
    consented: { persons: table.consentedPersons },
    ...suppressMerge(table.counts, table.breakdown, table.minCohortSize, table.consentedPersons),
  };
}

/** What the auditor must find in every published table: nothing. */
function expectProtected(published: PublishedMerge) {
  const audit = auditMerge(published);
  expect({
    pinned: audit.pinned,
    provenSmall: audit.provenSmall,
    publishedSmall: audit.publishedSmall,
  }).toEqual({
    pinned: [],
    provenSmall: [],
    publishedSmall: [],
  });
  return audit;
}

describe('merge suppression', () => {
  const counts = { a: 100, b: 80, intersection: 30, union: 150, aOnly: 70, bOnly: 50 };

  it('publishes everything at or above the minimum cohort size', () => {
    const out = suppressMerge(counts, undefined, 30);
    expect(out.counts).toEqual(counts);
    expect(out.sensitive + out.complementary).toBe(0);
  });

  it('suppresses a small intersection and what would give it back, never |A| or |B|', () => {
    const out = suppressMerge(
      { ...counts, intersection: 4, aOnly: 96, bOnly: 76, union: 176 },
      undefined,
      10,
    );
    expect(out.counts).toEqual({ a: 100, b: 80, intersection: null, union: null, aOnly: null, bOnly: null });
    // ∩ can be anything from 0 to min(|A|, |B|) = 80: not proven small.
    expect(out.intervals.counts.intersection).toEqual({ lo: 0, hi: 80 });
    expectProtected({ minCohortSize: 10, ...out });
  });

  it('counts the consented people, published below k too, as a floor of ∩ (suppressor and auditor alike)', () => {
    const small = { ...counts, intersection: 4, aOnly: 96, bOnly: 76, union: 176 };
    const out = suppressMerge(small, undefined, 10, 4);
    expect(out.intervals.counts.intersection).toEqual({ lo: 4, hi: 80 });
    const audit = expectProtected({ minCohortSize: 10, consented: { persons: 4 }, ...out });
    expect(audit.suppressed.find((c) => c.name === 'counts.intersection')).toEqual({
      name: 'counts.intersection',
      lo: 4,
      hi: 80,
    });
  });

  it('hides the three "in both" cells that add up to a published total minus the others', () => {
    // The auditor's finding on the old algorithm: 44 + 65 published, ∩ = 109 published, three
    // small cells suppressed that must add up to 0, so each is 0.
    const a = [
      { count: 3, intersection: 0, only: 3 },
      { count: 120, intersection: 44, only: 76 },
      { count: 150, intersection: 65, only: 85 },
      { count: 6, intersection: 0, only: 6 },
      { count: 4, intersection: 0, only: 4 },
    ];
    const b = [
      { count: 0, intersection: 0, only: 0 },
      { count: 70, intersection: 50, only: 20 },
      { count: 90, intersection: 59, only: 31 },
    ];
    const table: MergeTable = {
      minCohortSize: 10,
      counts: { a: 283, b: 160, intersection: 109, union: 334, aOnly: 174, bOnly: 51 },
      breakdown: { a, b },
      consentedPersons: 0,
    };
    const out = publish(table);
    expect(out.counts.intersection).toBe(109);
    for (const row of [0, 3, 4]) expect(out.breakdown!.a[row]!.intersection).toBeNull();
    const audit = expectProtected(out);
    expect(audit.suppressed.length).toBe(out.sensitive + out.complementary);
    // The library's own intervals are the auditor's.
    for (const cell of audit.suppressed) {
      const [, side, row, measure] = /^breakdown\.(a|b)\[(\d+)\]\.(\w+)$/u.exec(cell.name) ?? [];
      const interval = side
        ? out.intervals.breakdown![side as 'a' | 'b'][Number(row)]![measure as 'count']
        : out.intervals.counts[cell.name.slice('counts.'.length) as 'a'];
      expect(interval).toEqual({ lo: cell.lo, hi: cell.hi });
    }
  });

  it("finds what the auditor found in the demo's result under the old suppression, and nothing under the new", () => {
    const { counts, breakdown, minCohortSize } = DEMO_MERGE;
    const old = auditMerge(suppressMergeBaseline(counts, breakdown, minCohortSize));
    // 14 cells suppressed, 8 of them pinned: the three "in both" cells that add up to
    // 109 − 44 − 65 = 0, and what follows from them.
    expect([old.suppressed.length, old.pinned.length]).toEqual([14, 8]);
    expect(old.pinned.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'breakdown.a[0].intersection',
        'breakdown.a[2].intersection',
        'breakdown.a[4].intersection',
      ]),
    );
    const out = publish(DEMO_MERGE);
    expectProtected(out);
    // The point of the merge stays published.
    expect(out.counts).toMatchObject({ a: 503, b: 825, intersection: 109 });
  });

  it('is deterministic: the same table gives the same published cells', () => {
    const random = new SeededRandom(7);
    const table = randomMergeTable(random);
    expect(publish(table)).toEqual(publish(table));
  });

  it('leaves nothing for the auditor in 1,000 generated merge tables (1–12 countries a side, many small cells)', () => {
    const random = new SeededRandom(20261204);
    let suppressedCells = 0;
    for (let i = 0; i < 1000; i += 1) {
      const table = randomMergeTable(random);
      const out = publish(table);
      const audit = expectProtected(out);
      suppressedCells += audit.suppressed.length;
      // Every cell under the cohort is suppressed, and |A|, |B| stay published when ≥ k.
      if (table.counts.a >= table.minCohortSize) expect(out.counts.a).toBe(table.counts.a);
      if (table.counts.b >= table.minCohortSize) expect(out.counts.b).toBe(table.counts.b);
    }
    expect(suppressedCells).toBeGreaterThan(1000);
  });
});
