import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { JSONScalar } from '../import-export/json.scalar.js';

export enum SharedRecordKind {
  INTERACTION = 'interaction',
  CARE_CASE = 'care_case',
  ORDER = 'order',
}
registerEnumType(SharedRecordKind, { name: 'SharedRecordKind' });

/**
 * A record another partner shared under a customer's consent, stored only after its envelope
 * verified (signature by the origin's directory key, audience, type, expiry, replay, live consent,
 * categories within consent and agreement). Purged on withdrawal and at the end of retention.
 */
@ObjectType({ description: "A partner's record shared under the customer's consent (minimised)." })
@Entity('shared_record')
export class SharedRecord {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'The partner that holds the record and signed it.' })
  @Column('text')
  originPartnerId: string;

  @Field({ description: "The record's id at its origin." })
  @Column('text')
  originRecordId: string;

  @Field(() => SharedRecordKind)
  @Column('text')
  kind: SharedRecordKind;

  @Field({ description: 'Data category (care-history, orders).' })
  @Column('text')
  category: string;

  @Field(() => ID)
  @Column('text')
  consentId: string;

  @Field(() => ID)
  @Column('text')
  agreementId: string;

  @Field(() => ID, { description: 'The share envelope (jti) that carried it.' })
  @Column('text')
  envelopeId: string;

  @Column('text')
  subjectToken: string;

  @Column('uuid', { nullable: true })
  customerId: string | null;

  @Field()
  @Column('text')
  title: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  summary: string | null;

  @Field(() => JSONScalar, { description: 'The minimised record as shared.' })
  @Column('jsonb')
  data: Record<string, unknown>;

  @Field()
  @Column('timestamptz')
  occurredAt: Date;

  @Field()
  @Column('timestamptz')
  receivedAt: Date;

  @Field()
  @Column('text')
  signatureStatus: string;

  @Field()
  @Column('timestamptz')
  retentionEndsAt: Date;
}

@ObjectType({ description: 'Who saw which shared items of which customer, when, under which consents.' })
@Entity('shared_access')
export class SharedAccess {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  userId: string | null;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @Field(() => [ID])
  @Column('uuid', { array: true })
  sharedRecordIds: string[];

  @Field(() => [String])
  @Column('text', { array: true })
  originRecordIds: string[];

  @Field(() => [String])
  @Column('text', { array: true })
  originPartnerIds: string[];

  @Field(() => [String])
  @Column('text', { array: true })
  consentIds: string[];

  @Field()
  @Column('timestamptz')
  accessedAt: Date;

  @Field(() => String, {
    nullable: true,
    description: 'The kind of reason the items were shown under: care-case or interaction.',
  })
  @Column('text', { nullable: true })
  reasonKind: string | null;

  @Field(() => ID, { nullable: true, description: 'The care case or interaction the items were shown for.' })
  @Column('uuid', { nullable: true })
  reasonId: string | null;
}

/**
 * A history request a partner sent this node (holding side), verified: what it said of its reason
 * (opaque references) and agent, and what this node did with it. `alert` marks a pull of a customer
 * the requester created shortly before (see docs/security.md).
 */
@ObjectType({ description: "A partner's verified pull of a customer's history from this node." })
@Entity('pull_answer')
export class PullAnswer {
  @Field({ description: 'The partner that asked.' })
  @PrimaryColumn('text')
  requester: string;

  @Field(() => ID, { description: 'The jti of its signed history request.' })
  @PrimaryColumn('text')
  requestId: string;

  @Field(() => ID)
  @Column('text')
  agreementId: string;

  @Field({ description: 'care-case or interaction: what the requester says the pull is for.' })
  @Column('text')
  relationshipKind: string;

  @Field({ description: 'Salted hash of the care case or interaction id at the requester (opaque here).' })
  @Column('text')
  relationshipRef: string;

  @Field({ description: "Opaque reference of the requester's agent (stable per agreement)." })
  @Column('text')
  agentRef: string;

  @Field()
  @Column('timestamptz')
  relationshipStartedAt: Date;

  @Field({ description: 'When the customer was created at the requester.' })
  @Column('timestamptz')
  customerCreatedAt: Date;

  @Field({ description: 'When the requester signed the request (its iat).' })
  @Column('timestamptz')
  requestedAt: Date;

  @Field({ description: 'answered, empty or rate-limited.' })
  @Column('text')
  status: string;

  @Field(() => String, { nullable: true, description: 'The refusal code (RATE_LIMITED_AGENT, …).' })
  @Column('text', { nullable: true })
  refusal: string | null;

  @Field(() => ID, { nullable: true, description: 'The envelope answered, when records were shared.' })
  @Column('text', { nullable: true })
  envelopeId: string | null;

  @Field(() => Int)
  @Column('int')
  records: number;

  @Field({ description: 'The customer was created at the requester shortly before this pull.' })
  @Column('boolean')
  alert: boolean;

  @Field()
  @Column('timestamptz')
  receivedAt: Date;
}

export enum SharePurgeStatus {
  REQUESTED = 'requested',
  CONFIRMED = 'confirmed',
}
registerEnumType(SharePurgeStatus, { name: 'SharePurgeStatus' });

@ObjectType({ description: 'Per recipient of a withdrawn consent: was the purge of its copies confirmed?' })
@Entity('share_purge')
export class SharePurge {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  consentId: string;

  @Field()
  @Column('text')
  recipient: string;

  @Field(() => SharePurgeStatus)
  @Column('text')
  status: SharePurgeStatus;

  @Field(() => String, { nullable: true, description: 'The jti of the withdrawal that triggered it.' })
  @Column('text', { nullable: true })
  withdrawalId: string | null;

  @Field(() => Int, { nullable: true })
  @Column('int', { nullable: true })
  recordsPurged: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'The signed purge receipt (compact JWS), once confirmed.',
  })
  @Column('text', { nullable: true })
  receiptJws: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  lastError: string | null;

  @Field()
  @Column('timestamptz')
  requestedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  confirmedAt: Date | null;
}

/** Holding side: one envelope for one recipient; its id is the envelope's jti. */
@Entity('share_delivery')
export class ShareDelivery {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  recipient: string;

  @Column('text')
  agreementId: string;

  @Column('jsonb')
  records: DeliveryRecordRef[];

  @Column('int')
  recordCount: number;

  @Column('text')
  status: 'pending' | 'delivered' | 'refused' | 'dead' | 'cancelled';

  /** push: sent through the outbox; pull: sealed in answer to the recipient's history request. */
  @Column('text')
  channel: 'push' | 'pull';

  @Column('int')
  attempts: number;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('timestamptz')
  createdAt: Date;

  /** When it leaves (SHARING_PUSH_WINDOW_SECONDS); until it is claimed, later records for the pair join it. */
  @Column('timestamptz')
  dueAt: Date;

  @Column('timestamptz', { nullable: true })
  deliveredAt: Date | null;
}

export interface DeliveryRecordRef {
  kind: SharedRecordKind;
  id: string;
  consentId: string;
  subjectToken: string;
  category: 'care-history' | 'orders';
}
