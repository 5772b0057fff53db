import {
  Args,
  Int,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Field,
} from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { Connection, type ConnectionShape } from '#platform/graphql/connection';
import { Role } from '../users/role.js';
import { AgreementDirection, AgreementState } from './agreement.enums.js';
import { AgreementLink, SharingAgreement } from './agreement.entity.js';
import {
  AgreementIdArgs,
  AgreementsArgs,
  ProposeAgreementInput,
  TerminateAgreementArgs,
} from './agreements.dto.js';
import { AgreementsService } from './agreements.service.js';

@ObjectType()
export class SharingAgreementConnection extends Connection(SharingAgreement) {}

@ObjectType()
export class AgreementsRefreshResult {
  @Field(() => Int, { description: 'Agreements whose signed chains verified (mirrored).' })
  agreements: number;
  @Field(() => Int, { description: 'Agreements refused (recorded in refusals).' })
  refused: number;
}

@Resolver(() => SharingAgreement)
@Allow(Role.ADMIN)
export class AgreementsResolver {
  constructor(private readonly agreements: AgreementsService) {}

  @Query(() => SharingAgreementConnection, {
    description: "This node's agreements (local mirror), newest first.",
  })
  sharingAgreements(@Args() args: AgreementsArgs): Promise<ConnectionShape<SharingAgreement>> {
    return this.agreements.list(args);
  }

  @Query(() => SharingAgreement)
  sharingAgreement(@Args() args: AgreementIdArgs): Promise<SharingAgreement> {
    return this.agreements.get(args.agreementId);
  }

  @Mutation(() => SharingAgreement, {
    description: 'Signs and proposes an agreement to a member; it applies once the partner accepts.',
  })
  proposeAgreement(@Args('input') input: ProposeAgreementInput): Promise<SharingAgreement> {
    return this.agreements.propose(input);
  }

  @Mutation(() => SharingAgreement, { description: "Signs the acceptance of a partner's proposal." })
  acceptAgreement(@Args() args: AgreementIdArgs): Promise<SharingAgreement> {
    return this.agreements.accept(args.agreementId);
  }

  @Mutation(() => SharingAgreement, {
    description: 'Signs the termination of an agreement; sharing under it stops.',
  })
  terminateAgreement(@Args() args: TerminateAgreementArgs): Promise<SharingAgreement> {
    return this.agreements.terminate(args.agreementId, args.reason);
  }

  @Mutation(() => AgreementsRefreshResult, {
    description: "Pulls this node's agreements from the federation and verifies their signed chains.",
  })
  refreshAgreements(): Promise<AgreementsRefreshResult> {
    return this.agreements.refresh();
  }

  @ResolveField(() => AgreementDirection)
  direction(@Parent() agreement: SharingAgreement): AgreementDirection {
    return this.agreements.direction(agreement);
  }

  @ResolveField(() => [AgreementLink], { description: 'The signed chain: the terms, then each transition.' })
  chain(@Parent() agreement: SharingAgreement): AgreementLink[] {
    return agreement.chain.map((link) => ({
      kind: link.kind,
      by: link.by,
      from: (link.from as AgreementState | undefined) ?? null,
      to: link.to as AgreementState,
      at: new Date(link.at * 1000),
      jws: link.jws,
    }));
  }
}
