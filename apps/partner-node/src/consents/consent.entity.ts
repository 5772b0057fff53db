import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SubjectKind } from '#protocol';
import { DataCategory, Purpose } from '../agreements/agreement.enums.js';

/** How consent was collected (ISO/IEC TS 27560). */
export enum CollectionMethod {
  WEB_FORM = 'web_form',
  PHONE = 'phone',
  IN_PERSON = 'in_person',
  EMAIL = 'email',
  PAPER = 'paper',
}
registerEnumType(CollectionMethod, { name: 'CollectionMethod' });

export enum ConsentStatus {
  LIVE = 'live',
  NOT_YET_VALID = 'not_yet_valid',
  WITHDRAWN = 'withdrawn',
  EXPIRED = 'expired',
}
registerEnumType(ConsentStatus, { name: 'ConsentStatus' });

/** Where the federation stands on a signed receipt or withdrawal. */
export enum RegistrationStatus {
  /** Recorded here, not yet at the federation (it was unreachable): registered on a later retry. */
  PENDING_REGISTRATION = 'pending',
  REGISTERED = 'registered',
  /** The federation refused it (see the error): it has no effect on the network. */
  REFUSED = 'refused',
  /** A withdrawal of a consent the federation never registered. */
  NOT_NEEDED = 'not_needed',
}
registerEnumType(RegistrationStatus, { name: 'RegistrationStatus' });

export interface StoredSubjectToken {
  kind: SubjectKind;
  token: string;
  keyId: string;
}

@ObjectType({
  description: "A customer's consent: a receipt signed by this node and registered with the federation.",
})
@Entity('consent')
export class Consent {
  @Field(() => ID, { description: 'The consent id of the receipt.' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @Field(() => [Purpose])
  @Column('text', { array: true })
  purposes: Purpose[];

  @Field(() => [DataCategory])
  @Column('text', { array: true })
  categories: DataCategory[];

  @Field(() => [String], { description: 'Partner ids allowed to receive the data.' })
  @Column('text', { array: true })
  recipients: string[];

  @Field(() => [String], {
    description: 'For each recipient, the agreement whose pseudonym key names the subject.',
  })
  @Column('text', { array: true })
  agreementIds: string[];

  @Field({ description: 'When the customer agreed.' })
  @Column('timestamptz')
  givenAt: Date;

  @Field()
  @Column('timestamptz')
  validFrom: Date;

  @Field()
  @Column('timestamptz')
  validUntil: Date;

  @Field(() => CollectionMethod)
  @Column('text')
  collectionMethod: CollectionMethod;

  @Field(() => ID)
  @Column('uuid')
  privacyNoticeId: string;

  @Field()
  @Column('text')
  noticeVersion: string;

  @Field()
  @Column('text')
  noticeContentHash: string;

  @Field()
  @Column('text')
  language: string;

  @Field()
  @Column('text')
  jurisdiction: string;

  @Column('jsonb')
  subjectTokens: StoredSubjectToken[];

  @Field({ description: 'The signed receipt (compact JWS, typ concordia-consent+jwt).' })
  @Column('text')
  receiptJws: string;

  @Field({ description: 'The key that signed the receipt.' })
  @Column('text')
  receiptKid: string;

  @Field(() => RegistrationStatus)
  @Column('text')
  registrationStatus: RegistrationStatus;

  @Field(() => String, { nullable: true, description: "The federation's refusal code, if refused." })
  @Column('text', { nullable: true })
  registrationError: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  registeredAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  withdrawnAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  withdrawalReason: string | null;

  @Field(() => String, { nullable: true, description: 'The signed withdrawal (compact JWS).' })
  @Column('text', { nullable: true })
  withdrawalJws: string | null;

  @Field(() => RegistrationStatus, { nullable: true })
  @Column('text', { nullable: true })
  withdrawalRegistrationStatus: RegistrationStatus | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  withdrawalRegistrationError: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  withdrawalRegisteredAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The user who captured it.' })
  @Column('uuid', { nullable: true })
  capturedBy: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  withdrawnBy: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export function consentStatus(consent: Consent, now: Date = new Date()): ConsentStatus {
  if (consent.withdrawnAt) return ConsentStatus.WITHDRAWN;
  if (consent.validUntil <= now) return ConsentStatus.EXPIRED;
  if (consent.validFrom > now) return ConsentStatus.NOT_YET_VALID;
  return ConsentStatus.LIVE;
}
