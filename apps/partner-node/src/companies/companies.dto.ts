import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  IsEnum,
  IsFQDN,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageArgs } from '#platform/graphql/connection';
import { CompanySizeBand, CompanySort } from './company.entity.js';

/** Two-letter country prefix, then 2 to 13 letters or digits (EU VIES style, e.g. FR40303265045). */
export const VAT_NUMBER = /^[A-Z]{2}[A-Z0-9]{2,13}$/;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const lowerTrim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;
/** VAT numbers are often typed with spaces, dots or dashes: those are dropped. */
const vat = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.replace(/[\s.-]/g, '').toUpperCase() : value;
const notNull = (_: object, value: unknown) => value !== undefined;

const VAT_MESSAGE = '$property must be a 2-letter country prefix followed by 2 to 13 letters or digits';

@InputType()
export class CreateCompanyInput {
  @Field()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @Field({ nullable: true, description: 'e.g. example.com' })
  @Transform(lowerTrim)
  @IsOptional()
  @IsString()
  @MaxLength(253)
  @IsFQDN()
  domain?: string;

  @Field({ nullable: true, description: 'e.g. FR40303265045; spaces, dots and dashes are dropped.' })
  @Transform(vat)
  @IsOptional()
  @IsString()
  @Matches(VAT_NUMBER, { message: VAT_MESSAGE })
  vatNumber?: string;

  @Field({ nullable: true })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, 100)
  industry?: string;

  @Field(() => CompanySizeBand, { nullable: true })
  @IsOptional()
  @IsEnum(CompanySizeBand)
  sizeBand?: CompanySizeBand;

  @Field({ nullable: true })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, 200)
  externalId?: string;
}

/** Fields left out keep their value; nullable ones set to null are cleared. */
@InputType()
export class UpdateCompanyInput {
  @Field({ nullable: true })
  @Transform(trim)
  @ValidateIf(notNull)
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true })
  @Transform(lowerTrim)
  @IsOptional()
  @IsString()
  @MaxLength(253)
  @IsFQDN()
  domain?: string | null;

  @Field(() => String, { nullable: true })
  @Transform(vat)
  @IsOptional()
  @IsString()
  @Matches(VAT_NUMBER, { message: VAT_MESSAGE })
  vatNumber?: string | null;

  @Field(() => String, { nullable: true })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, 100)
  industry?: string | null;

  @Field(() => CompanySizeBand, { nullable: true })
  @IsOptional()
  @IsEnum(CompanySizeBand)
  sizeBand?: CompanySizeBand | null;

  @Field(() => String, { nullable: true })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, 200)
  externalId?: string | null;
}

@InputType()
export class CompanyFilter {
  @Field({ nullable: true, description: 'Part of the name, case-insensitive.' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, 200)
  nameContains?: string;

  @Field({ nullable: true })
  @Transform(lowerTrim)
  @IsOptional()
  @IsString()
  @MaxLength(253)
  domain?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  industry?: string;

  @Field(() => CompanySizeBand, { nullable: true })
  @IsOptional()
  @IsEnum(CompanySizeBand)
  sizeBand?: CompanySizeBand;
}

@ArgsType()
export class CompaniesArgs extends PageArgs {
  @Field(() => CompanyFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CompanyFilter)
  filter?: CompanyFilter;

  @Field(() => CompanySort, { nullable: true, defaultValue: CompanySort.NAME_ASC })
  @IsOptional()
  @IsEnum(CompanySort)
  sort?: CompanySort;
}

@ArgsType()
export class LinkCustomerArgs {
  @Field(() => ID)
  @IsUUID()
  customerId: string;

  @Field(() => ID)
  @IsUUID()
  companyId: string;

  @Field({ description: 'e.g. buyer, decision maker. Linking again changes the role.' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  role: string;
}

@ArgsType()
export class UnlinkCustomerArgs {
  @Field(() => ID)
  @IsUUID()
  customerId: string;

  @Field(() => ID)
  @IsUUID()
  companyId: string;
}
