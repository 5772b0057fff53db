import { Injectable } from '@nestjs/common';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { ORDER_ERASURE_QUERIES } from './order-erasure.queries.js';

/** The orders module's part of an erasure (GDPR Art. 17): order-erasure.queries.ts. */
@Injectable()
export class OrderErasureRepository {
  /** Deletes the orders (their lines go with them) of the customer, in the caller's transaction; how many. */
  async eraseOfCustomer(runner: Queryable, customerId: string): Promise<number> {
    const [row] = await runNamed<{ n: number }, 'eraseOfCustomer'>(
      runner,
      ORDER_ERASURE_QUERIES,
      'eraseOfCustomer',
      [customerId],
    );
    return row?.n ?? 0;
  }
}
