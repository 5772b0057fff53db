import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { Role } from '../users/role.js';
import {
  CareSatisfaction,
  CareSatisfactionByMonthInput,
  CareSatisfactionMonth,
  CategorySales,
  PeriodInput,
  RfmDistribution,
  RfmInput,
  RfmRefreshInput,
  SalesByCategoryInput,
  SalesByMonthInput,
  SalesReport,
  SegmentSizeSeries,
  SegmentSizesInput,
} from './statistics.dto.js';
import { StatisticsService } from './statistics.service.js';

/**
 * Dashboard statistics: aggregates only, no personal data. Marketers, admins and compliance
 * officers read them all; care agents read the care satisfaction (their own domain).
 */
export const STATISTICS_READERS = [Role.ADMIN, Role.MARKETER, Role.COMPLIANCE];

@Allow(...STATISTICS_READERS)
@Resolver()
export class StatisticsResolver {
  constructor(private readonly service: StatisticsService) {}

  @Query(() => SalesReport, { description: 'Sales per month with a least-squares trend and its projection.' })
  salesByMonth(@Args('input') input: SalesByMonthInput): Promise<SalesReport> {
    return this.service.salesByMonth(input);
  }

  @Query(() => [CategorySales], { description: 'Sales per product category in a period, by revenue.' })
  salesByCategory(@Args('input') input: SalesByCategoryInput): Promise<CategorySales[]> {
    return this.service.salesByCategory(input);
  }

  @Query(() => [SegmentSizeSeries], { description: 'Sizes of segments over time.' })
  segmentSizeHistory(@Args('input') input: SegmentSizesInput): Promise<SegmentSizeSeries[]> {
    return this.service.segmentSizes(input);
  }

  @Query(() => RfmDistribution, {
    description: 'Recency / frequency / monetary quintiles of the buying customers.',
  })
  rfmDistribution(
    @Args('input', { type: () => RfmInput, nullable: true }) input?: RfmInput,
  ): Promise<RfmDistribution> {
    return this.service.rfmDistribution(input ?? {});
  }

  @Allow(Role.ADMIN, Role.MARKETER)
  @Mutation(() => RfmDistribution, {
    description:
      'Computes and stores the RFM distribution of a window and currency now (waiting for a refresh ' +
      'already running) and returns the new snapshot.',
  })
  refreshRfmDistribution(
    @Args('input', { type: () => RfmRefreshInput, nullable: true }) input?: RfmRefreshInput,
  ): Promise<RfmDistribution> {
    return this.service.refreshRfmDistribution(input ?? {});
  }

  @Allow(...STATISTICS_READERS, Role.AGENT)
  @Query(() => [CareSatisfaction], { description: 'Satisfaction of care cases per category.' })
  careSatisfactionByCategory(
    @Args('input', { type: () => PeriodInput, nullable: true }) input?: PeriodInput,
  ): Promise<CareSatisfaction[]> {
    return this.service.careSatisfactionByCategory(input ?? {});
  }

  @Query(() => [CareSatisfactionMonth], {
    description: 'Care cases opened and their satisfaction, per month.',
  })
  careSatisfactionByMonth(
    @Args('input', { type: () => CareSatisfactionByMonthInput, nullable: true })
    input?: CareSatisfactionByMonthInput,
  ): Promise<CareSatisfactionMonth[]> {
    return this.service.careSatisfactionByMonth(input ?? {});
  }
}
