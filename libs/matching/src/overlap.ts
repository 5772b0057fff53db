import { compareTokens, FLAG_CONSENT, RECORD_BYTES, TOKEN_BYTES } from './manifest.js';

/** One side of a merge: its validated records (sorted by token) and its number of members. */
export interface ManifestSide {
  records: Buffer;
  members: number;
  /** Buckets of a breakdown (0 or absent: none). */
  buckets?: number;
}

/** One bucket of one side: its people, those also in the other segment, and the others. */
export interface SideCell {
  count: number;
  intersection: number;
  only: number;
}

/** Counts of people (not tokens): |A|, |B|, |A ∩ B|, |A ∪ B|, |A \ B|, |B \ A|. */
export interface OverlapCounts {
  a: number;
  b: number;
  intersection: number;
  union: number;
  aOnly: number;
  bOnly: number;
}

export interface Overlap {
  counts: OverlapCounts;
  /** Tokens present in both manifests. */
  sharedTokens: number;
  /**
   * Shared tokens flagged as consented on both sides, each with the person (component) it
   * belongs to: the member-level merge, before the federation checks the flags in its registry.
   */
  consented: { token: Buffer; person: number }[];
  /**
   * Per side, per bucket index (0 = none, 1 … buckets): people by that side's own attribute
   * (a person's bucket is the one of its lowest member ordinal on that side). Only when both
   * sides declare buckets.
   */
  breakdown?: { a: SideCell[]; b: SideCell[] };
}

/**
 * The overlap of two sorted manifests, in one merge pass (no sort, no hashing). People: the
 * members of both sides linked by shared tokens (union-find), so a customer known by e-mail and
 * phone on one side and by phone only on the other counts once, and two records of one side that
 * share a token with the same record of the other are one person.
 */
export function overlap(a: ManifestSide, b: ManifestSide): Overlap {
  const parent = new Int32Array(a.members + b.members);
  for (let i = 0; i < parent.length; i += 1) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const consentedAt: { at: number; member: number }[] = [];
  let shared = 0;
  let i = 0;
  let j = 0;
  const aEnd = a.records.length;
  const bEnd = b.records.length;
  while (i < aEnd && j < bEnd) {
    const order = compareTokens(a.records, i, b.records, j);
    if (order < 0) i += RECORD_BYTES;
    else if (order > 0) j += RECORD_BYTES;
    else {
      shared += 1;
      const memberA = a.records.readUInt32BE(i + TOKEN_BYTES);
      const memberB = a.members + b.records.readUInt32BE(j + TOKEN_BYTES);
      const rootA = find(memberA);
      const rootB = find(memberB);
      if (rootA !== rootB) parent[rootB] = rootA;
      if (a.records[i + TOKEN_BYTES + 4]! & b.records[j + TOKEN_BYTES + 4]! & FLAG_CONSENT) {
        consentedAt.push({ at: i, member: memberA });
      }
      i += RECORD_BYTES;
      j += RECORD_BYTES;
    }
  }
  // Per person (root): bit 1 = has a member of A, bit 2 = of B.
  const sides = new Uint8Array(parent.length);
  for (let m = 0; m < parent.length; m += 1) sides[find(m)]! |= m < a.members ? 1 : 2;
  const counts: OverlapCounts = { a: 0, b: 0, intersection: 0, union: 0, aOnly: 0, bOnly: 0 };
  for (let r = 0; r < sides.length; r += 1) {
    const s = sides[r]!;
    if (s === 0) continue;
    counts.union += 1;
    if (s & 1) counts.a += 1;
    if (s & 2) counts.b += 1;
    if (s === 3) counts.intersection += 1;
    else if (s === 1) counts.aOnly += 1;
    else counts.bOnly += 1;
  }
  let breakdown: Overlap['breakdown'];
  if (a.buckets && b.buckets) {
    breakdown = {
      a: sideBreakdown(a, 0, a.buckets, find, sides),
      b: sideBreakdown(b, a.members, b.buckets, find, sides),
    };
  }
  return {
    counts,
    breakdown,
    sharedTokens: shared,
    consented: consentedAt.map(({ at, member }) => ({
      token: Buffer.from(a.records.subarray(at, at + TOKEN_BYTES)),
      person: find(member),
    })),
  };
}

/** People of one side by bucket: each person once, in the bucket of its lowest member ordinal. */
function sideBreakdown(
  side: ManifestSide,
  offset: number,
  buckets: number,
  find: (x: number) => number,
  sides: Uint8Array,
): SideCell[] {
  const bucketOf = new Uint8Array(side.members);
  for (let at = 0; at < side.records.length; at += RECORD_BYTES) {
    const member = side.records.readUInt32BE(at + TOKEN_BYTES);
    bucketOf[member] = side.records[at + TOKEN_BYTES + 4]! >> 1;
  }
  const cells = Array.from({ length: buckets + 1 }, () => ({ count: 0, intersection: 0, only: 0 }));
  const seen = new Set<number>();
  for (let m = 0; m < side.members; m += 1) {
    const person = find(offset + m);
    if (seen.has(person)) continue;
    seen.add(person);
    const cell = cells[bucketOf[m]!]!;
    cell.count += 1;
    if (sides[person] === 3) cell.intersection += 1;
    else cell.only += 1;
  }
  return cells;
}
