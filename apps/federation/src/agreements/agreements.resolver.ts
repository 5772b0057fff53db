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
import { IsEnum, IsOptional, Matches } from 'class-validator';
import { Allow } from '#platform/auth/allow.decorator';
import { Connection, type ConnectionShape, PageArgs } from '#platform/graphql/connection';
import { groupByKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import { FederationRole } from '../operators/role.js';
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
  constructor(private readonly service: AgreementsService) {}

  @Query(() => AgreementConnection, { description: 'Agreements, newest first (read only).' })
  agreements(@Args() args: AgreementsArgs): Promise<ConnectionShape<Agreement>> {
    return this.service.list(args);
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
