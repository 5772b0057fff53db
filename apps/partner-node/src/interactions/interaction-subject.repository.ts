import { Injectable } from '@nestjs/common';
import { runCount, runNamed, type Queryable } from '#platform/database/named-queries';
import { INTERACTION_SUBJECT_QUERIES } from './interaction-subject.queries.js';

/** The interactions module's part of an erasure (GDPR Art. 17): interaction-subject.queries.ts. */
@Injectable()
export class InteractionSubjectRepository {
  /**
   * Deletes the interactions of the customer and those of the customer's care cases `caseIds`, in
   * the caller's transaction (before the cases); how many.
   */
  async eraseOfCustomer(runner: Queryable, customerId: string, caseIds: readonly string[]): Promise<number> {
    return runCount(runner, INTERACTION_SUBJECT_QUERIES, 'eraseOfCustomer', [customerId, caseIds]);
  }

  /** Data portability (GDPR Art. 20) and access: the interactions of the customer, whole rows (in the caller's transaction). */
  portableOfCustomer(runner: Queryable, customerId: string): Promise<Record<string, unknown>[]> {
    return runNamed<Record<string, unknown>, 'portableOfCustomer'>(
      runner,
      INTERACTION_SUBJECT_QUERIES,
      'portableOfCustomer',
      [customerId],
    );
  }
}
