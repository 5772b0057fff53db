import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { InteractionChannel, InteractionDirection } from './interaction.enums.js';

/** One contact with a customer on one channel. Customer, agent and care case resolve through DataLoaders. */
@ObjectType({ description: 'One contact with a customer: a call, an e-mail, a chat, a visit…' })
@Entity('interaction')
export class Interaction {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Exposed as `customer` too. */
  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @Field(() => InteractionChannel)
  @Column('text')
  channel: InteractionChannel;

  @Field(() => InteractionDirection)
  @Column('text')
  direction: InteractionDirection;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  subject: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  summary: string | null;

  /** Exposed as `agent`. */
  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  agentId: string | null;

  /** Exposed as `careCase`. */
  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  careCaseId: string | null;

  @Field()
  @Column('timestamptz')
  occurredAt: Date;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
