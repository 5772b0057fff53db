import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One accepted change, as the canonical JSON that the network ledger will hash. */
@ObjectType({ description: 'An accepted change of the federation (append-only).' })
@Entity('federation_event')
export class FederationEvent {
  @Field(() => String, { description: 'Position in the log, from 1.' })
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Field(() => ID)
  @Column('uuid')
  id: string;

  @Field()
  @Column()
  type: string;

  @Field({ description: 'The member, agreement or consent the event is about.' })
  @Column()
  subject: string;

  @Field({ description: 'RFC 8785 canonical JSON of the event.' })
  @Column()
  canonical: string;

  @Field()
  @Column({ type: 'timestamptz' })
  occurredAt: Date;
}
