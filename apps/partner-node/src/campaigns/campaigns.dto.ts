import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { PageArgs } from '#platform/graphql/connection';
import { CampaignChannel } from './campaign.entity.js';

@InputType()
export class CreateCampaignInput {
  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @Field(() => ID, { description: 'A segment of this node.' })
  @IsUUID('all')
  segmentId: string;

  @Field(() => CampaignChannel)
  @IsEnum(CampaignChannel)
  channel: CampaignChannel;

  @Field()
  @IsDate()
  startsAt: Date;

  @Field({ description: 'After startsAt, at most 2 years later.' })
  @IsDate()
  endsAt: Date;
}

@InputType()
export class UpdateCampaignInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  segmentId?: string;

  @Field(() => CampaignChannel, { nullable: true })
  @IsOptional()
  @IsEnum(CampaignChannel)
  channel?: CampaignChannel;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  startsAt?: Date;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  endsAt?: Date;
}

@InputType()
export class CampaignResponseInput {
  @Field(() => ID)
  @IsUUID('all')
  campaignId: string;

  @Field(() => ID)
  @IsUUID('all')
  customerId: string;

  @Field(() => Date, {
    nullable: true,
    description: 'When it happened (default now); the first record wins.',
  })
  @IsOptional()
  @IsDate()
  at?: Date;
}

@ArgsType()
export class CampaignsArgs extends PageArgs {}
