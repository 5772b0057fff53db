import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCurrencyCode } from '#platform/validation/validators';
import { notNull, trim, trimToNull } from '#platform/validation/transforms';
import { DECIMAL } from './money.js';
import { OrderChannel, OrderSort, OrderStatus } from './order.enums.js';
import { PageArgs } from '#platform/graphql/connection';

export const MAX_LINES = 500;
export const MAX_QUANTITY = 1_000_000;
export const MAX_NUMBER = 50;
export const MAX_EXTERNAL_ID = 200;
const AMOUNT_RULE = { message: '$property must be a decimal amount ≥ 0 with at most 2 decimals, e.g. 19.99' };
const upper = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

@InputType()
export class OrderLineInput {
  @Field({ description: '1 to 64 characters.' })
  @Transform(trim)
  @IsString()
  @Length(1, 64)
  sku: string;

  @Field({ description: '1 to 200 characters.' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  productName: string;

  @Field(() => String, { nullable: true, description: 'At most 100 characters.' })
  @Transform(trimToNull)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  productCategory?: string | null;

  @Field(() => Int, { description: `1 to ${MAX_QUANTITY}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity: number;

  @Field({ description: 'Decimal string ≥ 0, e.g. "19.99" (no more decimals than the currency has).' })
  @IsString()
  @Matches(DECIMAL, AMOUNT_RULE)
  unitPrice: string;
}

@InputType()
export class CreateOrderInput {
  @Field(() => ID)
  @IsUUID()
  customerId: string;

  @Field(() => String, {
    nullable: true,
    description: `Unique; generated when not given. At most ${MAX_NUMBER} characters.`,
  })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, MAX_NUMBER)
  number?: string;

  @Field(() => String, { nullable: true, description: 'Unique key in an external system.' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, MAX_EXTERNAL_ID)
  externalId?: string;

  @Field(() => Date, { nullable: true, description: 'Default: now. Not in the future.' })
  @IsOptional()
  @IsDate()
  orderedAt?: Date;

  @Field(() => OrderStatus, {
    nullable: true,
    description: 'Default: PENDING (history may be imported in any status).',
  })
  @IsOptional()
  @IsEnum(OrderStatus)
  status?: OrderStatus;

  @Field(() => OrderChannel)
  @IsEnum(OrderChannel)
  channel: OrderChannel;

  @Field({ description: 'ISO 4217, e.g. EUR.' })
  @Transform(upper)
  @IsString()
  @IsCurrencyCode()
  currency: string;

  @Field(() => [OrderLineInput], { description: `1 to ${MAX_LINES} lines.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => OrderLineInput)
  lines: OrderLineInput[];

  @Field(() => String, {
    nullable: true,
    description: 'Decimal string ≥ 0, at most the subtotal. Default 0.',
  })
  @IsOptional()
  @IsString()
  @Matches(DECIMAL, AMOUNT_RULE)
  discount?: string;

  @Field(() => String, { nullable: true, description: 'Decimal string ≥ 0. Default 0.' })
  @IsOptional()
  @IsString()
  @Matches(DECIMAL, AMOUNT_RULE)
  shipping?: string;

  @Field(() => String, { nullable: true, description: 'Decimal string ≥ 0. Default 0.' })
  @IsOptional()
  @IsString()
  @Matches(DECIMAL, AMOUNT_RULE)
  tax?: string;
}

/**
 * A partial update. Status changes follow ORDER_TRANSITIONS; lines and amounts can be replaced
 * only while the order is PENDING (totals are recomputed).
 */
@InputType()
export class UpdateOrderInput {
  @Field(() => OrderStatus, { nullable: true })
  @ValidateIf(notNull)
  @IsEnum(OrderStatus)
  status?: OrderStatus;

  @Field(() => OrderChannel, { nullable: true })
  @ValidateIf(notNull)
  @IsEnum(OrderChannel)
  channel?: OrderChannel;

  @Field(() => Date, { nullable: true })
  @ValidateIf(notNull)
  @IsDate()
  orderedAt?: Date;

  @Field(() => String, { nullable: true, description: 'null removes the external id.' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, MAX_EXTERNAL_ID)
  externalId?: string | null;

  @Field(() => [OrderLineInput], { nullable: true, description: 'Replaces all lines (PENDING orders only).' })
  @ValidateIf(notNull)
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => OrderLineInput)
  lines?: OrderLineInput[];

  @Field(() => String, { nullable: true, description: 'PENDING orders only.' })
  @ValidateIf(notNull)
  @IsString()
  @Matches(DECIMAL, AMOUNT_RULE)
  discount?: string;

  @Field(() => String, { nullable: true, description: 'PENDING orders only.' })
  @ValidateIf(notNull)
  @IsString()
  @Matches(DECIMAL, AMOUNT_RULE)
  shipping?: string;

  @Field(() => String, { nullable: true, description: 'PENDING orders only.' })
  @ValidateIf(notNull)
  @IsString()
  @Matches(DECIMAL, AMOUNT_RULE)
  tax?: string;
}

@InputType()
export class OrderFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @Field(() => [OrderStatus], { nullable: true, description: 'Any of these statuses.' })
  @IsOptional()
  @ArrayMaxSize(6)
  @IsEnum(OrderStatus, { each: true })
  statuses?: OrderStatus[];

  @Field(() => [OrderChannel], { nullable: true, description: 'Any of these channels.' })
  @IsOptional()
  @ArrayMaxSize(5)
  @IsEnum(OrderChannel, { each: true })
  channels?: OrderChannel[];

  @Field({ nullable: true })
  @Transform(upper)
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @Field({ nullable: true, description: 'Ordered at or after.' })
  @IsOptional()
  @IsDate()
  orderedFrom?: Date;

  @Field({ nullable: true, description: 'Ordered strictly before.' })
  @IsOptional()
  @IsDate()
  orderedBefore?: Date;
}

@ArgsType()
export class OrdersArgs extends PageArgs {
  @Field(() => OrderFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => OrderFilter)
  filter?: OrderFilter;

  @Field(() => OrderSort, { nullable: true, defaultValue: OrderSort.ORDERED_AT_DESC })
  @IsOptional()
  @IsEnum(OrderSort)
  sort?: OrderSort;
}
