import { Args, ArgsType, Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Allow } from '#platform/auth/allow.decorator';
import { Connection, paginate, type ConnectionShape, PageArgs } from '#platform/graphql/connection';
import { FederationRole } from '../operators/role.js';
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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
  @Query(() => FederationEventConnection, { description: 'The append-only event log, oldest first.' })
  federationEvents(@Args() args: FederationEventsArgs): Promise<ConnectionShape<FederationEvent>> {
    const query = this.dataSource.getRepository(FederationEvent).createQueryBuilder('e');
    if (args.subject) query.where('e.subject = :subject', { subject: args.subject });
    return paginate(
      query,
      { column: 'e.seq', value: (e) => Number(e.seq), direction: 'ASC', idColumn: 'e.id', id: (e) => e.id },
      args,
    );
  }
}
