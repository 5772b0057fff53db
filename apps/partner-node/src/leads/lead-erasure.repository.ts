import { Injectable } from '@nestjs/common';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { LEAD_ERASURE_QUERIES } from './lead-erasure.queries.js';

/** The leads module's part of an erasure (GDPR Art. 17): lead-erasure.queries.ts. */
@Injectable()
export class LeadErasureRepository {
  /** Deletes the leads of the customer, in the caller's transaction; how many. */
  async eraseOfCustomer(runner: Queryable, customerId: string): Promise<number> {
    const [row] = await runNamed<{ n: number }, 'eraseOfCustomer'>(
      runner,
      LEAD_ERASURE_QUERIES,
      'eraseOfCustomer',
      [customerId],
    );
    return row?.n ?? 0;
  }
}
