import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsDate,
  IsEmail,
  IsEnum,
  IsIn,
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
import { IsPhoneNumber } from '#platform/validation/validators';
import { notNull, trim, trimToNull } from '#platform/validation/transforms';
import { LeadSort, LeadSource, LeadStatus } from './lead.enums.js';
import { PageArgs } from '#platform/graphql/connection';

export const MAX_NAME = 200;
export const MAX_COMPANY = 200;
export const MAX_CAMPAIGN_REF = 200;

/** The statuses a lead may be given by hand (CONVERTED only through convertLead). */
export const MANUAL_STATUSES = [
  LeadStatus.NEW,
  LeadStatus.CONTACTED,
  LeadStatus.QUALIFIED,
  LeadStatus.DISQUALIFIED,
];
const MANUAL_RULE = {
  message: '$property must be NEW, CONTACTED, QUALIFIED or DISQUALIFIED (use convertLead)',
};

const lowerTrim = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  return v === '' ? null : v;
};

@InputType()
export class CreateLeadInput {
  @Field({ description: `1 to ${MAX_NAME} characters.` })
  @Transform(trim)
  @IsString()
  @Length(1, MAX_NAME)
  firstName: string;

  @Field({ description: `1 to ${MAX_NAME} characters.` })
  @Transform(trim)
  @IsString()
  @Length(1, MAX_NAME)
  lastName: string;

  @Field(() => String, { nullable: true })
  @Transform(lowerTrim)
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'International form; stored as E.164.' })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsPhoneNumber()
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_COMPANY)
  companyName?: string | null;

  @Field(() => LeadSource)
  @IsEnum(LeadSource)
  source: LeadSource;

  @Field(() => LeadStatus, { nullable: true, description: 'Default: NEW. Not CONVERTED.' })
  @IsOptional()
  @IsIn(MANUAL_STATUSES, MANUAL_RULE)
  status?: LeadStatus;

  @Field(() => Int, { nullable: true, description: '0 to 100; default 0.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  score?: number;

  @Field(() => String, { nullable: true })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CAMPAIGN_REF)
  campaignRef?: string | null;

  @Field(() => ID, { nullable: true, description: 'The user who works the lead.' })
  @IsOptional()
  @IsUUID()
  ownerId?: string | null;
}

@InputType()
export class UpdateLeadInput {
  @Field({ nullable: true })
  @Transform(trim)
  @ValidateIf(notNull)
  @IsString()
  @Length(1, MAX_NAME)
  firstName?: string;

  @Field({ nullable: true })
  @Transform(trim)
  @ValidateIf(notNull)
  @IsString()
  @Length(1, MAX_NAME)
  lastName?: string;

  @Field(() => String, { nullable: true, description: 'null or "" clears it.' })
  @Transform(lowerTrim)
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'null or "" clears it.' })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsPhoneNumber()
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'null or "" clears it.' })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_COMPANY)
  companyName?: string | null;

  @Field(() => LeadSource, { nullable: true })
  @ValidateIf(notNull)
  @IsEnum(LeadSource)
  source?: LeadSource;

  @Field(() => LeadStatus, { nullable: true, description: 'Not CONVERTED (use convertLead).' })
  @ValidateIf(notNull)
  @IsIn(MANUAL_STATUSES, MANUAL_RULE)
  status?: LeadStatus;

  @Field(() => Int, { nullable: true })
  @ValidateIf(notNull)
  @IsInt()
  @Min(0)
  @Max(100)
  score?: number;

  @Field(() => String, { nullable: true, description: 'null or "" clears it.' })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CAMPAIGN_REF)
  campaignRef?: string | null;

  @Field(() => ID, { nullable: true, description: 'null removes the owner.' })
  @IsOptional()
  @IsUUID()
  ownerId?: string | null;
}

@InputType()
export class LeadFilter {
  @Field(() => [LeadStatus], { nullable: true, description: 'Any of these statuses.' })
  @IsOptional()
  @ArrayMaxSize(5)
  @IsEnum(LeadStatus, { each: true })
  statuses?: LeadStatus[];

  @Field(() => [LeadSource], { nullable: true, description: 'Any of these sources.' })
  @IsOptional()
  @ArrayMaxSize(7)
  @IsEnum(LeadSource, { each: true })
  sources?: LeadSource[];

  @Field(() => Int, { nullable: true, description: 'Score at least this (0 to 100).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  minScore?: number;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @Field({ nullable: true, description: 'Exact campaign reference.' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, MAX_CAMPAIGN_REF)
  campaignRef?: string;

  @Field({ nullable: true, description: 'Created at or after.' })
  @IsOptional()
  @IsDate()
  createdFrom?: Date;

  @Field({ nullable: true, description: 'Created strictly before.' })
  @IsOptional()
  @IsDate()
  createdBefore?: Date;
}

@ArgsType()
export class LeadsArgs extends PageArgs {
  @Field(() => LeadFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LeadFilter)
  filter?: LeadFilter;

  @Field(() => LeadSort, { nullable: true, defaultValue: LeadSort.CREATED_AT_DESC })
  @IsOptional()
  @IsEnum(LeadSort)
  sort?: LeadSort;
}
