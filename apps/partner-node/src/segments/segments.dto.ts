import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import {
  Allow as AcceptProperty,
  ArrayMaxSize,
  ArrayMinSize,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageArgs } from '#platform/graphql/connection';
import { SegmentKind, SegmentRuleScalar } from './segment.entity.js';

export const MAX_LIST_EDIT = 1000;
/** A CSV of external ids for a static list: at most this many characters (about 20,000 lines). */
export const MAX_MEMBER_CSV = 1_000_000;
export const MAX_MEMBER_CSV_LINES = 20_000;

@InputType()
export class CreateSegmentInput {
  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @Field(() => SegmentKind, {
    description: 'RULE or STATIC (MERGED segments come from materialiseMergedSegment).',
  })
  @IsIn([SegmentKind.RULE, SegmentKind.STATIC], { message: 'kind must be RULE or STATIC' })
  kind: SegmentKind;

  @Field(() => SegmentRuleScalar, {
    nullable: true,
    description: 'Required for RULE segments, refused for STATIC.',
  })
  @AcceptProperty() // validated by the rule language (libs/segments), which names the offending path
  rule?: unknown;

  @Field(() => Int, {
    nullable: true,
    description: 'Scheduled refresh, every 5 to 10080 minutes (RULE only).',
  })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(10080)
  refreshEveryMinutes?: number;
}

@InputType()
export class UpdateSegmentInput {
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

  @Field(() => SegmentRuleScalar, {
    nullable: true,
    description: 'A new rule (RULE segments): refreshes the segment.',
  })
  @AcceptProperty()
  rule?: unknown;

  @Field(() => Int, { nullable: true, description: '0 stops the scheduled refresh.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10080)
  refreshEveryMinutes?: number;
}

@InputType()
export class SegmentListEditInput {
  @Field(() => ID)
  @IsUUID('all')
  segmentId: string;

  @Field(() => [ID], { description: `1 to ${MAX_LIST_EDIT} customer ids.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LIST_EDIT)
  @IsUUID('all', { each: true })
  customerIds: string[];
}

@ArgsType()
export class SegmentsArgs extends PageArgs {}

@ArgsType()
export class SegmentMembersArgs extends SegmentsArgs {}

@ArgsType()
export class SizeHistoryArgs {
  @Field(() => Date, { nullable: true, description: 'From this time (inclusive).' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Before this time (exclusive).' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@InputType()
export class ImportSegmentMembersInput {
  @Field(() => ID)
  @IsUUID('all')
  segmentId: string;

  @Field({
    description: `CSV text: one customer external id per line (first column; an optional header external_id), at most ${MAX_MEMBER_CSV_LINES} lines.`,
  })
  @IsString()
  @Length(1, MAX_MEMBER_CSV)
  csv: string;
}

@ObjectType({ description: 'A line of an imported CSV that was refused.' })
export class CsvLineError {
  @Field(() => Int, { description: 'Line number, the first line being 1.' })
  line: number;
  @Field()
  message: string;
}
