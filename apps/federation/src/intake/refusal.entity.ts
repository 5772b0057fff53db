import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A refused message or request: what and why, never its payload. */
@ObjectType({ description: 'A message or request the federation refused.' })
@Entity('refusal')
export class Refusal {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Message kind (consent, agreement-transition…) or "request".' })
  @Column()
  kind: string;

  @Field({ description: 'Protocol error code or federation refusal reason.' })
  @Column()
  reason: string;

  @Field(() => String, { nullable: true, description: 'The issuer the message claimed (unverified).' })
  @Column('text', { nullable: true })
  issuer: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  kid: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  jti: string | null;

  @Field()
  @Column()
  route: string;

  @Field()
  @Column()
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
  @Column({ type: 'timestamptz' })
  refusedAt: Date;
}
