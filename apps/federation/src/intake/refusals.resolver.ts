import { Args, ArgsType, Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsDate, IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Allow } from '#platform/auth/allow.decorator';
import { ValidationError } from '#platform/errors/app-errors';
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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Query(() => RefusalConnection, { description: 'Refused messages and requests, newest first.' })
  refusals(@Args() args: RefusalsArgs): Promise<RefusalConnection> {
    const query = this.dataSource.getRepository(Refusal).createQueryBuilder('r');
    if (args.reason) query.andWhere('r.reason = :reason', { reason: args.reason });
    if (args.issuer) query.andWhere('r.issuer = :issuer', { issuer: args.issuer });
    if (args.from && args.to && args.from >= args.to) throw new ValidationError('from', 'must be before to');
    if (args.from) query.andWhere('r.refused_at >= :from', { from: args.from });
    if (args.to) query.andWhere('r.refused_at < :to', { to: args.to });
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

  @Query(() => [String], { description: 'The reasons refusals were recorded under, for a filter.' })
  async refusalReasons(): Promise<string[]> {
    const rows: { reason: string }[] = await this.dataSource.query(
      `SELECT DISTINCT reason FROM refusal ORDER BY reason`,
    );
    return rows.map((r) => r.reason);
  }
}
