import { compareTokens, FLAG_CONSENT, RECORD_BYTES, TOKEN_BYTES } from './manifest.js';

/** One side of a merge: its validated records (sorted by token) and its number of members. */
export interface ManifestSide {
  records: Buffer;
  members: number;
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
  return {
    counts,
    sharedTokens: shared,
    consented: consentedAt.map(({ at, member }) => ({
      token: Buffer.from(a.records.subarray(at, at + TOKEN_BYTES)),
      person: find(member),
    })),
  };
}
