import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, IsUUID } from 'class-validator';
import type { RelationshipKind } from '#protocol';

@InputType({
  description:
    "Why an agent reads a customer's shared history: exactly one of the customer's care cases (open, or " +
    'closed recently) or recent interactions. It travels to the partners as an opaque reference.',
})
export class SharedHistoryReasonInput {
  @Field(() => ID, { nullable: true, description: 'A care case of this customer.' })
  @IsOptional()
  @IsUUID()
  careCaseId?: string;

  @Field(() => ID, { nullable: true, description: 'An interaction with this customer.' })
  @IsOptional()
  @IsUUID()
  interactionId?: string;
}

/** A reason checked against the customer: what a history request says of it. */
export interface PullReason {
  kind: RelationshipKind;
  id: string;
  startedAt: Date;
  customerCreatedAt: Date;
}
