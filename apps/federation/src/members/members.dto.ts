import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsDate, IsEnum, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { ApplicationStatus, MemberStatus } from './member.entity.js';
import { PageArgs } from '#platform/graphql/connection';

const ENTITY_ID = /^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$/;

@ArgsType()
export class ApplicationsArgs extends PageArgs {
  @Field(() => ApplicationStatus, { nullable: true, defaultValue: ApplicationStatus.PENDING })
  @IsOptional()
  @IsEnum(ApplicationStatus)
  status?: ApplicationStatus;
}

@ArgsType()
export class MembersArgs extends PageArgs {
  @Field(() => MemberStatus, { nullable: true })
  @IsOptional()
  @IsEnum(MemberStatus)
  status?: MemberStatus;
}

@ArgsType()
export class ApproveApplicationArgs {
  @Field(() => ID)
  @IsUUID()
  applicationId: string;

  @Field({
    nullable: true,
    description: 'End of the membership term (default: MEMBERSHIP_TERM_SECONDS from now).',
  })
  @IsOptional()
  @IsDate()
  validUntil?: Date;
}

@ArgsType()
export class RejectApplicationArgs {
  @Field(() => ID)
  @IsUUID()
  applicationId: string;

  @Field()
  @IsString()
  @Length(1, 500)
  reason: string;
}

@ArgsType()
export class PartnerArgs {
  @Field()
  @Matches(ENTITY_ID, { message: 'partnerId must be a partner id' })
  partnerId: string;
}

@ArgsType()
export class SuspendMemberArgs extends PartnerArgs {
  @Field()
  @IsString()
  @Length(1, 500)
  reason: string;
}

@ArgsType()
export class RenewMembershipArgs extends PartnerArgs {
  @Field({ nullable: true, description: 'New end of the term (default: MEMBERSHIP_TERM_SECONDS from now).' })
  @IsOptional()
  @IsDate()
  validUntil?: Date;
}
