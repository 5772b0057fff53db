import { Injectable } from '@nestjs/common';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { INTERACTION_ERASURE_QUERIES } from './interaction-erasure.queries.js';

/** The interactions module's part of an erasure (GDPR Art. 17): interaction-erasure.queries.ts. */
@Injectable()
export class InteractionErasureRepository {
  /**
   * Deletes the interactions of the customer and those of the customer's care cases `caseIds`, in
   * the caller's transaction (before the cases); how many.
   */
  async eraseOfCustomer(runner: Queryable, customerId: string, caseIds: readonly string[]): Promise<number> {
    const [row] = await runNamed<{ n: number }, 'eraseOfCustomer'>(
      runner,
      INTERACTION_ERASURE_QUERIES,
      'eraseOfCustomer',
      [customerId, caseIds],
    );
    return row?.n ?? 0;
  }
}
