import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { type ConnectionShape, type KeysetSort, paginate, type PageArgs } from '#platform/graphql/connection';
import { inTransaction, type UniqueFields } from '#platform/database/transaction';
import { assertNotFuture } from '#platform/validation/transforms';
import { assertRow } from '../database/assert-row.js';
import { isUuid } from '#platform/validation/ids';
import { AmountError, computeTotals } from './money.js';
import { ORDER_TRANSITIONS, OrderSort, OrderStatus } from './order.enums.js';
import { Order, OrderLine } from './order.entity.js';
import type { CreateOrderInput, OrderFilter, OrderLineInput, UpdateOrderInput } from './orders.dto.js';

const keyset = (
  column: string,
  value: (o: Order) => unknown,
  direction: 'ASC' | 'DESC',
): KeysetSort<Order> => ({
  column,
  value,
  direction,
  idColumn: 'o.id',
  id: (o) => o.id,
});

const SORTS: Record<OrderSort, KeysetSort<Order>> = {
  [OrderSort.ORDERED_AT_DESC]: keyset('o.ordered_at', (o) => o.orderedAt, 'DESC'),
  [OrderSort.ORDERED_AT_ASC]: keyset('o.ordered_at', (o) => o.orderedAt, 'ASC'),
  [OrderSort.TOTAL_DESC]: keyset('o.total', (o) => o.total, 'DESC'),
  [OrderSort.TOTAL_ASC]: keyset('o.total', (o) => o.total, 'ASC'),
};

const UNIQUE: UniqueFields = {
  customer_order_number_key: { field: 'number', message: 'An order with this number already exists' },
  customer_order_external_id_key: {
    field: 'externalId',
    message: 'An order with this external id already exists',
  },
};

/** GraphQL spelling of an enum value, for messages. */
const shown = (value: string): string => value.toUpperCase();

/** A stored numeric(14,2) as the shortest decimal text ("100.00" → "100"), so JPY amounts re-validate. */
const stored = (amount: string): string => (amount.includes('.') ? amount.replace(/\.?0+$/, '') : amount);

interface Amounts {
  currency: string;
  lines: { quantity: number; unitPrice: string }[];
  discount?: string;
  shipping?: string;
  tax?: string;
}

/** Computes the totals exactly, turning an amount problem into a ValidationError naming the field. */
function totalsOf(amounts: Amounts) {
  try {
    return computeTotals(amounts.currency, amounts.lines, amounts);
  } catch (error) {
    if (error instanceof AmountError) throw new ValidationError(error.field, error.rule);
    throw error;
  }
}

@Injectable()
export class OrdersService {
  constructor(
    @InjectRepository(Order) private readonly orders: Repository<Order>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async get(id: string): Promise<Order> {
    const found = isUuid(id) ? await this.orders.findOneBy({ id }) : null;
    if (!found) throw new NotFoundError('Order', id);
    return found;
  }

  findByIds(ids: readonly string[]): Promise<Order[]> {
    const valid = [...new Set(ids)].filter(isUuid);
    if (valid.length === 0) return Promise.resolve([]);
    return this.orders.createQueryBuilder('o').where('o.id = ANY(:ids)', { ids: valid }).getMany();
  }

  /** The lines of several orders, in order: one query for a page of orders. */
  linesOf(orderIds: readonly string[]): Promise<OrderLine[]> {
    return this.dataSource
      .getRepository(OrderLine)
      .createQueryBuilder('l')
      .where('l.order_id = ANY(:ids)', { ids: [...orderIds] })
      .orderBy('l.order_id')
      .addOrderBy('l.position')
      .getMany();
  }

  list(
    filter: OrderFilter = {},
    sort: OrderSort = OrderSort.ORDERED_AT_DESC,
    page: PageArgs = {},
  ): Promise<ConnectionShape<Order>> {
    const query = this.orders.createQueryBuilder('o');
    if (filter.customerId) query.andWhere('o.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.statuses?.length) query.andWhere('o.status = ANY(:statuses)', { statuses: filter.statuses });
    if (filter.channels?.length) query.andWhere('o.channel = ANY(:channels)', { channels: filter.channels });
    if (filter.currency) query.andWhere('o.currency = :currency', { currency: filter.currency });
    if (filter.orderedFrom)
      query.andWhere('o.ordered_at >= :orderedFrom', { orderedFrom: filter.orderedFrom });
    if (filter.orderedBefore)
      query.andWhere('o.ordered_at < :orderedBefore', { orderedBefore: filter.orderedBefore });
    return paginate(query, SORTS[sort], page);
  }

  async create(input: CreateOrderInput): Promise<Order> {
    assertNotFuture('orderedAt', input.orderedAt);
    const totals = totalsOf(input);
    const id = await inTransaction(
      this.dataSource,
      async (manager) => {
        await assertRow(manager, 'customer', input.customerId, 'customerId');
        const number = input.number ?? (await this.nextNumber(manager));
        const inserted = await manager.insert(Order, {
          number,
          externalId: input.externalId ?? null,
          customerId: input.customerId,
          orderedAt: input.orderedAt ?? new Date(),
          status: input.status ?? OrderStatus.PENDING,
          channel: input.channel,
          currency: input.currency,
          subtotal: totals.subtotal,
          discount: totals.discount,
          shipping: totals.shipping,
          tax: totals.tax,
          total: totals.total,
        });
        const orderId = (inserted.identifiers[0] as { id: string }).id;
        await this.insertLines(manager, orderId, input.lines, totals.lineTotals);
        return orderId;
      },
      UNIQUE,
    );
    return this.get(id);
  }

  async update(id: string, input: UpdateOrderInput): Promise<Order> {
    assertNotFuture('orderedAt', input.orderedAt);
    await inTransaction(
      this.dataSource,
      async (manager) => {
        const current = isUuid(id)
          ? await manager
              .getRepository(Order)
              .createQueryBuilder('o')
              .setLock('pessimistic_write')
              .where('o.id = :id', { id })
              .getOne()
          : null;
        if (!current) throw new NotFoundError('Order', id);
        const patch: Partial<Order> = {};
        if (input.status && input.status !== current.status) {
          if (!ORDER_TRANSITIONS[current.status].includes(input.status)) {
            throw new ValidationError(
              'status',
              `a ${shown(current.status)} order cannot become ${shown(input.status)}`,
              { from: shown(current.status), to: shown(input.status) },
            );
          }
          patch.status = input.status;
        }
        if (input.channel) patch.channel = input.channel;
        if (input.orderedAt) patch.orderedAt = input.orderedAt;
        if (input.externalId !== undefined) patch.externalId = input.externalId;
        const amountsChange = Boolean(input.lines || input.discount || input.shipping || input.tax);
        if (amountsChange) {
          if (current.status !== OrderStatus.PENDING) {
            const field = input.lines
              ? 'lines'
              : input.discount
                ? 'discount'
                : input.shipping
                  ? 'shipping'
                  : 'tax';
            throw new ValidationError(
              field,
              `can change only while the order is PENDING (it is ${shown(current.status)})`,
            );
          }
          const lines =
            input.lines ??
            (await manager.find(OrderLine, { where: { orderId: id }, order: { position: 'ASC' } })).map(
              (line) => ({ quantity: line.quantity, unitPrice: stored(line.unitPrice) }),
            );
          const totals = totalsOf({
            currency: current.currency,
            lines,
            discount: input.discount ?? stored(current.discount),
            shipping: input.shipping ?? stored(current.shipping),
            tax: input.tax ?? stored(current.tax),
          });
          Object.assign(patch, {
            subtotal: totals.subtotal,
            discount: totals.discount,
            shipping: totals.shipping,
            tax: totals.tax,
            total: totals.total,
          });
          if (input.lines) {
            await manager.delete(OrderLine, { orderId: id });
            await this.insertLines(manager, id, input.lines, totals.lineTotals);
          }
        }
        await manager.update(Order, { id }, { ...patch, updatedAt: () => 'now()' });
      },
      UNIQUE,
    );
    return this.get(id);
  }

  private async insertLines(
    manager: EntityManager,
    orderId: string,
    lines: OrderLineInput[],
    lineTotals: string[],
  ): Promise<void> {
    await manager.insert(
      OrderLine,
      lines.map((line, position) => ({
        orderId,
        position,
        sku: line.sku,
        productName: line.productName,
        productCategory: line.productCategory ?? null,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        lineTotal: lineTotals[position],
      })),
    );
  }

  private async nextNumber(manager: EntityManager): Promise<string> {
    const [row] = await manager.query<{ n: string }[]>(`SELECT nextval('customer_order_number_seq') AS n`);
    return `ORD-${row.n.padStart(8, '0')}`;
  }
}
