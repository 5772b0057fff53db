import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MergeBucket } from '../agreements/agreement.enums.js';

export { MergeBucket };

export enum SegmentMergeRole {
  PROPOSER = 'proposer',
  PARTNER = 'partner',
}
registerEnumType(SegmentMergeRole, {
  name: 'SegmentMergeRole',
  description: 'PROPOSER: this node proposed the merge; PARTNER: a partner asked this node.',
});

export enum SegmentMergeState {
  PROPOSED = 'proposed',
  ACCEPTED = 'accepted',
  UPLOADED = 'uploaded',
  COMPLETED = 'completed',
  FAILED = 'failed',
}
registerEnumType(SegmentMergeState, {
  name: 'SegmentMergeState',
  description:
    'PROPOSED → ACCEPTED (manifests being built and sent) → UPLOADED (ours is in) → COMPLETED (signed result verified); FAILED: see error.',
});

@ObjectType({ description: "People of one side's bucket; null = suppressed." })
export class SegmentMergeBucketCount {
  @Field(() => String, { nullable: true, description: 'The value (e.g. FR); null: unknown.' })
  bucket: string | null;
  @Field(() => Int, { nullable: true, description: 'People of this side in the bucket.' })
  people: number | null;
  @Field(() => Int, { nullable: true, description: 'Of them, in the other segment too.' })
  both: number | null;
  @Field(() => Int, { nullable: true, description: 'Of them, not in the other segment.' })
  only: number | null;
}

/** The counts of a verified result, seen from this node (null: suppressed). */
@ObjectType({
  description:
    'Overlap of people, seen from this node; null = suppressed (below the minimum cohort size, or would give a suppressed count back).',
})
export class SegmentMergeCounts {
  @Field(() => Int, { nullable: true, description: '|our segment|' })
  ours: number | null;
  @Field(() => Int, { nullable: true, description: "|the partner's segment|" })
  theirs: number | null;
  @Field(() => Int, { nullable: true, description: '|ours ∩ theirs|' })
  both: number | null;
  @Field(() => Int, { nullable: true, description: '|ours ∪ theirs|' })
  either: number | null;
  @Field(() => Int, { nullable: true, description: '|ours \\ theirs|' })
  onlyOurs: number | null;
  @Field(() => Int, { nullable: true, description: '|theirs \\ ours|' })
  onlyTheirs: number | null;
  @Field(() => Int, { description: "The agreement's minimum cohort size." })
  minCohortSize: number;
  @Field(() => Int, {
    description: 'People in the intersection whom both sides consented to share (the member-level merge).',
  })
  consentedPeople: number;
  @Field(() => [SegmentMergeBucketCount], {
    nullable: true,
    description: 'Our segment by our own values of the breakdown attribute (merges with bucketBy).',
  })
  ourBuckets: SegmentMergeBucketCount[] | null;
  @Field(() => [SegmentMergeBucketCount], {
    nullable: true,
    description: "The partner's segment by its values of the breakdown attribute.",
  })
  theirBuckets: SegmentMergeBucketCount[] | null;
}

type ResultCell = {
  bucket: string | null;
  count: number | null;
  intersection: number | null;
  only: number | null;
};

/** The verified `merge-result` claims this node relies on. */
export interface StoredMergeResult {
  counts: Record<'a' | 'b' | 'intersection' | 'union' | 'aOnly' | 'bOnly', number | null>;
  minCohortSize: number;
  consented: { persons: number; tokens: number; tokensHash: string };
  breakdown?: { attribute: string; a: ResultCell[]; b: ResultCell[] };
  parties: [string, string];
  computedAt: number;
}

@ObjectType({ description: 'A privacy-preserving merge of one of our segments with a partner’s.' })
@Entity('segment_merge')
export class SegmentMerge {
  @Field(() => ID, { name: 'id', description: 'The merge id (shared with the partner and the federation).' })
  @PrimaryColumn('text')
  mergeId: string;

  @Field()
  @Column('text')
  agreementId: string;

  @Field()
  @Column('text')
  partnerId: string;

  @Field(() => SegmentMergeRole)
  @Column('text')
  role: SegmentMergeRole;

  @Field(() => SegmentMergeState)
  @Column('text')
  state: SegmentMergeState;

  /** Our segment (null while an incoming proposal is not accepted). */
  @Column('uuid', { nullable: true })
  segmentId: string | null;

  @Field(() => MergeBucket, { nullable: true, description: 'The breakdown attribute both sides agreed to.' })
  @Column('text', { nullable: true })
  bucketBy: MergeBucket | null;

  @Field({ description: 'The proposal, signed by the proposer (compact JWS).' })
  @Column('text')
  proposalJws: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  acceptanceJws: string | null;

  @Field(() => String, { nullable: true, description: 'Our signed manifest header.' })
  @Column('text', { nullable: true })
  manifestJws: string | null;

  @Column('text', { nullable: true })
  manifestHash: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The result signed by the federation; verified (signature, audience, our manifest) before it was stored.',
  })
  @Column('text', { nullable: true })
  resultJws: string | null;

  @Column('jsonb', { nullable: true })
  result: StoredMergeResult | null;

  @Column('uuid', { nullable: true })
  mergedSegmentId: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  error: string | null;

  @Column('uuid', { nullable: true })
  createdBy: string | null;

  @Field()
  @Column('timestamptz')
  createdAt: Date;

  @Field()
  @Column('timestamptz')
  updatedAt: Date;
}
