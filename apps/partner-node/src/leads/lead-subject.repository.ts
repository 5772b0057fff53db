import { Injectable } from '@nestjs/common';
import { runCount, runNamed, type Queryable } from '#platform/database/named-queries';
import { LEAD_SUBJECT_QUERIES } from './lead-subject.queries.js';

/** The leads module's part of an erasure (GDPR Art. 17): lead-subject.queries.ts. */
@Injectable()
export class LeadSubjectRepository {
  /** Deletes the leads of the customer, in the caller's transaction; how many. */
  async eraseOfCustomer(runner: Queryable, customerId: string): Promise<number> {
    return runCount(runner, LEAD_SUBJECT_QUERIES, 'eraseOfCustomer', [customerId]);
  }

  /** Data portability (GDPR Art. 20) and access: the leads of the customer, whole rows (in the caller's transaction). */
  portableOfCustomer(runner: Queryable, customerId: string): Promise<Record<string, unknown>[]> {
    return runNamed<Record<string, unknown>, 'portableOfCustomer'>(
      runner,
      LEAD_SUBJECT_QUERIES,
      'portableOfCustomer',
      [customerId],
    );
  }
}
