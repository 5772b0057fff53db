import { Injectable } from '@nestjs/common';
import { runCount, runNamed, type Queryable } from '#platform/database/named-queries';
import { COMPANY_LINK_SUBJECT_QUERIES } from './company-link-subject.queries.js';

/** The companies module's part of an erasure (GDPR Art. 17): company-link-subject.queries.ts. */
@Injectable()
export class CompanyLinkSubjectRepository {
  /** Deletes the links to companies of the customer, in the caller's transaction; how many. */
  async eraseOfCustomer(runner: Queryable, customerId: string): Promise<number> {
    return runCount(runner, COMPANY_LINK_SUBJECT_QUERIES, 'eraseOfCustomer', [customerId]);
  }

  /** Data portability (GDPR Art. 20) and access: the companies the customer is linked to, each with the link's role and time (link_role, link_created_at), whole rows (in the caller's transaction). */
  portableOfCustomer(runner: Queryable, customerId: string): Promise<Record<string, unknown>[]> {
    return runNamed<Record<string, unknown>, 'portableOfCustomer'>(
      runner,
      COMPANY_LINK_SUBJECT_QUERIES,
      'portableOfCustomer',
      [customerId],
    );
  }
}
