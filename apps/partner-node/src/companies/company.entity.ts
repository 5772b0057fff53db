import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** Head-count bands of a company. */
export enum CompanySizeBand {
  SIZE_1_10 = 'size_1_10',
  SIZE_11_50 = 'size_11_50',
  SIZE_51_200 = 'size_51_200',
  SIZE_201_1000 = 'size_201_1000',
  SIZE_1001_PLUS = 'size_1001_plus',
}
registerEnumType(CompanySizeBand, { name: 'CompanySizeBand', description: 'Number of employees.' });

export enum CompanySort {
  NAME_ASC = 'name_asc',
  NAME_DESC = 'name_desc',
  CREATED_AT_DESC = 'created_at_desc',
  CREATED_AT_ASC = 'created_at_asc',
}
registerEnumType(CompanySort, { name: 'CompanySort', description: 'Default: NAME_ASC.' });

@ObjectType({ description: 'An account: a company that customers belong to.' })
@Entity('company')
export class Company {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true, description: 'Internet domain, lower-case, e.g. example.com.' })
  @Column('text', { nullable: true })
  domain: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'VAT number: country prefix and 2-13 letters or digits.',
  })
  @Column('text', { nullable: true })
  vatNumber: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  industry: string | null;

  @Field(() => CompanySizeBand, { nullable: true })
  @Column('text', { nullable: true })
  sizeBand: CompanySizeBand | null;

  @Field(() => String, { nullable: true, description: 'Key in an external system.' })
  @Column('text', { nullable: true })
  externalId: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** A customer's link to a company, with the role they play there ("buyer", "decision maker"…). */
@ObjectType({ description: "A customer's link to a company, with their role there." })
@Entity('customer_company')
export class CompanyMembership {
  @PrimaryColumn('uuid')
  customerId: string;

  @PrimaryColumn('uuid')
  companyId: string;

  @Field({ description: 'e.g. buyer, decision maker.' })
  @Column('text')
  role: string;

  @Field({ description: 'When the link was made or its role last changed.' })
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
