import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { notNull, trim, trimToNull } from '#platform/validation/transforms';
import { CareCasePriority, CareCaseSort, CareCaseStatus } from './care-case.enums.js';
import { PageArgs } from '#platform/graphql/connection';

export const MAX_SUBJECT = 200;
export const MAX_DESCRIPTION = 10000;
export const MAX_CATEGORY = 100;
export const MAX_RESOLUTION = 10000;
export const MAX_FEEDBACK_COMMENT = 2000;

@InputType()
export class CreateCareCaseInput {
  @Field(() => ID)
  @IsUUID()
  customerId: string;

  @Field({ description: `1 to ${MAX_SUBJECT} characters.` })
  @Transform(trim)
  @IsString()
  @Length(1, MAX_SUBJECT)
  subject: string;

  @Field(() => String, { nullable: true, description: `At most ${MAX_DESCRIPTION} characters.` })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string | null;

  @Field(() => CareCasePriority, { nullable: true, description: 'Default: NORMAL.' })
  @IsOptional()
  @IsEnum(CareCasePriority)
  priority?: CareCasePriority;

  @Field(() => String, { nullable: true, description: `At most ${MAX_CATEGORY} characters.` })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CATEGORY)
  category?: string | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  dueAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'The user who handles the case.' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Default: now. Not in the future.' })
  @IsOptional()
  @IsDate()
  openedAt?: Date;
}

/** A partial update of the case's description fields; status changes go through `changeCareCaseStatus`. */
@InputType()
export class UpdateCareCaseInput {
  @Field({ nullable: true })
  @Transform(trim)
  @ValidateIf(notNull)
  @IsString()
  @Length(1, MAX_SUBJECT)
  subject?: string;

  @Field(() => String, { nullable: true, description: 'null or "" clears it.' })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string | null;

  @Field(() => CareCasePriority, { nullable: true })
  @ValidateIf(notNull)
  @IsEnum(CareCasePriority)
  priority?: CareCasePriority;

  @Field(() => String, { nullable: true, description: 'null or "" clears it.' })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CATEGORY)
  category?: string | null;

  @Field(() => Date, { nullable: true, description: 'null clears it.' })
  @IsOptional()
  @IsDate()
  dueAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'null unassigns the case.' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string | null;
}

@InputType()
export class ChangeCareCaseStatusInput {
  @Field(() => CareCaseStatus)
  @IsEnum(CareCaseStatus)
  status: CareCaseStatus;

  @Field(() => String, {
    nullable: true,
    description: `Required to resolve a case (1 to ${MAX_RESOLUTION} characters).`,
  })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_RESOLUTION)
  resolution?: string | null;
}

@InputType()
export class CareCaseFeedbackInput {
  @Field(() => Int, { description: '1 (bad) to 5 (excellent).' })
  @IsInt()
  @Min(1)
  @Max(5)
  satisfaction: number;

  @Field(() => String, { nullable: true, description: `At most ${MAX_FEEDBACK_COMMENT} characters.` })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FEEDBACK_COMMENT)
  comment?: string | null;
}

@InputType()
export class CareCaseFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @Field(() => [CareCaseStatus], { nullable: true, description: 'Any of these statuses.' })
  @IsOptional()
  @ArrayMaxSize(4)
  @IsEnum(CareCaseStatus, { each: true })
  statuses?: CareCaseStatus[];

  @Field(() => [CareCasePriority], { nullable: true, description: 'Any of these priorities.' })
  @IsOptional()
  @ArrayMaxSize(4)
  @IsEnum(CareCasePriority, { each: true })
  priorities?: CareCasePriority[];

  @Field({ nullable: true })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, MAX_CATEGORY)
  category?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @Field({ nullable: true, description: 'true: only unassigned cases.' })
  @IsOptional()
  @IsBoolean()
  unassigned?: boolean;

  @Field({
    nullable: true,
    description: 'true: open or pending cases past their due time; false: the others.',
  })
  @IsOptional()
  @IsBoolean()
  overdue?: boolean;

  @Field({ nullable: true, description: 'Opened at or after.' })
  @IsOptional()
  @IsDate()
  openedFrom?: Date;

  @Field({ nullable: true, description: 'Opened strictly before.' })
  @IsOptional()
  @IsDate()
  openedBefore?: Date;
}

@ArgsType()
export class CareCasesArgs extends PageArgs {
  @Field(() => CareCaseFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CareCaseFilter)
  filter?: CareCaseFilter;

  @Field(() => CareCaseSort, { nullable: true, defaultValue: CareCaseSort.OPENED_AT_DESC })
  @IsOptional()
  @IsEnum(CareCaseSort)
  sort?: CareCaseSort;
}
