import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsDate,
  IsEmail,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageArgs } from '#platform/graphql/connection';
import { IsPhoneNumber, IsReadableEmail } from '#platform/validation/validators';
import { CustomAttributesScalar, IsCustomAttributes, type CustomAttributes } from './custom-attributes.js';
import { IsCountryCode, IsLanguageTag, trim } from './customer-validators.js';
import { CustomerSort, LifecycleStage } from './customer.enums.js';

export const MAX_NAME = 200;
export const MAX_EMAILS = 20;
export const MAX_PHONES = 20;
export const MAX_TAGS = 50;
export const MAX_TAG = 50;
export const MAX_EXTERNAL_ID = 200;

/** Present and not null: for fields of an update that may be left out but not cleared. */
const notNull = (_: object, value: unknown) => value !== undefined;

@InputType()
export class CustomerEmailInput {
  @Field({ description: 'Trimmed and lower-cased before it is stored.' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @MaxLength(254)
  @IsEmail()
  @IsReadableEmail()
  address: string;

  @Field({ nullable: true, description: 'Exactly one e-mail is primary; the first one when none is marked.' })
  @IsOptional()
  @IsBoolean()
  primary?: boolean;
}

@InputType()
export class CustomerPhoneInput {
  @Field({ description: 'International form, e.g. +33 1 23 45 67 89 or 0033…; stored as E.164.' })
  @IsString()
  @MaxLength(40)
  @IsPhoneNumber()
  number: string;

  @Field({ nullable: true, description: 'Exactly one phone is primary; the first one when none is marked.' })
  @IsOptional()
  @IsBoolean()
  primary?: boolean;
}

@InputType()
export class PostalAddressInput {
  @Field(() => String, { nullable: true })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  line1?: string | null;

  @Field(() => String, { nullable: true })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  line2?: string | null;

  @Field(() => String, { nullable: true })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string | null;

  @Field(() => String, { nullable: true })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  city?: string | null;

  @Field(() => String, { nullable: true })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2, e.g. FR.' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsOptional()
  @IsCountryCode()
  country?: string | null;
}

@InputType()
export class CreateCustomerInput {
  @Field()
  @Transform(trim)
  @IsString()
  @Length(1, MAX_NAME)
  firstName: string;

  @Field()
  @Transform(trim)
  @IsString()
  @Length(1, MAX_NAME)
  lastName: string;

  @Field(() => [CustomerEmailInput], { nullable: true, description: `At most ${MAX_EMAILS}.` })
  @IsOptional()
  @ArrayMaxSize(MAX_EMAILS)
  @ValidateNested({ each: true })
  @Type(() => CustomerEmailInput)
  emails?: CustomerEmailInput[];

  @Field(() => [CustomerPhoneInput], { nullable: true, description: `At most ${MAX_PHONES}.` })
  @IsOptional()
  @ArrayMaxSize(MAX_PHONES)
  @ValidateNested({ each: true })
  @Type(() => CustomerPhoneInput)
  phones?: CustomerPhoneInput[];

  @Field(() => PostalAddressInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PostalAddressInput)
  address?: PostalAddressInput;

  @Field(() => String, { nullable: true, description: 'BCP 47, e.g. fr or en-GB.' })
  @Transform(trim)
  @IsOptional()
  @IsLanguageTag()
  language?: string;

  @Field(() => LifecycleStage, { nullable: true, description: 'Default: LEAD.' })
  @IsOptional()
  @IsEnum(LifecycleStage)
  lifecycleStage?: LifecycleStage;

  @Field(() => ID, { nullable: true, description: 'The user who owns the relationship.' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @Field(() => [String], {
    nullable: true,
    description: `At most ${MAX_TAGS} tags of ${MAX_TAG} characters.`,
  })
  @Transform(({ value }) =>
    Array.isArray(value) ? value.map((t) => (typeof t === 'string' ? t.trim() : t)) : value,
  )
  @IsOptional()
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @Length(1, MAX_TAG, { each: true })
  tags?: string[];

  @Field(() => CustomAttributesScalar, { nullable: true })
  @IsOptional()
  @IsCustomAttributes()
  attributes?: CustomAttributes;

  @Field({ nullable: true, description: 'Unique key in an external system.' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, MAX_EXTERNAL_ID)
  externalId?: string;
}

/**
 * A partial update: fields left out keep their value; nullable fields set to null are cleared.
 * `emails` and `phones`, when given, replace the whole list.
 */
@InputType()
export class UpdateCustomerInput {
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

  @Field(() => [CustomerEmailInput], {
    nullable: true,
    description: 'Replaces all e-mails ([] removes them).',
  })
  @ValidateIf(notNull)
  @ArrayMaxSize(MAX_EMAILS)
  @ValidateNested({ each: true })
  @Type(() => CustomerEmailInput)
  emails?: CustomerEmailInput[];

  @Field(() => [CustomerPhoneInput], {
    nullable: true,
    description: 'Replaces all phones ([] removes them).',
  })
  @ValidateIf(notNull)
  @ArrayMaxSize(MAX_PHONES)
  @ValidateNested({ each: true })
  @Type(() => CustomerPhoneInput)
  phones?: CustomerPhoneInput[];

  @Field(() => PostalAddressInput, { nullable: true, description: 'Replaces the address; null clears it.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PostalAddressInput)
  address?: PostalAddressInput | null;

  @Field(() => String, { nullable: true })
  @Transform(trim)
  @IsOptional()
  @IsLanguageTag()
  language?: string | null;

  @Field(() => LifecycleStage, { nullable: true })
  @ValidateIf(notNull)
  @IsEnum(LifecycleStage)
  lifecycleStage?: LifecycleStage;

  @Field(() => ID, { nullable: true, description: 'null removes the owner.' })
  @IsOptional()
  @IsUUID()
  ownerId?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the tags.' })
  @Transform(({ value }) =>
    Array.isArray(value) ? value.map((t) => (typeof t === 'string' ? t.trim() : t)) : value,
  )
  @ValidateIf(notNull)
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @Length(1, MAX_TAG, { each: true })
  tags?: string[];

  @Field(() => CustomAttributesScalar, { nullable: true, description: 'Replaces the attributes.' })
  @ValidateIf(notNull)
  @IsCustomAttributes()
  attributes?: CustomAttributes;

  @Field(() => String, { nullable: true, description: 'null removes the external id.' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, MAX_EXTERNAL_ID)
  externalId?: string | null;
}

@InputType()
export class CustomerFilter {
  @Field(() => [LifecycleStage], { nullable: true, description: 'Any of these stages.' })
  @IsOptional()
  @ArrayMaxSize(4)
  @IsEnum(LifecycleStage, { each: true })
  lifecycleStages?: LifecycleStage[];

  @Field({ nullable: true, description: 'Customers carrying this tag.' })
  @IsOptional()
  @IsString()
  @Length(1, MAX_TAG)
  tag?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @Field(() => ID, { nullable: true, description: 'Customers linked to this company.' })
  @IsOptional()
  @IsUUID()
  companyId?: string;

  @Field({ nullable: true, description: 'BCP 47 tag, exact match.' })
  @IsOptional()
  @IsLanguageTag()
  language?: string;

  @Field({ nullable: true, description: 'ISO 3166-1 alpha-2 of the postal address.' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsOptional()
  @IsCountryCode()
  country?: string;

  @Field({ nullable: true, description: 'Created at or after.' })
  @IsOptional()
  @IsDate()
  createdFrom?: Date;

  @Field({ nullable: true, description: 'Created strictly before.' })
  @IsOptional()
  @IsDate()
  createdBefore?: Date;

  @Field({ nullable: true, description: 'Only soft-deleted customers, to restore them (admins only).' })
  @IsOptional()
  @IsBoolean()
  deleted?: boolean;
}

@ArgsType()
export class CustomersArgs extends PageArgs {
  @Field(() => CustomerFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerFilter)
  filter?: CustomerFilter;

  @Field(() => CustomerSort, { nullable: true, defaultValue: CustomerSort.CREATED_AT_DESC })
  @IsOptional()
  @IsEnum(CustomerSort)
  sort?: CustomerSort;
}

@ArgsType()
export class SearchCustomersArgs {
  @Field({ description: 'A name (fragments and typos are fine), an e-mail or a phone number.' })
  @Transform(trim)
  @IsString()
  @Length(3, 200)
  query: string;

  @Field(() => Int, { nullable: true, defaultValue: 20, description: '1 to 50.' })
  @IsOptional()
  @IsInt()
  first?: number;
}
