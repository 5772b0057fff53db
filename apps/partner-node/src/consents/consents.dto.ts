import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsDate,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { DataCategory, Purpose } from '../agreements/agreement.enums.js';
import { CollectionMethod } from './consent.entity.js';
import { PageArgs } from '#platform/graphql/connection';

/** A partner id, as each recipient must be written (`@Matches` below, and `meetsGiveConsentRules`). */
export const PARTNER_ID = /^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$/;
/** A BCP 47 language tag (the notice's language). */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** ISO 3166-1 alpha-2, optionally with a subdivision. */
export const JURISDICTION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
/** Recipients a consent names at most. */
export const MAX_RECIPIENTS = 50;

@InputType()
export class GiveConsentInput {
  @Field(() => ID)
  @IsUUID()
  customerId: string;

  @Field(() => [Purpose])
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(Purpose, { each: true })
  purposes: Purpose[];

  @Field(() => [DataCategory])
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(DataCategory, { each: true })
  categories: DataCategory[];

  @Field(() => [String], {
    description:
      'Partner ids of the recipients; each needs an active agreement covering the purposes and categories.',
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_RECIPIENTS)
  @ArrayUnique()
  @Matches(PARTNER_ID, {
    each: true,
    message: 'each of $property must be a partner id',
  })
  recipients: string[];

  @Field({ nullable: true, description: 'Default: now. A consent cannot start before it is given.' })
  @IsOptional()
  @IsDate()
  validFrom?: Date;

  @Field()
  @IsDate()
  validUntil: Date;

  @Field({
    nullable: true,
    description: 'When the customer agreed (default: now), e.g. the date of a paper form.',
  })
  @IsOptional()
  @IsDate()
  givenAt?: Date;

  @Field(() => CollectionMethod)
  @IsEnum(CollectionMethod)
  collectionMethod: CollectionMethod;

  @Field(() => ID, { description: 'The exact published notice version the customer was shown.' })
  @IsUUID()
  privacyNoticeId: string;

  @Field({
    nullable: true,
    description: "BCP 47 tag of the notice shown; default (and must be) the notice's language.",
  })
  @IsOptional()
  @Matches(LANGUAGE_TAG, {
    message: '$property must be a BCP 47 language tag such as fr-FR',
  })
  language?: string;

  @Field({ description: 'ISO 3166-1 alpha-2, optionally with a subdivision: FR, US-CA.' })
  @Matches(JURISDICTION, {
    message: '$property must be an ISO 3166 code such as FR or US-CA',
  })
  jurisdiction: string;
}

@ArgsType()
export class WithdrawConsentArgs {
  @Field(() => ID)
  @IsUUID()
  consentId: string;

  @Field({ nullable: true, description: "The customer's reason, if they gave one (kept here, never sent)." })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

@ArgsType()
export class ConsentIdArgs {
  @Field(() => ID)
  @IsUUID()
  consentId: string;
}

@ArgsType()
export class CustomerConsentsArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID()
  customerId: string;
}
