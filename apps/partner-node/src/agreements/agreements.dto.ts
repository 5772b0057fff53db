import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  ArrayMinSize,
  ArrayUnique,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AgreementDirection, AgreementState, DataCategory, MergeBucket, Purpose } from './agreement.enums.js';
import { PageArgs } from '#platform/graphql/connection';

@InputType()
export class ProposeAgreementInput {
  @Field({ description: 'The partner id (a member of the federation).' })
  @Matches(/^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$/, { message: '$property must be a partner id' })
  partnerId: string;

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

  @Field(() => AgreementDirection)
  @IsEnum(AgreementDirection)
  direction: AgreementDirection;

  @Field(() => Int, { description: 'How long the receiver may keep shared records (1 to 3650 days).' })
  @IsInt()
  @Min(1)
  @Max(3650)
  retentionDays: number;

  @Field(() => [MergeBucket], {
    nullable: true,
    description: 'Attributes a segment merge under this agreement may break its counts down by.',
  })
  @IsOptional()
  @IsEnum(MergeBucket, { each: true })
  @ArrayUnique()
  mergeBuckets?: MergeBucket[];

  @Field(() => Int, { description: 'Overlap counts below it are suppressed (at least 1).' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minCohortSize: number;

  @Field({ nullable: true, description: 'Default: now.' })
  @IsOptional()
  @IsDate()
  validFrom?: Date;

  @Field()
  @IsDate()
  validUntil: Date;
}

@ArgsType()
export class AgreementsArgs extends PageArgs {
  @Field(() => AgreementState, { nullable: true })
  @IsOptional()
  @IsEnum(AgreementState)
  state?: AgreementState;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  partnerId?: string;
}

@ArgsType()
export class TerminateAgreementArgs {
  @Field(() => ID)
  @IsString()
  @MaxLength(128)
  agreementId: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

@ArgsType()
export class AgreementIdArgs {
  @Field(() => ID)
  @IsString()
  @MaxLength(128)
  agreementId: string;
}
