import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { LeadSource, LeadStatus } from './lead.enums.js';

/** A sales lead: a possible customer, until it is converted into (or linked to) a customer. */
@ObjectType({ description: 'A sales lead, qualified and scored until it becomes a customer.' })
@Entity('lead')
export class Lead {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  firstName: string;

  @Field()
  @Column('text')
  lastName: string;

  @Field(() => String, { nullable: true, description: 'Lower-cased and trimmed.' })
  @Column('text', { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true, description: 'E.164, e.g. +33123456789.' })
  @Column('text', { nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  companyName: string | null;

  @Field(() => LeadSource)
  @Column('text')
  source: LeadSource;

  @Field(() => LeadStatus)
  @Column('text')
  status: LeadStatus;

  @Field(() => Int, { description: '0 (cold) to 100 (hot).' })
  @Column('smallint')
  score: number;

  @Field(() => String, {
    nullable: true,
    description: 'Free reference of the campaign that brought the lead.',
  })
  @Column('text', { nullable: true })
  campaignRef: string | null;

  /** Exposed as `owner`. */
  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  ownerId: string | null;

  /** Set by convertLead; exposed as `customer` too. */
  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  customerId: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  convertedAt: Date | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
