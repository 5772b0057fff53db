import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum AgreementState {
  PROPOSED = 'proposed',
  ACCEPTED = 'accepted',
  ACTIVE = 'active',
  TERMINATED = 'terminated',
  EXPIRED = 'expired',
}
registerEnumType(AgreementState, {
  name: 'AgreementState',
  description: 'proposed → accepted → active (from validFrom) → terminated; expired from validUntil',
});

@ObjectType({ description: 'A sharing agreement between two members.' })
@Entity('agreement')
export class Agreement {
  @Field()
  @PrimaryColumn()
  agreementId: string;

  @Field(() => Int)
  @Column('int')
  version: number;

  @Field()
  @Column()
  proposer: string;

  @Field({ description: 'parties[0]: in a one-way agreement, the one that shares.' })
  @Column()
  partyA: string;

  @Field({ description: 'parties[1]' })
  @Column()
  partyB: string;

  @Field()
  @Column()
  direction: string;

  @Field(() => [String])
  @Column('text', { array: true })
  purposes: string[];

  @Field(() => [String])
  @Column('text', { array: true })
  categories: string[];

  @Field(() => Int)
  @Column('int')
  retentionDays: number;

  @Field(() => Int)
  @Column('int')
  minCohortSize: number;

  @Field()
  @Column({ type: 'timestamptz' })
  validFrom: Date;

  @Field()
  @Column({ type: 'timestamptz' })
  validUntil: Date;

  /** As stored; the GraphQL `state` field is the state now (see effectiveState). */
  @Column('text')
  state: AgreementState;

  @Field()
  @Column()
  agreementHash: string;

  @Field()
  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType({ description: 'One signed message of an agreement, as received.' })
@Entity('agreement_message')
export class AgreementMessage {
  @PrimaryColumn('uuid')
  id: string;

  @Field()
  @Column()
  agreementId: string;

  @Field(() => Int)
  @Column('int')
  seq: number;

  @Field()
  @Column()
  kind: string;

  @Field({ description: 'Compact JWS.' })
  @Column()
  jws: string;

  @Field()
  @Column()
  signedBy: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  fromState: string | null;

  @Field()
  @Column()
  toState: string;

  @Field()
  @Column({ type: 'timestamptz' })
  receivedAt: Date;
}

/** The state now: accepted reads active from validFrom; anything not final reads expired from validUntil. */
export function effectiveState(
  agreement: Pick<Agreement, 'state' | 'validFrom' | 'validUntil'>,
  now: Date = new Date(),
): AgreementState {
  if (agreement.state === AgreementState.TERMINATED) return AgreementState.TERMINATED;
  if (agreement.validUntil <= now) return AgreementState.EXPIRED;
  if (agreement.state === AgreementState.ACCEPTED && agreement.validFrom <= now) return AgreementState.ACTIVE;
  return agreement.state;
}
