import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum NoticeStatus {
  DRAFT = 'draft',
  PUBLISHED = 'published',
}
registerEnumType(NoticeStatus, {
  name: 'NoticeStatus',
  description: 'draft: editable; published: immutable',
});

@ObjectType({ description: 'One version of a privacy notice in one language.' })
@Entity('privacy_notice')
export class PrivacyNotice {
  @Field(() => ID, { description: 'Names this exact version; consents point to it.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Stable name of the notice across its versions, e.g. "crm-sharing".' })
  @Column('text')
  noticeKey: string;

  @Field()
  @Column('text')
  version: string;

  @Field({ description: 'BCP 47 language tag, e.g. fr or fr-FR.' })
  @Column('text')
  language: string;

  @Field()
  @Column('text')
  title: string;

  @Field()
  @Column('text')
  body: string;

  @Field(() => NoticeStatus)
  @Column('text')
  status: NoticeStatus;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  publishedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'base64url SHA-256 of the RFC 8785 canonical JSON {"body","language","title","version"}; set at publication.',
  })
  @Column('text', { nullable: true })
  contentHash: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
