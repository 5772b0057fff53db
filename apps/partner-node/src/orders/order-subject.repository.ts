import { Injectable } from '@nestjs/common';
import { runCount, runNamed, type Queryable } from '#platform/database/named-queries';
import { ORDER_SUBJECT_QUERIES } from './order-subject.queries.js';

/** The orders module's part of an erasure (GDPR Art. 17): order-subject.queries.ts. */
@Injectable()
export class OrderSubjectRepository {
  /** Deletes the orders (their lines go with them) of the customer, in the caller's transaction; how many. */
  async eraseOfCustomer(runner: Queryable, customerId: string): Promise<number> {
    return runCount(runner, ORDER_SUBJECT_QUERIES, 'eraseOfCustomer', [customerId]);
  }

  /** Data portability (GDPR Art. 20) and access: the orders of the customer, whole rows (in the caller's transaction). */
  portableOfCustomer(runner: Queryable, customerId: string): Promise<Record<string, unknown>[]> {
    return runNamed<Record<string, unknown>, 'portableOfCustomer'>(
      runner,
      ORDER_SUBJECT_QUERIES,
      'portableOfCustomer',
      [customerId],
    );
  }

  /** Data portability (GDPR Art. 20) and access: the lines of the customer's orders, by order and position, whole rows (in the caller's transaction). */
  portableLinesOfCustomer(runner: Queryable, customerId: string): Promise<Record<string, unknown>[]> {
    return runNamed<Record<string, unknown>, 'portableLinesOfCustomer'>(
      runner,
      ORDER_SUBJECT_QUERIES,
      'portableLinesOfCustomer',
      [customerId],
    );
  }
}
