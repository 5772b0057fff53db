import { ArgsType, Field, ID } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsUUID,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { SharedHistoryReasonInput } from '../sharing/pull-reason.js';
import { TimelineKind } from './timeline.types.js';
import { PageArgs } from '#platform/graphql/connection';

@ArgsType()
export class CustomerTimelineArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID()
  customerId: string;

  @Field(() => [TimelineKind], { nullable: true, description: 'Only these kinds (default: all).' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsEnum(TimelineKind, { each: true })
  kinds?: TimelineKind[];

  @Field({
    nullable: true,
    description:
      "Also partners' history shared under the customer's consent (PARTNER items; asked for on the first page). Default false.",
  })
  @IsOptional()
  @IsBoolean()
  includeShared?: boolean;

  @Field(() => SharedHistoryReasonInput, {
    nullable: true,
    description:
      'With includeShared: why the shared history is read (one care case or interaction of this customer, open ' +
      'or recent). Without it only local items are returned and sharedHistoryNeedsReason is true.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SharedHistoryReasonInput)
  reason?: SharedHistoryReasonInput;
}
