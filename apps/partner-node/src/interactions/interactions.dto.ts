import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsDate,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { notNull, trimToNull } from '#platform/validation/transforms';
import { InteractionChannel, InteractionDirection, InteractionSort } from './interaction.enums.js';
import { PageArgs } from '#platform/graphql/connection';

export const MAX_SUBJECT = 200;
export const MAX_SUMMARY = 10000;

@InputType()
export class CreateInteractionInput {
  @Field(() => ID)
  @IsUUID()
  customerId: string;

  @Field(() => InteractionChannel)
  @IsEnum(InteractionChannel)
  channel: InteractionChannel;

  @Field(() => InteractionDirection)
  @IsEnum(InteractionDirection)
  direction: InteractionDirection;

  @Field(() => String, { nullable: true, description: `At most ${MAX_SUBJECT} characters.` })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SUBJECT)
  subject?: string | null;

  @Field(() => String, { nullable: true, description: `At most ${MAX_SUMMARY} characters.` })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SUMMARY)
  summary?: string | null;

  @Field(() => ID, { nullable: true, description: 'The user who handled it; default: the caller.' })
  @IsOptional()
  @IsUUID()
  agentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The care case it belongs to (of the same customer).' })
  @IsOptional()
  @IsUUID()
  careCaseId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Default: now. Not in the future.' })
  @IsOptional()
  @IsDate()
  occurredAt?: Date;
}

@InputType()
export class UpdateInteractionInput {
  @Field(() => InteractionChannel, { nullable: true })
  @ValidateIf(notNull)
  @IsEnum(InteractionChannel)
  channel?: InteractionChannel;

  @Field(() => InteractionDirection, { nullable: true })
  @ValidateIf(notNull)
  @IsEnum(InteractionDirection)
  direction?: InteractionDirection;

  @Field(() => String, { nullable: true, description: 'null or "" clears it.' })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SUBJECT)
  subject?: string | null;

  @Field(() => String, { nullable: true, description: 'null or "" clears it.' })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SUMMARY)
  summary?: string | null;

  @Field(() => ID, { nullable: true, description: 'null removes the agent.' })
  @IsOptional()
  @IsUUID()
  agentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'null detaches it from its case.' })
  @IsOptional()
  @IsUUID()
  careCaseId?: string | null;

  @Field(() => Date, { nullable: true })
  @ValidateIf(notNull)
  @IsDate()
  occurredAt?: Date;
}

@InputType()
export class InteractionFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  careCaseId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  agentId?: string;

  @Field(() => [InteractionChannel], { nullable: true, description: 'Any of these channels.' })
  @IsOptional()
  @ArrayMaxSize(7)
  @IsEnum(InteractionChannel, { each: true })
  channels?: InteractionChannel[];

  @Field(() => InteractionDirection, { nullable: true })
  @IsOptional()
  @IsEnum(InteractionDirection)
  direction?: InteractionDirection;

  @Field({ nullable: true, description: 'Occurred at or after.' })
  @IsOptional()
  @IsDate()
  occurredFrom?: Date;

  @Field({ nullable: true, description: 'Occurred strictly before.' })
  @IsOptional()
  @IsDate()
  occurredBefore?: Date;
}

@ArgsType()
export class InteractionsArgs extends PageArgs {
  @Field(() => InteractionFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => InteractionFilter)
  filter?: InteractionFilter;

  @Field(() => InteractionSort, { nullable: true, defaultValue: InteractionSort.OCCURRED_AT_DESC })
  @IsOptional()
  @IsEnum(InteractionSort)
  sort?: InteractionSort;
}
