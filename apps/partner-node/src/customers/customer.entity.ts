import { Field, ID, ObjectType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { CustomAttributesScalar, type CustomAttributes } from './custom-attributes.js';
import { LifecycleStage } from './customer.enums.js';

/** A postal address, stored as `address_*` columns of its owner. */
@ObjectType()
export class PostalAddress {
  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  line1: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  line2: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  postalCode: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  city: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  region: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2, e.g. FR.' })
  @Column('text', { nullable: true })
  country: string | null;
}

/**
 * A person this partner has a relationship with. Soft-deleted customers (`deletedAt` set) are
 * invisible to every read of the CustomersService; an admin can restore them.
 * E-mails, phones, owner and companies are GraphQL fields resolved through DataLoaders.
 */
@ObjectType({ description: 'A person: a lead, a prospect or a customer of this partner.' })
@Entity('customer')
export class Customer {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  firstName: string;

  @Field()
  @Column('text')
  lastName: string;

  @Field(() => PostalAddress)
  @Column(() => PostalAddress, { prefix: 'address' })
  address: PostalAddress;

  @Field(() => String, { nullable: true, description: 'BCP 47 language tag, e.g. fr or en-GB.' })
  @Column('text', { nullable: true })
  language: string | null;

  @Field(() => LifecycleStage)
  @Column('text')
  lifecycleStage: LifecycleStage;

  /** The user who owns the relationship; exposed as `owner`. */
  @Column('uuid', { nullable: true })
  ownerId: string | null;

  @Field(() => [String])
  @Column('text', { array: true })
  tags: string[];

  @Field(() => CustomAttributesScalar)
  @Column('jsonb')
  attributes: CustomAttributes;

  @Field(() => String, {
    nullable: true,
    description: 'Key in an external system (CSV imports upsert by it).',
  })
  @Column('text', { nullable: true })
  externalId: string | null;

  // name_tokens (the name's words, lower-cased, accents folded) is a generated column used only by
  // the search SQL (customer-search.ts); search_text is its predecessor, kept for the bench baseline.

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the customer was deleted; an admin can restore it.',
  })
  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt: Date | null;
}

@ObjectType({ description: 'An e-mail address of a customer; exactly one is primary when any exist.' })
@Entity('customer_email')
export class CustomerEmail {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  customerId: string;

  @Field({ description: 'Lower-cased and trimmed.' })
  @Column('text')
  address: string;

  @Field()
  @Column('boolean')
  isPrimary: boolean;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

@ObjectType({ description: 'A phone number of a customer, in E.164; exactly one is primary when any exist.' })
@Entity('customer_phone')
export class CustomerPhone {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  customerId: string;

  @Field({ description: 'E.164, e.g. +33123456789.' })
  @Column('text')
  number: string;

  @Field()
  @Column('boolean')
  isPrimary: boolean;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
