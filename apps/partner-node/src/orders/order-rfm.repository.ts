import { Injectable } from '@nestjs/common';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { ORDER_RFM_QUERIES } from './order-rfm.queries.js';

/** One (recency, frequency, money) cell of the RFM grid: its buyers and each score's range in it. */
export interface RfmCellRow {
  r: number;
  f: number;
  m: number;
  customers: number;
  r_min: number;
  r_max: number;
  f_min: number;
  f_max: number;
  /** Money as PostgreSQL's numeric text (exact). */
  m_min: string;
  m_max: string;
}

/** The RFM ranking of the orders' buyers (order-rfm.queries.ts), for the statistics module. */
@Injectable()
export class OrderRfmRepository {
  /**
   * The non-empty cells as of `asOf` over `windowDays` (in `currency`, or all), in the caller's
   * transaction (`runner`), whose memory and JIT settings this changes for that transaction only:
   * a year of a million customers' orders is some 400,000 buyers grouped and then sorted three
   * times (one ntile each); with the default 4 MB the grouping and each sort spilled to disk, and
   * compiling the plan (JIT) cost more than it saved.
   */
  async cells(
    runner: Queryable,
    asOf: Date,
    windowDays: number,
    currency: string | null,
  ): Promise<RfmCellRow[]> {
    await runner.query(`SET LOCAL work_mem = '256MB'`);
    await runner.query(`SET LOCAL jit = off`);
    return runNamed<RfmCellRow, 'cells'>(runner, ORDER_RFM_QUERIES, 'cells', [asOf, windowDays, currency]);
  }
}
