import { Args, ArgsType, Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Allow } from '#platform/auth/allow.decorator';
import { Connection, type ConnectionShape, PageArgs } from '#platform/graphql/connection';
import { FederationRole } from '../operators/role.js';
import { EventsService } from './events.service.js';
import { FederationEvent } from './federation-event.entity.js';

@ObjectType()
export class FederationEventConnection extends Connection(FederationEvent) {}

@ArgsType()
export class FederationEventsArgs extends PageArgs {
  @Field({ nullable: true, description: 'Only events about this member, agreement or consent.' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  subject?: string;
}

@Resolver(() => FederationEvent)
export class EventsResolver {
  constructor(private readonly events: EventsService) {}

  @Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
  @Query(() => FederationEventConnection, { description: 'The append-only event log, oldest first.' })
  federationEvents(@Args() args: FederationEventsArgs): Promise<ConnectionShape<FederationEvent>> {
    return this.events.page(args);
  }
}
