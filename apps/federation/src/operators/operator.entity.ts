import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { FederationRole } from './role.js';

@ObjectType({ description: 'A person who runs the federation.' })
@Entity('operator_user')
export class Operator {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column()
  email: string;

  @Field()
  @Column()
  displayName: string;

  @Field(() => [FederationRole])
  @Column('text', { array: true })
  roles: FederationRole[];

  /** scrypt hash; never exposed. */
  @Column({ select: false })
  passwordHash: string;

  @Field()
  @Column({ default: true })
  active: boolean;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
