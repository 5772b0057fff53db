import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { MergeBucket } from './segment-merge.entity.js';
import { PageArgs } from '#platform/graphql/connection';

const MERGE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

@InputType()
export class ProposeSegmentMergeInput {
  @Field({ description: 'An active mutual agreement covering marketing and segment membership.' })
  @IsString()
  @MaxLength(128)
  agreementId: string;

  @Field(() => ID, { description: 'Our segment to merge.' })
  @IsUUID()
  segmentId: string;

  @Field(() => MergeBucket, { nullable: true, description: 'Also break the counts down by this attribute.' })
  @IsOptional()
  @IsEnum(MergeBucket)
  bucketBy?: MergeBucket;
}

@InputType()
export class AcceptSegmentMergeInput {
  @Field(() => ID)
  @Matches(MERGE_ID, { message: 'mergeId is not a merge id' })
  mergeId: string;

  @Field(() => ID, { description: 'Our segment to merge with the proposer’s.' })
  @IsUUID()
  segmentId: string;
}

@InputType()
export class MaterialiseMergedSegmentInput {
  @Field(() => ID)
  @Matches(MERGE_ID, { message: 'mergeId is not a merge id' })
  mergeId: string;

  @Field({
    nullable: true,
    description: 'Name of the new segment (default: derived from ours and the partner).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

@ArgsType()
export class SegmentMergesArgs extends PageArgs {
  @Field({ nullable: true, description: 'true: proposals from partners only; false: ours only.' })
  @IsOptional()
  @IsBoolean()
  incoming?: boolean;
}
