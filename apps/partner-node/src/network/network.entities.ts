import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { DirectoryKey } from '#federation-client';
import type { Jwks } from '#protocol';

export enum MembershipStatus {
  NOT_APPLIED = 'not_applied',
  PENDING = 'pending',
  REJECTED = 'rejected',
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
  REMOVED = 'removed',
}
registerEnumType(MembershipStatus, { name: 'MembershipStatus' });

export enum MemberStatus {
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
  REMOVED = 'removed',
}
registerEnumType(MemberStatus, { name: 'DirectoryMemberStatus' });

@ObjectType({ description: "This node's membership of its federation." })
@Entity('network_membership')
export class NetworkMembership {
  @PrimaryColumn('boolean', { default: true })
  singleton: boolean;

  @Field()
  @Column('text')
  federationUrl: string;

  @Field()
  @Column('text')
  federationId: string;

  @Column('jsonb')
  federationJwks: Jwks;

  /** When each historical federation key retired (kid → NumericDate): it verifies only older messages. */
  @Column('jsonb', { default: {} })
  federationKeyRetirements: Record<string, number>;

  /** The federation keys pinned at first contact; its statements must be signed by one of them. */
  @Field(() => [String])
  @Column('text', { array: true })
  federationKids: string[];

  @Field(() => MembershipStatus)
  @Column('text')
  status: MembershipStatus;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  name: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  endpoint: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  applicationId: string | null;

  @Field(() => String, { nullable: true, description: 'The self-signed application (compact JWS).' })
  @Column('text', { nullable: true })
  applicationJws: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  appliedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "The federation's latest membership statement for this node (verified).",
  })
  @Column('text', { nullable: true })
  membershipStatement: string | null;

  @Field(() => Date, { nullable: true, description: 'End of the membership term.' })
  @Column('timestamptz', { nullable: true })
  validUntil: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  directoryRefreshedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType({ description: 'A member of the federation, as its verified directory entry says.' })
@Entity('directory_member')
export class DirectoryMember {
  @Field(() => ID)
  @PrimaryColumn('text')
  partnerId: string;

  @Field()
  @Column('text')
  name: string;

  @Field()
  @Column('text')
  endpoint: string;

  @Field(() => MemberStatus)
  @Column('text')
  status: MemberStatus;

  @Field({ description: 'The membership statement signed by the federation (compact JWS).' })
  @Column('text')
  statement: string;

  @Field()
  @Column('timestamptz')
  validUntil: Date;

  @Column('jsonb')
  keys: DirectoryKey[];

  @Field()
  @Column('timestamptz')
  fetchedAt: Date;
}

@ObjectType({ description: 'A protocol message this node refused. Ids and codes only.' })
@Entity('refusal')
export class NodeRefusal {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Message kind, e.g. membership-statement, agreement-transition.' })
  @Column('text')
  kind: string;

  @Field({ description: 'Protocol or federation code, e.g. SIGNATURE_INVALID, UNKNOWN_KEY.' })
  @Column('text')
  reason: string;

  @Field({ description: 'Where it came from, e.g. directory, agreements.' })
  @Column('text')
  source: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  issuer: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  kid: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  jti: string | null;

  @Field()
  @Column('text')
  message: string;

  @Field(() => Int, {
    description:
      'How many refusals this row stands for: 1, or more for an aggregated row of anonymous callers.',
  })
  @Column('int', { default: 1 })
  count: number;

  @Field(() => Date, {
    nullable: true,
    description: 'The minute an aggregated row counts (anonymous callers); null for a single refusal.',
  })
  @Column('timestamptz', { nullable: true })
  windowStart: Date | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
