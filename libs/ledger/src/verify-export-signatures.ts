import { verifyCompact, verifyCompactOffThread, type OkpPublicJwk } from '#protocol';

/**
 * How the export verifier checks the JWS signatures it meets (embedded and carried): at once, on
 * the calling thread (`checkNow`), or gathered and checked on the threadpool while the walk goes
 * on (`SignaturesOffThread`), so that an export of thousands of signed messages uses every core.
 * `refuse` turns a failed check into the verifier's failure for that place (it throws).
 */
export interface SignatureChecks {
  check(jws: string, key: OkpPublicJwk, refuse: (error: unknown) => never): void;
}

export const checkNow: SignatureChecks = {
  check(jws, key, refuse) {
    try {
      verifyCompact(jws, key);
    } catch (error) {
      refuse(error);
    }
  },
};

/** Checks in flight at most: each holds a copy of its signing input until its answer is read. */
const MAX_IN_FLIGHT = 2048;

/**
 * Signatures checked on the threadpool. The verifier's walk reads its verdicts in walk order
 * (`settle`), so the failure it reports is the one the synchronous walk would have stopped at: the
 * first failed check, unless the walk itself stopped earlier.
 */
export class SignaturesOffThread implements SignatureChecks {
  private pending: { verdict: Promise<unknown>; refuse: (error: unknown) => never }[] = [];

  check(jws: string, key: OkpPublicJwk, refuse: (error: unknown) => never): void {
    const verdict = verifyCompactOffThread(jws, key);
    // Read in `settle`; until then a refusal must not count as unhandled.
    verdict.catch(() => undefined);
    this.pending.push({ verdict, refuse });
  }

  get full(): boolean {
    return this.pending.length >= MAX_IN_FLIGHT;
  }

  /** Waits for every check in flight; throws the verifier's failure for the first that failed. */
  async settle(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    const verdicts = await Promise.allSettled(pending.map((p) => p.verdict));
    verdicts.forEach((verdict, i) => {
      if (verdict.status === 'rejected') pending[i]!.refuse(verdict.reason);
    });
  }
}
