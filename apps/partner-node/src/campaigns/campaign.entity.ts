import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum CampaignChannel {
  EMAIL = 'email',
  SMS = 'sms',
  PHONE = 'phone',
  MAIL = 'mail',
  SOCIAL = 'social',
  IN_STORE = 'in_store',
}
registerEnumType(CampaignChannel, { name: 'CampaignChannel' });

export enum CampaignStatus {
  DRAFT = 'draft',
  LAUNCHED = 'launched',
}
registerEnumType(CampaignStatus, {
  name: 'CampaignStatus',
  description: 'DRAFT: editable; LAUNCHED: audience snapshotted, responses recorded.',
});

@ObjectType({ description: 'A marketing campaign on one channel, targeting a segment over a period.' })
@Entity('campaign')
export class Campaign {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  /** Exposed as `segment`. */
  @Field(() => ID)
  @Column('uuid')
  segmentId: string;

  @Field(() => CampaignChannel)
  @Column('text')
  channel: CampaignChannel;

  @Field({ description: 'Start of the period (inclusive).' })
  @Column('timestamptz')
  startsAt: Date;

  @Field({ description: 'End of the period (exclusive).' })
  @Column('timestamptz')
  endsAt: Date;

  @Field(() => CampaignStatus)
  @Column('text')
  status: CampaignStatus;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  launchedAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'Customers in the audience snapshot taken at launch.' })
  @Column('int', { nullable: true })
  audienceSize: number | null;

  @Column('uuid', { nullable: true })
  createdBy: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

@ObjectType({ description: 'An amount in one currency.' })
export class CurrencyAmount {
  @Field()
  currency: string;
  @Field({ description: 'Decimal, e.g. "1234.50".' })
  amount: string;
}

@ObjectType({ description: 'What a campaign achieved, measured on its audience snapshot.' })
export class CampaignResults {
  @Field(() => Int, { description: 'Audience size (customers reached).' })
  reach: number;
  @Field(() => Int)
  responses: number;
  @Field(() => Int)
  conversions: number;
  @Field(() => Float, {
    nullable: true,
    description: 'responses / reach; null before launch or with no audience.',
  })
  responseRate: number | null;
  @Field(() => Float, { nullable: true, description: 'conversions / reach.' })
  conversionRate: number | null;
  @Field(() => Int, { description: 'Counted orders of the audience in the period.' })
  orders: number;
  @Field(() => [CurrencyAmount], {
    description:
      'Sum of the totals of counted orders (paid, shipped, delivered) of the audience in the period.',
  })
  revenue: CurrencyAmount[];
}
