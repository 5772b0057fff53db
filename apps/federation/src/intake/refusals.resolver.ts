import { Args, ArgsType, Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Allow } from '#platform/auth/allow.decorator';
import { Connection, paginate, PageArgs } from '#platform/graphql/connection';
import { FederationRole } from '../operators/role.js';
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
}

@Resolver(() => Refusal)
@Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
export class RefusalsResolver {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Query(() => RefusalConnection, { description: 'Refused messages and requests, newest first.' })
  refusals(@Args() args: RefusalsArgs): Promise<RefusalConnection> {
    const query = this.dataSource.getRepository(Refusal).createQueryBuilder('r');
    if (args.reason) query.andWhere('r.reason = :reason', { reason: args.reason });
    if (args.issuer) query.andWhere('r.issuer = :issuer', { issuer: args.issuer });
    return paginate(
      query,
      {
        column: 'r.refused_at',
        value: (r) => r.refusedAt,
        direction: 'DESC',
        idColumn: 'r.id',
        id: (r) => r.id,
      },
      args,
    );
  }
}
