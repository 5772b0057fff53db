import {
  Args,
  ArgsType,
  Context,
  Field,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsEnum, IsOptional, Matches } from 'class-validator';
import { Brackets, DataSource } from 'typeorm';
import { Allow } from '#platform/auth/allow.decorator';
import { Connection, paginate, type ConnectionShape, PageArgs } from '#platform/graphql/connection';
import { groupByKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import { FederationRole } from '../operators/role.js';
import { agreementInForce } from './agreements.queries.js';
import { Agreement, AgreementMessage, AgreementState, effectiveState } from './agreement.entity.js';
import { AgreementsService } from './agreements.service.js';

@ObjectType()
export class AgreementConnection extends Connection(Agreement) {}

@ArgsType()
export class AgreementsArgs extends PageArgs {
  @Field({ nullable: true, description: 'Only agreements this member is a party to.' })
  @IsOptional()
  @Matches(/^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$/, { message: 'party must be a partner id' })
  party?: string;

  @Field(() => AgreementState, { nullable: true, description: 'Only agreements in this state now.' })
  @IsOptional()
  @IsEnum(AgreementState)
  state?: AgreementState;
}

@Resolver(() => Agreement)
@Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
export class AgreementsResolver {
  constructor(
    private readonly service: AgreementsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Query(() => AgreementConnection, { description: 'Agreements, newest first (read only).' })
  agreements(@Args() args: AgreementsArgs): Promise<ConnectionShape<Agreement>> {
    const query = this.dataSource.getRepository(Agreement).createQueryBuilder('a');
    if (args.party) {
      const party = args.party;
      query.andWhere(
        new Brackets((w) =>
          w.where('a.party_a = :party', { party }).orWhere('a.party_b = :party', { party }),
        ),
      );
    }
    // state: null (an explicit "any state") filters nothing, as when it is left out.
    switch (args.state ?? undefined) {
      case undefined:
        break;
      case AgreementState.EXPIRED:
        query.andWhere(`a.state <> 'terminated' AND a.valid_until <= now()`);
        break;
      case AgreementState.ACTIVE:
        query.andWhere(agreementInForce('a'));
        break;
      case AgreementState.ACCEPTED:
        query.andWhere(`a.state = 'accepted' AND a.valid_from > now() AND a.valid_until > now()`);
        break;
      case AgreementState.TERMINATED:
        query.andWhere(`a.state = 'terminated'`);
        break;
      default:
        query.andWhere(`a.state = :state AND a.valid_until > now()`, { state: args.state });
    }
    return paginate(
      query,
      {
        column: 'a.created_at',
        value: (a) => a.createdAt,
        direction: 'DESC',
        idColumn: 'a.agreement_id',
        id: (a) => a.agreementId,
      },
      args,
    );
  }

  @ResolveField(() => AgreementState, { description: 'The state now.' })
  state(@Parent() agreement: Agreement): AgreementState {
    return effectiveState(agreement);
  }

  @ResolveField(() => [AgreementMessage], { description: 'The signed chain, in order.' })
  chain(@Parent() agreement: Agreement, @Context() ctx: LoaderContext): Promise<AgreementMessage[]> {
    return loader<string, AgreementMessage[]>(ctx, 'agreementChain', async (ids) =>
      groupByKey(ids, await this.service.messagesOf(ids), (msg) => msg.agreementId),
    ).load(agreement.agreementId);
  }
}
