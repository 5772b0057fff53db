import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { NoticeStatus } from './privacy-notice.entity.js';
import { PageArgs } from '#platform/graphql/connection';

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

@InputType()
export class CreatePrivacyNoticeInput {
  @Field({ description: 'Stable name across versions: lower-case letters, digits, dashes.' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    message: '$property must be lower-case letters, digits and dashes',
  })
  noticeKey: string;

  @Field({ description: 'e.g. 2025-06 or 3.1' })
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: '$property must be 1-64 letters, digits, dots, dashes' })
  version: string;

  @Field()
  @Matches(LANGUAGE, { message: '$property must be a BCP 47 language tag such as fr or fr-FR' })
  language: string;

  @Field()
  @IsString()
  @Length(1, 300)
  title: string;

  @Field()
  @IsString()
  @Length(1, 200000)
  body: string;
}

@InputType()
export class UpdatePrivacyNoticeInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  title?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200000)
  body?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(LANGUAGE, { message: '$property must be a BCP 47 language tag such as fr or fr-FR' })
  language?: string;
}

@ArgsType()
export class PrivacyNoticesArgs extends PageArgs {
  @Field(() => NoticeStatus, { nullable: true })
  @IsOptional()
  @IsEnum(NoticeStatus)
  status?: NoticeStatus;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  noticeKey?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(LANGUAGE)
  language?: string;
}

@ArgsType()
export class PrivacyNoticeIdArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}
