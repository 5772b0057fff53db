import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsDate,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { IsCurrencyCode } from '#platform/validation/validators';
import { Segment, SegmentSizePoint } from '../segments/segment.entity.js';

@InputType()
export class SalesByMonthInput {
  @Field({ description: 'ISO 4217: only orders in this currency are summed.' })
  @IsCurrencyCode()
  currency: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Complete months reported and fitted (1-60, default 12).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  months?: number;

  @Field(() => Date, {
    nullable: true,
    description:
      'The report ends before the month of this time (default: the current month, so months are complete).',
  })
  @IsOptional()
  @IsDate()
  until?: Date;

  @Field(() => String, { nullable: true, description: 'Only the order lines of this product category.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string;

  @Field(() => Int, { nullable: true, description: 'Months projected after the report (0-24, default 3).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24)
  projectMonths?: number;
}

@InputType()
export class PeriodInput {
  @Field(() => Date, { nullable: true, description: 'From (inclusive); default: no lower bound.' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Until (exclusive); default: no upper bound.' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@InputType()
export class SalesByCategoryInput extends PeriodInput {
  @Field({ description: 'ISO 4217: only orders in this currency are summed.' })
  @IsCurrencyCode()
  currency: string;
}

@InputType()
export class RfmRefreshInput {
  @Field(() => Int, { nullable: true, description: 'Orders of the last D days count (1-3650, default 365).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  windowDays?: number;

  @Field(() => String, {
    nullable: true,
    description: 'Only orders in this currency (default: all, summed as they are).',
  })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;
}

@InputType()
export class RfmInput extends RfmRefreshInput {
  @Field(() => Date, {
    nullable: true,
    description:
      'Evaluated live as of this time. Default: the latest stored snapshot (see RfmDistribution.refreshedAt).',
  })
  @IsOptional()
  @IsDate()
  asOf?: Date;
}

@InputType()
export class SegmentSizesInput extends PeriodInput {
  @Field(() => [ID])
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  segmentIds: string[];
}

@ObjectType({ description: 'Sales of one calendar month (UTC).' })
export class SalesMonth {
  @Field({ description: 'YYYY-MM' })
  month: string;
  @Field(() => Int, { description: 'Counted orders (paid, shipped, delivered); 0 for projections.' })
  orders: number;
  @Field({ description: 'Decimal: sum of order totals, or of line totals when a category is chosen.' })
  revenue: string;
  @Field({ description: 'True for the months of the projection.' })
  projected: boolean;
}

@ObjectType({
  description: 'Least-squares line revenue = intercept + slope × x over the reported months (x = 0 … N−1).',
})
export class SalesTrend {
  @Field(() => Float)
  slope: number;
  @Field(() => Float)
  intercept: number;
  @Field(() => Int)
  points: number;
}

@ObjectType()
export class SalesReport {
  @Field()
  currency: string;
  @Field(() => String, { nullable: true })
  category: string | null;
  @Field(() => [SalesMonth])
  months: SalesMonth[];
  @Field(() => SalesTrend)
  trend: SalesTrend;
  @Field(() => [SalesMonth], { description: 'The coming months on the trend line (never below 0).' })
  projection: SalesMonth[];
}

@ObjectType()
export class CategorySales {
  @Field(() => String, { nullable: true, description: 'Null: lines without a category.' })
  category: string | null;
  @Field(() => Int)
  orders: number;
  @Field(() => Int)
  quantity: number;
  @Field({ description: 'Decimal sum of line totals.' })
  revenue: string;
}

@ObjectType()
export class RfmCell {
  @Field(() => Int)
  recency: number;
  @Field(() => Int)
  frequency: number;
  @Field(() => Int)
  monetary: number;
  @Field(() => Int)
  customers: number;
}

@ObjectType({ description: 'One quintile of one dimension: its score, size and value range.' })
export class RfmScore {
  @Field(() => Int, { description: '1 (worst) to 5 (best).' })
  score: number;
  @Field(() => Int)
  customers: number;
  @Field(() => Float, { description: 'Smallest value in the quintile (days for recency).' })
  min: number;
  @Field(() => Float)
  max: number;
}

@ObjectType({
  description:
    'RFM quintiles of the customers with counted orders in the window: recency (days since the last order; ' +
    '5 = most recent), frequency (orders) and monetary (sum of totals), each scored 1-5 by ntile(5) with the ' +
    'customer id breaking ties. Without an explicit asOf it is the latest stored snapshot, computed by a ' +
    'queue job every STATISTICS_RFM_REFRESH_SECONDS: asOf is then the time of that refresh.',
})
export class RfmDistribution {
  @Field({ description: 'The time the distribution is evaluated at (a snapshot: when its refresh started).' })
  asOf: Date;
  @Field(() => Date, {
    nullable: true,
    description: 'When the stored snapshot was computed; null for a live evaluation (explicit asOf).',
  })
  refreshedAt: Date | null;
  @Field({
    description:
      'True when the snapshot is older than the refresh interval (a refresh has been asked for and the ' +
      'stored one is served meanwhile).',
  })
  stale: boolean;
  @Field(() => Int, {
    nullable: true,
    description: 'Seconds between scheduled refreshes of a snapshot; null for a live evaluation.',
  })
  refreshEverySeconds: number | null;
  @Field(() => Int, {
    nullable: true,
    description: 'How long the snapshot took to compute (ms); null when live.',
  })
  durationMs: number | null;
  @Field(() => Int)
  windowDays: number;
  @Field(() => Int)
  customers: number;
  @Field(() => [RfmCell], { description: 'Non-empty (recency, frequency, monetary) cells.' })
  cells: RfmCell[];
  @Field(() => [RfmScore])
  recency: RfmScore[];
  @Field(() => [RfmScore])
  frequency: RfmScore[];
  @Field(() => [RfmScore])
  monetary: RfmScore[];
}

@ObjectType()
export class CareSatisfaction {
  @Field(() => String, { nullable: true, description: 'Null: cases without a category.' })
  category: string | null;
  @Field(() => Int, { description: 'Cases opened in the period.' })
  cases: number;
  @Field(() => Int, { description: 'Of which rated by the customer.' })
  rated: number;
  @Field(() => Float, { nullable: true, description: 'Average satisfaction (1-5) of the rated cases.' })
  average: number | null;
  @Field(() => [Int], { description: 'Rated cases with satisfaction 1, 2, 3, 4 and 5.' })
  distribution: number[];
}

@ObjectType()
export class SegmentSizeSeries {
  @Field(() => ID)
  segmentId: string;
  @Field(() => Segment)
  segment?: Segment;
  @Field(() => [SegmentSizePoint])
  points: SegmentSizePoint[];
}

@InputType()
export class CareSatisfactionByMonthInput {
  @Field(() => Int, { nullable: true, description: 'Complete months reported (1-60, default 12).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  months?: number;

  @Field(() => Date, {
    nullable: true,
    description: 'The report ends before the month of this time (default: the current month).',
  })
  @IsOptional()
  @IsDate()
  until?: Date;
}

@ObjectType({
  description: 'Care cases opened in one calendar month (UTC) and how their customers rated them.',
})
export class CareSatisfactionMonth {
  @Field({ description: 'YYYY-MM' })
  month: string;
  @Field(() => Int)
  cases: number;
  @Field(() => Int, { description: 'Of which rated by the customer.' })
  rated: number;
  @Field(() => Float, { nullable: true, description: 'Average satisfaction (1-5); null when none rated.' })
  average: number | null;
}
