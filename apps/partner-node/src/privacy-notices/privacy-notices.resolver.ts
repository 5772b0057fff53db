import { Args, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { Connection, type ConnectionShape } from '#platform/graphql/connection';
import { Role } from '../users/role.js';
import { PrivacyNotice } from './privacy-notice.entity.js';
import {
  CreatePrivacyNoticeInput,
  PrivacyNoticeIdArgs,
  PrivacyNoticesArgs,
  UpdatePrivacyNoticeInput,
} from './privacy-notices.dto.js';
import { PrivacyNoticesService } from './privacy-notices.service.js';

@ObjectType()
export class PrivacyNoticeConnection extends Connection(PrivacyNotice) {}

@Resolver(() => PrivacyNotice)
export class PrivacyNoticesResolver {
  constructor(private readonly notices: PrivacyNoticesService) {}

  @Allow(Role.ADMIN, Role.COMPLIANCE, Role.MARKETER, Role.AGENT)
  @Query(() => PrivacyNoticeConnection, { description: 'Privacy notice versions, newest first.' })
  privacyNotices(@Args() args: PrivacyNoticesArgs): Promise<ConnectionShape<PrivacyNotice>> {
    return this.notices.list(args);
  }

  @Allow(Role.ADMIN, Role.COMPLIANCE, Role.MARKETER, Role.AGENT)
  @Query(() => PrivacyNotice)
  privacyNotice(@Args() args: PrivacyNoticeIdArgs): Promise<PrivacyNotice> {
    return this.notices.get(args.id);
  }

  @Allow(Role.ADMIN)
  @Mutation(() => PrivacyNotice, { description: 'Creates a draft version.' })
  createPrivacyNotice(@Args('input') input: CreatePrivacyNoticeInput): Promise<PrivacyNotice> {
    return this.notices.create(input);
  }

  @Allow(Role.ADMIN)
  @Mutation(() => PrivacyNotice, { description: 'Edits a draft; published versions are immutable.' })
  updatePrivacyNotice(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdatePrivacyNoticeInput,
  ): Promise<PrivacyNotice> {
    return this.notices.update(id, input);
  }

  @Allow(Role.ADMIN)
  @Mutation(() => PrivacyNotice, {
    description: 'Publishes a draft: its content hash is fixed, it never changes again.',
  })
  publishPrivacyNotice(@Args() args: PrivacyNoticeIdArgs): Promise<PrivacyNotice> {
    return this.notices.publish(args.id);
  }

  @Allow(Role.ADMIN)
  @Mutation(() => Boolean, { description: 'Deletes a draft.' })
  deletePrivacyNotice(@Args() args: PrivacyNoticeIdArgs): Promise<boolean> {
    return this.notices.deleteDraft(args.id);
  }
}
