import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Ed25519PublicJwk } from '#protocol';

export enum FederationKeyStatus {
  NEXT = 'next',
  CURRENT = 'current',
  HISTORICAL = 'historical',
}
registerEnumType(FederationKeyStatus, {
  name: 'FederationKeyStatus',
  description:
    'next (announced, signs from activatesAt), current (signs now) or historical (verifies what it signed before)',
});

@ObjectType({ description: "One of the federation's own signing keys (Ed25519)." })
@Entity('federation_key')
export class FederationKey {
  @Field({ description: 'RFC 7638 thumbprint.' })
  @PrimaryColumn()
  kid: string;

  @Column('jsonb')
  publicJwk: Ed25519PublicJwk;

  /** AES-256-GCM sealed private JWK; never exposed. */
  @Column({ select: false })
  sealedPrivateJwk: string;

  @Field(() => FederationKeyStatus)
  @Column('text')
  status: FederationKeyStatus;

  @Field()
  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When an announced (next) key starts signing.' })
  @Column({ type: 'timestamptz', nullable: true })
  activatesAt: Date | null;

  /** The rotation statement that announced this key, signed by the key it replaces. */
  @Column({ type: 'text', nullable: true })
  rotationStatement: string | null;
}
