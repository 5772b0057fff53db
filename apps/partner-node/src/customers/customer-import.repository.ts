import type { QueryRunner } from 'typeorm';
import { runNamed } from '#platform/database/named-queries';
import { CUSTOMER_IMPORT_QUERIES as Q } from './customer-import.queries.js';

export { CUSTOMER_IMPORT_FIELDS } from './customer-import.queries.js';

export interface CustomerImportCounts {
  inserted: number;
  /** Existing customers whose fields change. */
  updated: number;
  details: { emails: number; phones: number };
}

/**
 * Merges the customers CSV import's staging table into customer, customer_email and
 * customer_phone (CUSTOMER_IMPORT_QUERIES), on the import's query runner, inside its transaction.
 */
export class CustomerImportRepository {
  constructor(private readonly runner: QueryRunner) {}

  /** Rows written by one statement. */
  private async affected(name: keyof typeof Q.statements): Promise<number> {
    const result = await this.runner.query(Q.statements[name], [], true);
    return (result as { affected?: number }).affected ?? 0;
  }

  /**
   * `fields`: the customer columns the file has (the others keep their values); `email`, `phone`:
   * whether the file has these columns.
   */
  async merge(
    fields: readonly string[],
    has: { email: boolean; phone: boolean },
  ): Promise<CustomerImportCounts> {
    await runNamed(this.runner, Q, 'importWork', [fields]);
    const [work] = await runNamed<
      { inserted: number; updated: number; contacts: number },
      keyof typeof Q.statements
    >(this.runner, Q, 'importWorkCounts');
    const details = { emails: 0, phones: 0 };
    const counts = { inserted: work.inserted, updated: work.updated, details };
    const existing = work.updated + work.contacts;
    if (work.inserted + existing === 0) return counts;
    // The joins with the stored rows below are planned from the work table's size; a first import
    // has none of them (only inserts, which scan it).
    if (existing > 0) await runNamed(this.runner, Q, 'importAnalyzeWork');
    if (work.inserted > 0) await runNamed(this.runner, Q, 'importInsertNew');
    if (work.updated > 0) await runNamed(this.runner, Q, 'importUpdateChanged');
    if (has.email) {
      if (work.inserted > 0) details.emails += await this.affected('importNewEmails');
      if (work.contacts > 0) {
        await runNamed(this.runner, Q, 'importDemoteEmails');
        details.emails += await this.affected('importPromoteEmails');
      }
    }
    if (has.phone) {
      if (work.inserted > 0) details.phones += await this.affected('importNewPhones');
      if (work.contacts > 0) {
        await runNamed(this.runner, Q, 'importDemotePhones');
        details.phones += await this.affected('importPromotePhones');
      }
    }
    return counts;
  }
}
