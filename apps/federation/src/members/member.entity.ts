import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Jwks, OkpPublicJwk } from '#protocol';

export enum MemberStatus {
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
  REMOVED = 'removed',
}
registerEnumType(MemberStatus, {
  name: 'MemberStatus',
  description: 'active; suspended (its signatures verify nowhere until reinstated); removed',
});

export enum ApplicationStatus {
  PENDING = 'pending',
  APPROVED = 'approved',
  REJECTED = 'rejected',
}
registerEnumType(ApplicationStatus, { name: 'ApplicationStatus' });

export enum MemberKeyState {
  CURRENT = 'current',
  RETIRING = 'retiring',
  HISTORICAL = 'historical',
  REVOKED = 'revoked',
}
registerEnumType(MemberKeyState, {
  name: 'MemberKeyState',
  description: 'current; retiring (grace period after a rotation); historical; revoked',
});

@ObjectType({ description: 'A partner admitted to the network.' })
@Entity('member')
export class Member {
  @Field()
  @PrimaryColumn()
  partnerId: string;

  @Field({ description: 'Company name (not personal data).' })
  @Column()
  name: string;

  @Field()
  @Column()
  endpoint: string;

  @Field(() => MemberStatus)
  @Column('text')
  status: MemberStatus;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  statusReason: string | null;

  @Field({ description: 'The current membership statement (compact JWS).' })
  @Column()
  statement: string;

  @Field()
  @Column({ type: 'timestamptz' })
  statementIssuedAt: Date;

  @Field()
  @Column({ type: 'timestamptz' })
  statementExpiresAt: Date;

  @Field({ description: 'End of the membership term.' })
  @Column({ type: 'timestamptz' })
  validUntil: Date;

  @Field()
  @Column({ type: 'timestamptz' })
  admittedAt: Date;

  @Field()
  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType({ description: "One of a member's public keys." })
@Entity('member_key')
export class MemberKey {
  @Field()
  @PrimaryColumn()
  kid: string;

  @Field()
  @Column()
  partnerId: string;

  @Column('jsonb')
  jwk: OkpPublicJwk;

  @Field()
  @Column({ type: 'timestamptz' })
  addedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  retiresAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

@ObjectType({ description: 'A request to join the network, self-signed by the applicant.' })
@Entity('membership_application')
export class MembershipApplication {
  @Field()
  @PrimaryColumn('uuid')
  id: string;

  @Field()
  @Column()
  partnerId: string;

  @Field()
  @Column()
  name: string;

  @Field()
  @Column()
  endpoint: string;

  @Column('jsonb')
  jwks: Jwks;

  @Field({ description: 'The application as received (compact JWS).' })
  @Column()
  jws: string;

  @Field(() => ApplicationStatus)
  @Column('text')
  status: ApplicationStatus;

  @Field()
  @Column({ type: 'timestamptz' })
  submittedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column('uuid', { nullable: true })
  decidedBy: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  decisionReason: string | null;
}

export function memberKeyState(key: MemberKey, now: Date = new Date()): MemberKeyState {
  if (key.revokedAt) return MemberKeyState.REVOKED;
  if (!key.retiresAt) return MemberKeyState.CURRENT;
  return key.retiresAt > now ? MemberKeyState.RETIRING : MemberKeyState.HISTORICAL;
}
