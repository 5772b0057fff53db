import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrderChannel, OrderStatus } from './order.enums.js';

/**
 * A customer's order (sales history). The amounts are computed by the server from the lines and
 * stored as numeric(14,2); TypeORM reads them as decimal strings, and GraphQL exposes them as
 * `Money` (resolved fields subtotal, discount, shipping, tax, total).
 */
@ObjectType({ description: 'An order of a customer, with its lines and server-computed totals.' })
@Entity('customer_order')
export class Order {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Unique order number; generated (ORD-00000001) when not given.' })
  @Column('text')
  number: string;

  @Field(() => String, {
    nullable: true,
    description: 'Unique key in an external system (imports upsert by it).',
  })
  @Column('text', { nullable: true })
  externalId: string | null;

  /** Exposed as `customer` too. */
  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @Field()
  @Column('timestamptz')
  orderedAt: Date;

  @Field(() => OrderStatus)
  @Column('text')
  status: OrderStatus;

  @Field(() => OrderChannel)
  @Column('text')
  channel: OrderChannel;

  @Field({ description: 'ISO 4217 code of every amount of the order.' })
  @Column('text')
  currency: string;

  @Column('numeric', { precision: 14, scale: 2 })
  subtotal: string;

  @Column('numeric', { precision: 14, scale: 2 })
  discount: string;

  @Column('numeric', { precision: 14, scale: 2 })
  shipping: string;

  @Column('numeric', { precision: 14, scale: 2 })
  tax: string;

  @Column('numeric', { precision: 14, scale: 2 })
  total: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

@ObjectType({ description: "A line of an order; amounts are decimal strings in the order's currency." })
@Entity('order_line')
export class OrderLine {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  orderId: string;

  @Field(() => Int, { description: 'Position of the line in the order, from 0.' })
  @Column('int')
  position: number;

  @Field()
  @Column('text')
  sku: string;

  @Field()
  @Column('text')
  productName: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  productCategory: string | null;

  @Field(() => Int)
  @Column('int')
  quantity: number;

  @Field({ description: 'Decimal string, e.g. "19.99".' })
  @Column('numeric', { precision: 14, scale: 2 })
  unitPrice: string;

  @Field({ description: 'quantity × unitPrice, exact.' })
  @Column('numeric', { precision: 14, scale: 2 })
  lineTotal: string;
}
