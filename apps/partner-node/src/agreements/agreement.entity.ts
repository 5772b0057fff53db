import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { AgreementChainLink } from '#federation-client';
import { AgreementState, DataCategory, Purpose } from './agreement.enums.js';

@ObjectType({
  description: 'A sharing agreement of this node with one partner, mirrored from the federation.',
})
@Entity('sharing_agreement')
export class SharingAgreement {
  @Field(() => ID)
  @PrimaryColumn('text')
  agreementId: string;

  @Field(() => Int)
  @Column('integer')
  version: number;

  @Field({ description: 'The party that proposed (and signed) the terms.' })
  @Column('text')
  proposer: string;

  /** parties[0] of the signed terms (in a one-way agreement, the one that shares). */
  @Column('text')
  partyA: string;

  @Column('text')
  partyB: string;

  @Field({ description: 'The other party.' })
  @Column('text')
  partnerId: string;

  /** Protocol direction: 'mutual' or 'one-way' (partyA shares with partyB); see the `direction` field. */
  @Column('text')
  direction: 'mutual' | 'one-way';

  @Field(() => [Purpose])
  @Column('text', { array: true })
  purposes: Purpose[];

  @Field(() => [DataCategory])
  @Column('text', { array: true })
  categories: DataCategory[];

  @Field(() => Int)
  @Column('integer')
  retentionDays: number;

  @Field(() => Int, { description: 'Overlap counts below it are suppressed.' })
  @Column('integer')
  minCohortSize: number;

  @Field()
  @Column('timestamptz')
  validFrom: Date;

  @Field()
  @Column('timestamptz')
  validUntil: Date;

  @Field(() => AgreementState, { description: 'Computed from the verified signed chain and the validity.' })
  @Column('text')
  state: AgreementState;

  @Field({ description: 'base64url SHA-256 of the signed terms (what transitions refer to).' })
  @Column('text')
  agreementHash: string;

  @Column('jsonb')
  chain: AgreementChainLink[];

  @Field({ description: 'When the mirror was last checked against the federation.' })
  @Column('timestamptz')
  refreshedAt: Date;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType({ description: 'One signed message of an agreement chain.' })
export class AgreementLink {
  @Field({ description: 'agreement (the terms) or agreement-transition.' })
  kind: string;
  @Field({ description: 'Who signed it.' })
  by: string;
  @Field(() => AgreementState, { nullable: true })
  from: AgreementState | null;
  @Field(() => AgreementState)
  to: AgreementState;
  @Field({ description: 'When the federation received it.' })
  at: Date;
  @Field({ description: 'The compact JWS.' })
  jws: string;
}
