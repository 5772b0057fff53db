import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CareCasePriority, CareCaseStatus } from './care-case.enums.js';

/**
 * A post-sale service case of a customer. Its interactions, customer and assignee are GraphQL
 * fields resolved through DataLoaders. Times are stored with millisecond precision so that keyset
 * cursors (JavaScript dates) compare exactly.
 */
@ObjectType({ description: 'A customer-care case: a request or complaint followed until it is closed.' })
@Entity('care_case')
export class CareCase {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Exposed as `customer`. */
  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @Field()
  @Column('text')
  subject: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  @Field(() => CareCaseStatus)
  @Column('text')
  status: CareCaseStatus;

  @Field(() => CareCasePriority)
  @Column('text')
  priority: CareCasePriority;

  @Field(() => String, { nullable: true, description: 'Free category, e.g. delivery, billing, defect.' })
  @Column('text', { nullable: true })
  category: string | null;

  @Field(() => Date, { nullable: true, description: 'When the case should be resolved by.' })
  @Column('timestamptz', { nullable: true })
  dueAt: Date | null;

  @Field(() => String, { nullable: true, description: 'How the case was resolved; required to resolve it.' })
  @Column('text', { nullable: true })
  resolution: string | null;

  /** Exposed as `assignee`. */
  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  assigneeId: string | null;

  @Field()
  @Column('timestamptz')
  openedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  resolvedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;

  @Field(() => Int, { nullable: true, description: "The customer's satisfaction, 1 (bad) to 5 (excellent)." })
  @Column('smallint', { nullable: true })
  satisfaction: number | null;

  @Field(() => String, { nullable: true, description: "The customer's comment with the satisfaction." })
  @Column('text', { nullable: true })
  feedbackComment: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  feedbackAt: Date | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
