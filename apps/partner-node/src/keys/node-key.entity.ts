import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { OkpPublicJwk } from '#protocol';

export enum KeyUse {
  SIGNING = 'signing',
  AGREEMENT = 'agreement',
}
registerEnumType(KeyUse, {
  name: 'KeyUse',
  description: 'signing: Ed25519, signs every message; agreement: X25519, derives pseudonym keys',
});

export enum KeyStatus {
  PENDING = 'pending',
  ACTIVE = 'active',
  RETIRED = 'retired',
}
registerEnumType(KeyStatus, {
  name: 'KeyStatus',
  description: 'pending: announced, not yet in use; active: in use; retired: verifies old signatures only',
});

@ObjectType({ description: "One of this node's keys. The private part never leaves the node." })
@Entity('node_key')
export class NodeKey {
  @Field({ description: 'RFC 7638 thumbprint of the public key.' })
  @PrimaryColumn('text')
  kid: string;

  @Field(() => KeyUse)
  @Column('text')
  use: KeyUse;

  @Column('jsonb')
  publicJwk: OkpPublicJwk;

  /** AES-256-GCM ciphertext of the private JWK; never selected unless asked for, never exposed. */
  @Column('text', { select: false })
  sealedPrivateKey: string;

  @Field(() => KeyStatus)
  @Column('text')
  status: KeyStatus;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  activatedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  retiredAt: Date | null;
}
