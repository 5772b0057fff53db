import { Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { loader, type LoaderContext } from '#platform/graphql/loaders';
import { PrivacyNotice } from '../privacy-notices/privacy-notice.entity.js';
import { Role } from '../users/role.js';
import { ConsentsService } from './consents.service.js';

/** How many consents each notice version holds (the consents module owns the consent table). */
@Resolver(() => PrivacyNotice)
export class NoticeConsentsResolver {
  constructor(private readonly consents: ConsentsService) {}

  private counts(ctx: LoaderContext, notice: PrivacyNotice) {
    return loader<string, { given: number; held: number }>(ctx, 'consentCountsByNotice', (ids) =>
      this.consents.countsByNotice(ids),
    ).load(notice.id);
  }

  @Allow(Role.ADMIN, Role.COMPLIANCE)
  @ResolveField(() => Int, { description: 'Consents ever given under this version (withdrawn ones too).' })
  async consentsGiven(@Parent() notice: PrivacyNotice, @Context() ctx: LoaderContext): Promise<number> {
    return (await this.counts(ctx, notice)).given;
  }

  @Allow(Role.ADMIN, Role.COMPLIANCE)
  @ResolveField(() => Int, {
    description: 'Consents under this version still held: not withdrawn, still valid.',
  })
  async consentsHeld(@Parent() notice: PrivacyNotice, @Context() ctx: LoaderContext): Promise<number> {
    return (await this.counts(ctx, notice)).held;
  }
}
