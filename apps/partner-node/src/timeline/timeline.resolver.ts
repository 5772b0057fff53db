import { Args, Query, Resolver } from '@nestjs/graphql';
import { Allow, CurrentUser, type AuthenticatedUser } from '#platform/auth/allow.decorator';
import { ForbiddenError } from '#platform/errors/app-errors';
import { Role } from '../users/role.js';
import { CustomerTimelineArgs } from './timeline.dto.js';
import { TimelineService, type TimelinePage } from './timeline.service.js';
import { TimelineConnection, TimelineItem } from './timeline.types.js';

/** The customer's timeline: customer care and compliance (not marketing). */
export const TIMELINE_READERS = [Role.ADMIN, Role.AGENT, Role.COMPLIANCE];

@Allow(...TIMELINE_READERS)
@Resolver(() => TimelineItem)
export class TimelineResolver {
  constructor(private readonly service: TimelineService) {}

  @Query(() => TimelineConnection, {
    description:
      "A customer's interactions, care cases and orders merged in time order, newest first, one keyset " +
      'page at a time. NOT_FOUND for an unknown or deleted customer.',
  })
  customerTimeline(
    @Args() args: CustomerTimelineArgs,
    @CurrentUser() user: AuthenticatedUser | undefined,
  ): Promise<TimelinePage> {
    // Partners' shared history is for customer care; compliance reads the access log instead.
    if (args.includeShared && !user?.roles.some((role) => role === Role.ADMIN || role === Role.AGENT)) {
      throw new ForbiddenError('shared history is read by AGENT and ADMIN only', {
        reason: 'SHARED_HISTORY_ROLE',
      });
    }
    return this.service.page(
      args.customerId,
      args.kinds,
      { first: args.first, after: args.after },
      { includeShared: args.includeShared, reason: args.reason ?? null, userId: user?.id ?? null },
    );
  }
}
