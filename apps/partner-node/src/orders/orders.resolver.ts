import {
  Args,
  Context,
  ID,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { Connection, type ConnectionShape } from '#platform/graphql/connection';
import { groupByKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import { Customer } from '../customers/customer.entity.js';
import { CustomersService } from '../customers/customers.service.js';
import { loadCustomer } from '../customers/customer-loader.js';
import { Role } from '../users/role.js';
import { Money } from './money.js';
import { Order, OrderLine } from './order.entity.js';
import { CreateOrderInput, OrdersArgs, UpdateOrderInput } from './orders.dto.js';
import { OrdersService } from './orders.service.js';

/** Everyone reads the sales history (marketers for segments, agents for care); admins and agents record orders. */
export const ORDER_READERS = [Role.ADMIN, Role.AGENT, Role.MARKETER, Role.COMPLIANCE];
export const ORDER_WRITERS = [Role.ADMIN, Role.AGENT];

@ObjectType()
export class OrderConnection extends Connection(Order) {}

const money = (amount: string, currency: string): Money => ({ amount, currency });

@Allow(...ORDER_READERS)
@Resolver(() => Order)
export class OrdersResolver {
  constructor(
    private readonly service: OrdersService,
    private readonly customers: CustomersService,
  ) {}

  @Query(() => Order, { description: 'An order; NOT_FOUND when unknown.' })
  order(@Args('id', { type: () => ID }) id: string): Promise<Order> {
    return this.service.get(id);
  }

  @Query(() => OrderConnection, { description: 'Orders, filtered and sorted, one keyset page at a time.' })
  orders(@Args() args: OrdersArgs): Promise<ConnectionShape<Order>> {
    return this.service.list(args.filter, args.sort, { first: args.first, after: args.after });
  }

  @Allow(...ORDER_WRITERS)
  @Mutation(() => Order, {
    description: 'Records an order; the server computes line totals, subtotal and total.',
  })
  createOrder(@Args('input') input: CreateOrderInput): Promise<Order> {
    return this.service.create(input);
  }

  @Allow(...ORDER_WRITERS)
  @Mutation(() => Order, {
    description:
      'Partial update: status (allowed transitions only), channel, date, external id; lines and amounts while PENDING.',
  })
  updateOrder(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateOrderInput,
  ): Promise<Order> {
    return this.service.update(id, input);
  }

  @ResolveField(() => Customer)
  async customer(@Parent() order: Order, @Context() ctx: LoaderContext): Promise<Customer> {
    return (await loadCustomer(ctx, this.customers, order.customerId))!;
  }

  @ResolveField(() => [OrderLine], { description: 'In order of position.' })
  lines(@Parent() order: Order, @Context() ctx: LoaderContext): Promise<OrderLine[]> {
    return loader<string, OrderLine[]>(ctx, 'orders.lines', async (ids) =>
      groupByKey(ids, await this.service.linesOf(ids), (l) => l.orderId),
    ).load(order.id);
  }

  @ResolveField(() => Money, { description: 'Sum of the line totals.' })
  subtotal(@Parent() order: Order): Money {
    return money(order.subtotal, order.currency);
  }

  @ResolveField(() => Money)
  discount(@Parent() order: Order): Money {
    return money(order.discount, order.currency);
  }

  @ResolveField(() => Money)
  shipping(@Parent() order: Order): Money {
    return money(order.shipping, order.currency);
  }

  @ResolveField(() => Money)
  tax(@Parent() order: Order): Money {
    return money(order.tax, order.currency);
  }

  @ResolveField(() => Money, { description: 'subtotal − discount + shipping + tax.' })
  total(@Parent() order: Order): Money {
    return money(order.total, order.currency);
  }
}
