import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed } from '#platform/database/named-queries';
import { CARE_SATISFACTION_QUERIES } from './care-satisfaction.queries.js';

type Query = keyof typeof CARE_SATISFACTION_QUERIES.statements;

/** One category's cases in a period (average as text: PostgreSQL's numeric, exact). */
export interface CareSatisfactionCategoryRow {
  category: string | null;
  cases: number;
  rated: number;
  average: string | null;
  d1: number;
  d2: number;
  d3: number;
  d4: number;
  d5: number;
}

/** One month's cases ('YYYY-MM', UTC). */
export interface CareSatisfactionMonthRow {
  month: string;
  cases: number;
  rated: number;
  average: string | null;
}

/** Care satisfaction aggregates, read by the statistics module: care-satisfaction.queries.ts. */
@Injectable()
export class CareSatisfactionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Cases opened in [from, to) (null: unbounded) per category, most cases first. */
  byCategory(from: Date | null, to: Date | null): Promise<CareSatisfactionCategoryRow[]> {
    return runNamed<CareSatisfactionCategoryRow, Query>(
      this.dataSource,
      CARE_SATISFACTION_QUERIES,
      'byCategory',
      [from, to],
    );
  }

  /** Cases opened in [start, end) per calendar month that has any. */
  byMonth(start: Date, end: Date): Promise<CareSatisfactionMonthRow[]> {
    return runNamed<CareSatisfactionMonthRow, Query>(this.dataSource, CARE_SATISFACTION_QUERIES, 'byMonth', [
      start,
      end,
    ]);
  }
}
