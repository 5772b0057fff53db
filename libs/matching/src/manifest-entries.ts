import { isProtocolError, MAX_MERGE_BUCKETS, subjectToken, type SubjectKind } from '#protocol';
import { tokenBytes, type ManifestEntry } from './manifest.js';

/** One identifier of a segment member, as a node reads it for its manifest. */
export interface MemberIdentifier {
  customerId: string;
  kind: SubjectKind;
  value: string;
  /** The customer's country, the bucket of a breakdown by country (null: unknown). */
  country: string | null;
}

export interface ManifestEntries {
  entries: ManifestEntry[];
  /** Subject token → the customer it names (to resolve the merge's result). */
  owner: Map<string, string>;
  /** The bucket labels of a breakdown: bucket i + 1 is labels[i]; 0 is unknown (or beyond the limit). */
  labels: string[];
  /** Identifiers that cannot be normalised (counted, never logged). */
  skipped: number;
}

/**
 * A node's manifest entries for one merge: one record per subject token under the agreement's
 * pseudonym `key`, numbered by member, flagged when `consented` holds the token (the customer's
 * live consent to share segment membership with the partner), in its country's bucket when
 * `bucketBy` asks for a breakdown. Identifiers arrive ordered by customer; a token that two
 * customers share (one address for two records) stays with the first.
 */
export function manifestEntriesOf(
  identifiers: readonly MemberIdentifier[],
  key: Uint8Array,
  consented: ReadonlySet<string>,
  bucketBy: boolean,
): ManifestEntries {
  const labels = bucketBy
    ? [...new Set(identifiers.map((r) => r.country).filter((c): c is string => c !== null))]
        .sort()
        .slice(0, MAX_MERGE_BUCKETS)
    : [];
  const bucketOf = new Map(labels.map((label, i) => [label, i + 1]));
  const ordinal = new Map<string, number>();
  const owner = new Map<string, string>();
  const entries: ManifestEntry[] = [];
  let skipped = 0;
  for (const { customerId, kind, value, country } of identifiers) {
    let token: string;
    try {
      token = subjectToken(key, kind, value);
    } catch (error) {
      if (!isProtocolError(error, 'INVALID_IDENTIFIER')) throw error;
      skipped += 1;
      continue;
    }
    if (owner.has(token)) continue;
    owner.set(token, customerId);
    if (!ordinal.has(customerId)) ordinal.set(customerId, ordinal.size);
    entries.push({
      token: tokenBytes(token),
      member: ordinal.get(customerId)!,
      consent: consented.has(token),
      bucket: country === null ? 0 : (bucketOf.get(country) ?? 0),
    });
  }
  return { entries, owner, labels, skipped };
}

/** What a merge needs of its agreement (the local mirror's fields). */
export interface MergeAgreementTerms {
  agreementId: string;
  state: string;
  purposes: readonly string[];
  categories: readonly string[];
  direction: string;
}

/**
 * Why an agreement cannot carry a segment merge, or null when it can: it must be accepted or
 * active, cover the purpose marketing and the category segment membership, and be mutual (a merge
 * shares both ways).
 */
export function mergeAgreementProblem(agreement: MergeAgreementTerms): string | null {
  const id = agreement.agreementId;
  if (agreement.state !== 'active' && agreement.state !== 'accepted')
    return `agreement ${id} is ${agreement.state}`;
  if (!agreement.purposes.includes('marketing'))
    return `agreement ${id} does not cover the purpose marketing`;
  if (!agreement.categories.includes('segment-membership')) {
    return `agreement ${id} does not cover the category segment membership`;
  }
  if (agreement.direction !== 'mutual') return `agreement ${id} is one-way: a merge shares both ways`;
  return null;
}
