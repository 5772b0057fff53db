import { Injectable } from '@nestjs/common';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { CARE_CASE_SUBJECT_QUERIES } from './care-case-subject.queries.js';

type Query = keyof typeof CARE_CASE_SUBJECT_QUERIES.statements;

/** What other modules ask of the care cases about a customer: care-case-subject.queries.ts. */
@Injectable()
export class CareCaseSubjectRepository {
  private rows<Row>(runner: Queryable, name: Query, values: unknown[]): Promise<Row[]> {
    return runNamed<Row, Query>(runner, CARE_CASE_SUBJECT_QUERIES, name, values);
  }

  /** The ids of the customer's cases. */
  async idsOfCustomer(runner: Queryable, customerId: string): Promise<string[]> {
    return (await this.rows<{ id: string }>(runner, 'idsOfCustomer', [customerId])).map((row) => row.id);
  }

  /** Erasure, in the caller's transaction (after their interactions): the customer's cases; how many. */
  async eraseOfCustomer(runner: Queryable, customerId: string): Promise<number> {
    const [row] = await this.rows<{ n: number }>(runner, 'eraseOfCustomer', [customerId]);
    return row?.n ?? 0;
  }

  /** Data portability (GDPR Art. 20) and access: the care cases of the customer, whole rows (in the caller's transaction). */
  portableOfCustomer(runner: Queryable, customerId: string): Promise<Record<string, unknown>[]> {
    return runNamed<Record<string, unknown>, 'portableOfCustomer'>(
      runner,
      CARE_CASE_SUBJECT_QUERIES,
      'portableOfCustomer',
      [customerId],
    );
  }
}
