import { Injectable } from '@nestjs/common';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { COMPANY_LINK_ERASURE_QUERIES } from './company-link-erasure.queries.js';

/** The companies module's part of an erasure (GDPR Art. 17): company-link-erasure.queries.ts. */
@Injectable()
export class CompanyLinkErasureRepository {
  /** Deletes the links to companies of the customer, in the caller's transaction; how many. */
  async eraseOfCustomer(runner: Queryable, customerId: string): Promise<number> {
    const [row] = await runNamed<{ n: number }, 'eraseOfCustomer'>(
      runner,
      COMPANY_LINK_ERASURE_QUERIES,
      'eraseOfCustomer',
      [customerId],
    );
    return row?.n ?? 0;
  }
}
