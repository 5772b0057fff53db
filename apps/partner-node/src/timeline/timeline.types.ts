import { createUnionType, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '#platform/graphql/connection';
import { CareCase } from '../care-cases/care-case.entity.js';
import { Interaction } from '../interactions/interaction.entity.js';
import { Order } from '../orders/order.entity.js';
import { SharedRecord } from '../sharing/sharing.entities.js';

export enum TimelineKind {
  INTERACTION = 'interaction',
  CARE_CASE = 'care_case',
  ORDER = 'order',
}
registerEnumType(TimelineKind, {
  name: 'TimelineKind',
  description: 'What a timeline item is: an interaction, a care case (at its opening time) or an order.',
});

/**
 * Where a timeline item comes from. Today every item is LOCAL (this node's own records). Items
 * shared by partner nodes under a customer's consent will be PARTNER items of the same timeline,
 * carrying their origin partner, consent, signature status and retention end.
 */
export enum TimelineOrigin {
  LOCAL = 'local',
  PARTNER = 'partner',
}
registerEnumType(TimelineOrigin, {
  name: 'TimelineOrigin',
  description:
    "LOCAL: this node's own record. PARTNER: shared by another partner under a consent (customerTimeline(includeShared: true)).",
});

export enum SignatureStatus {
  VERIFIED = 'verified',
  INVALID = 'invalid',
  UNVERIFIED = 'unverified',
}
registerEnumType(SignatureStatus, {
  name: 'SignatureStatus',
  description: "Check of the origin partner's signature of a shared (PARTNER) item.",
});

/** The record behind a timeline item. Shared partner records will join this union as their own type. */
export const TimelineRecord = createUnionType({
  name: 'TimelineRecord',
  description: 'The record behind a timeline item.',
  types: () => [Interaction, CareCase, Order, SharedRecord] as const,
  resolveType: (value: object) => {
    if (value instanceof SharedRecord) return SharedRecord;
    if (value instanceof Interaction) return Interaction;
    if (value instanceof CareCase) return CareCase;
    if (value instanceof Order) return Order;
    return undefined;
  },
});

@ObjectType({
  description:
    "One event of a customer's history: an interaction, a care case or an order, newest first. " +
    'The origin fields say where it comes from; the partner fields are null for LOCAL items.',
})
export class TimelineItem {
  @Field(() => TimelineKind)
  kind: TimelineKind;

  @Field(() => ID, { description: 'Id of the underlying record.' })
  recordId: string;

  @Field({
    description: 'When it happened: occurredAt of an interaction, openedAt of a case, orderedAt of an order.',
  })
  occurredAt: Date;

  @Field({ description: 'A one-line title, e.g. the subject or "Order ORD-00000012".' })
  title: string;

  @Field(() => String, { nullable: true, description: 'A short summary, when there is one.' })
  summary: string | null;

  @Field(() => TimelineRecord)
  record: Interaction | CareCase | Order | SharedRecord;

  @Field(() => TimelineOrigin)
  origin: TimelineOrigin;

  @Field(() => String, { nullable: true, description: 'PARTNER items: the partner id that shared it.' })
  originPartnerId: string | null;

  @Field(() => ID, { nullable: true, description: 'PARTNER items: the consent under which it was shared.' })
  consentId: string | null;

  @Field(() => SignatureStatus, {
    nullable: true,
    description: "PARTNER items: the check of the origin partner's signature.",
  })
  signatureStatus: SignatureStatus | null;

  @Field(() => Date, {
    nullable: true,
    description: 'PARTNER items: when the copy must be purged (end of retention or of the consent).',
  })
  retentionEndsAt: Date | null;
}

@ObjectType()
export class TimelineConnection extends Connection(TimelineItem) {
  @Field({
    description:
      'True when includeShared was asked without a reason: the page holds local items only; ask again ' +
      'with `reason` (a care case or interaction of the customer) to see the shared history.',
  })
  sharedHistoryNeedsReason: boolean;

  @Field({
    description:
      'includeShared, first page: true when a partner could not answer in time (timeout, unreachable) or its answer was refused, so shared history may be missing.',
  })
  partial: boolean;

  @Field(() => [String], { description: 'Partner ids whose shared history could not be fetched now.' })
  unavailablePartners: string[];
}
