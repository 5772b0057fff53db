import { Args, ArgsType, Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { IsDate, IsOptional, IsString, MaxLength } from 'class-validator';
import { Allow } from '#platform/auth/allow.decorator';
import { Connection, PageArgs } from '#platform/graphql/connection';
import { FederationRole } from '../operators/role.js';
import { RefusalsRepository } from './refusals.repository.js';
import { Refusal } from './refusal.entity.js';

@ObjectType()
export class RefusalConnection extends Connection(Refusal) {}

@ArgsType()
export class RefusalsArgs extends PageArgs {
  @Field({ nullable: true, description: 'Only this reason (e.g. SIGNATURE_INVALID, KEY_RETIRED).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  reason?: string;

  @Field({ nullable: true, description: 'Only this issuer (as claimed by the refused message).' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  issuer?: string;

  @Field({ nullable: true, description: 'Refused at or after this time.' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field({ nullable: true, description: 'Refused before this time.' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@Resolver(() => Refusal)
@Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
export class RefusalsResolver {
  constructor(private readonly refusalRows: RefusalsRepository) {}

  @Query(() => RefusalConnection, { description: 'Refused messages and requests, newest first.' })
  refusals(@Args() args: RefusalsArgs): Promise<RefusalConnection> {
    return this.refusalRows.page(args);
  }

  @Query(() => [String], { description: 'The reasons refusals were recorded under, for a filter.' })
  refusalReasons(): Promise<string[]> {
    return this.refusalRows.reasons();
  }
}
