import { Args, Context, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, CurrentUser, type AuthenticatedUser } from '#platform/auth/allow.decorator';
import { Connection, type ConnectionShape } from '#platform/graphql/connection';
import { byKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import { Role } from '../users/role.js';
import { PrivacyNotice } from '../privacy-notices/privacy-notice.entity.js';
import { PrivacyNoticesService } from '../privacy-notices/privacy-notices.service.js';
import { Consent, ConsentStatus, consentStatus } from './consent.entity.js';
import {
  ConsentIdArgs,
  CustomerConsentsArgs,
  GiveConsentInput,
  WithdrawConsentArgs,
} from './consents.dto.js';
import { ConsentPartner } from './consent-partner.js';
import { ConsentsService } from './consents.service.js';

@ObjectType()
export class ConsentConnection extends Connection(Consent) {}

const READERS = [Role.AGENT, Role.ADMIN, Role.COMPLIANCE];

@Resolver(() => Consent)
export class ConsentsResolver {
  constructor(
    private readonly consents: ConsentsService,
    private readonly notices: PrivacyNoticesService,
  ) {}

  @Allow(Role.AGENT, Role.ADMIN)
  @Mutation(() => Consent, {
    description:
      'Records a consent: signs a receipt naming the customer by pseudonyms, stores it and registers it with the federation (PENDING_REGISTRATION when unreachable).',
  })
  giveConsent(
    @Args('input') input: GiveConsentInput,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<Consent> {
    return this.consents.give(input, user.id);
  }

  @Allow(...READERS)
  @Query(() => [ConsentPartner], {
    description:
      'Partners with an active agreement with this node: the recipients a consent may name (OUTBOUND, MUTUAL) and the sources of shared history (INBOUND, MUTUAL), with names, purposes and categories.',
  })
  consentPartners(): Promise<ConsentPartner[]> {
    return this.consents.partners();
  }

  @Allow(Role.AGENT, Role.ADMIN)
  @Mutation(() => Consent, {
    description: 'Withdraws a consent at once: signs a withdrawal, stores and registers it.',
  })
  withdrawConsent(
    @Args() args: WithdrawConsentArgs,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<Consent> {
    return this.consents.withdraw(args.consentId, args.reason, user.id);
  }

  @Allow(...READERS)
  @Query(() => ConsentConnection, { description: "A customer's consent history, newest first." })
  customerConsents(@Args() args: CustomerConsentsArgs): Promise<ConnectionShape<Consent>> {
    return this.consents.forCustomer(args);
  }

  @Allow(...READERS)
  @Query(() => Consent)
  consent(@Args() args: ConsentIdArgs): Promise<Consent> {
    return this.consents.get(args.consentId);
  }

  @Allow(...READERS)
  @Query(() => String, {
    description:
      'Everything the customer needs to verify a consent receipt, as JSON: the receipt and withdrawal JWS, the node JWKS, its membership statement, the federation keys, the notice.',
  })
  exportConsentReceipt(@Args() args: ConsentIdArgs): Promise<string> {
    return this.consents.exportReceipt(args.consentId);
  }

  @Allow(...READERS)
  @ResolveField(() => ConsentStatus, { description: 'live, not yet valid, withdrawn or expired, now.' })
  status(@Parent() consent: Consent): ConsentStatus {
    return consentStatus(consent);
  }

  @Allow(...READERS)
  @ResolveField(() => PrivacyNotice, { description: 'The exact notice version the customer was shown.' })
  async privacyNotice(@Parent() consent: Consent, @Context() ctx: LoaderContext): Promise<PrivacyNotice> {
    const notice = await loader<string, PrivacyNotice | undefined>(ctx, 'privacyNoticeById', async (ids) =>
      byKey(ids, await this.notices.findByIds(ids), (n) => n.id),
    ).load(consent.privacyNoticeId);
    return notice as PrivacyNotice;
  }
}
