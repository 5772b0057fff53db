import { ArgsType, Field, ID, Int, Mutation, ObjectType, Query, Resolver, Args } from '@nestjs/graphql';
import { IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { Allow, CurrentUser, type AuthenticatedUser } from '#platform/auth/allow.decorator';
import { Connection, type ConnectionShape, PageArgs } from '#platform/graphql/connection';
import { Role } from '../users/role.js';
import { OutboxService } from './outbox.service.js';
import { PullService } from './pull.service.js';
import { PurgeService } from './purge.service.js';
import { SharedHistoryReasonInput } from './pull-reason.js';
import { SharingLogsService } from './sharing-logs.service.js';
import { PullAnswer, SharedAccess, SharePurge } from './sharing.entities.js';

@ObjectType()
export class SharedHistoryOutcome {
  @Field()
  holder: string;

  @Field(() => ID)
  agreementId: string;

  @Field({
    description: 'ok, empty, no-consent, agreement-not-active, not-member, timeout, unreachable, refused…',
  })
  status: string;

  @Field(() => Int)
  stored: number;

  @Field(() => String, { nullable: true, description: 'Refusal or failure code.' })
  error: string | null;
}

@ObjectType({ description: 'Share deliveries to one partner that are not delivered yet.' })
export class PartnerDeliveryBacklog {
  @Field({ description: 'The partner id.' })
  recipient: string;

  @Field(() => Int, { description: 'Waiting for delivery (queued or retrying).' })
  pending: number;

  @Field(() => Int, { description: 'Dead letters: attempts spent; retryDeadShareDeliveries puts them back.' })
  dead: number;

  @Field(() => Date, { nullable: true })
  oldestPendingAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The latest dead letter’s error.' })
  lastError: string | null;
}

@ObjectType({ description: 'Jobs of one queue of this process.' })
export class QueueDepthView {
  @Field()
  name: string;

  @Field(() => Int)
  waiting: number;

  @Field(() => Int)
  active: number;

  @Field(() => Int, { description: 'Waiting for a delay or a retry.' })
  delayed: number;
}

@ObjectType({ description: "The result of asking the partners for a customer's shared history." })
export class SharedHistoryRefresh {
  @Field(() => ID)
  customerId: string;

  @Field({ description: 'True when a partner could not answer (timeout, unreachable) or was refused.' })
  partial: boolean;

  @Field(() => [SharedHistoryOutcome])
  outcomes: SharedHistoryOutcome[];
}

@ObjectType()
export class SharedAccessConnection extends Connection(SharedAccess) {}

@ArgsType()
export class SharedAccessesArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only the accesses to this customer.' })
  @IsOptional()
  @IsUUID()
  customerId?: string;
}

@ArgsType()
export class CustomerIdArgs {
  @Field(() => ID)
  @IsUUID()
  customerId: string;
}

@ArgsType()
export class RefreshSharedHistoryArgs extends CustomerIdArgs {
  @Field(() => SharedHistoryReasonInput, {
    description: 'Why: one care case or interaction of this customer (open or recent).',
  })
  @ValidateNested()
  @Type(() => SharedHistoryReasonInput)
  reason: SharedHistoryReasonInput;
}

@ObjectType()
export class PullAnswerConnection extends Connection(PullAnswer) {}

@ArgsType()
export class SharePurgesArgs {
  @Field(() => ID)
  @IsUUID()
  consentId: string;
}

@Resolver()
export class SharingResolver {
  constructor(
    private readonly logs: SharingLogsService,
    private readonly pull: PullService,
    private readonly outbox: OutboxService,
    private readonly purges: PurgeService,
  ) {}

  @Allow(Role.ADMIN, Role.AGENT)
  @Mutation(() => SharedHistoryRefresh, {
    description:
      "Asks the partners (through the federation) for the customer's shared care history now, for a reason " +
      '(BAD_USER_INPUT naming `reason` when it is not an open or recent care case or interaction of the ' +
      'customer; TOO_MANY_REQUESTS past the per-agent limit); the verified items appear in ' +
      'customerTimeline(includeShared: true, reason: …).',
  })
  refreshSharedHistory(
    @Args() args: RefreshSharedHistoryArgs,
    @CurrentUser() user: AuthenticatedUser | undefined,
  ): Promise<SharedHistoryRefresh> {
    return this.pull.pull(args.customerId, args.reason, user?.id ?? null);
  }

  @Allow(Role.COMPLIANCE, Role.ADMIN)
  @Query(() => PullAnswerConnection, {
    description:
      "Pulls of this node's customers by partners whose customer was created at the partner shortly before " +
      '(SHARING_PULL_ALERT_HOURS): possible fishing through the shared timeline; newest first.',
  })
  pullAlerts(@Args() args: PageArgs): Promise<ConnectionShape<PullAnswer>> {
    return this.logs.pullAlerts(args);
  }

  @Allow(Role.COMPLIANCE)
  @Query(() => SharedAccessConnection, {
    description: 'Who saw which shared items of which customer, when, under which consents; newest first.',
  })
  sharedAccesses(@Args() args: SharedAccessesArgs): Promise<ConnectionShape<SharedAccess>> {
    return this.logs.sharedAccesses(args);
  }

  @Allow(Role.COMPLIANCE, Role.ADMIN)
  @Query(() => [SharePurge], {
    description:
      'For a withdrawn consent of this node: per recipient, whether the purge of its copies is confirmed.',
  })
  sharePurges(@Args() args: SharePurgesArgs): Promise<SharePurge[]> {
    return this.logs.sharePurges(args.consentId);
  }

  @Allow(Role.ADMIN)
  @Query(() => [PartnerDeliveryBacklog], {
    description: 'Per partner: share deliveries waiting and dead letters (nothing listed: all delivered).',
  })
  shareDeliveryBacklog(): Promise<PartnerDeliveryBacklog[]> {
    return this.outbox.backlog();
  }

  @Allow(Role.ADMIN)
  @Query(() => [QueueDepthView], {
    description: "Depths of this process's job queues (share deliveries, merges, registrations…).",
  })
  queueDepths(): Promise<QueueDepthView[]> {
    return this.outbox.queueDepths();
  }

  @Allow(Role.ADMIN)
  @Mutation(() => Int, {
    description: 'Puts the dead-letter share deliveries back in the queue; returns how many.',
  })
  retryDeadShareDeliveries(): Promise<number> {
    return this.outbox.retryDead();
  }

  @Allow(Role.ADMIN)
  @Mutation(() => Int, { description: 'Deletes shared copies past their retention now; returns how many.' })
  purgeExpiredSharedRecords(): Promise<number> {
    return this.purges.purgeExpired();
  }
}
