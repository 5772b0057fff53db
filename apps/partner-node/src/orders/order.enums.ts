import { registerEnumType } from '@nestjs/graphql';

export enum OrderStatus {
  PENDING = 'pending',
  PAID = 'paid',
  SHIPPED = 'shipped',
  DELIVERED = 'delivered',
  CANCELLED = 'cancelled',
  RETURNED = 'returned',
}
registerEnumType(OrderStatus, { name: 'OrderStatus' });

/**
 * Status changes of an existing order. An order may be created (or imported) in any status;
 * CANCELLED and RETURNED are final.
 */
export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  [OrderStatus.PENDING]: [OrderStatus.PAID, OrderStatus.CANCELLED],
  [OrderStatus.PAID]: [OrderStatus.SHIPPED, OrderStatus.CANCELLED, OrderStatus.RETURNED],
  [OrderStatus.SHIPPED]: [OrderStatus.DELIVERED, OrderStatus.RETURNED],
  [OrderStatus.DELIVERED]: [OrderStatus.RETURNED],
  [OrderStatus.CANCELLED]: [],
  [OrderStatus.RETURNED]: [],
};

export enum OrderChannel {
  WEB = 'web',
  STORE = 'store',
  PHONE = 'phone',
  MARKETPLACE = 'marketplace',
  PARTNER = 'partner',
}
registerEnumType(OrderChannel, { name: 'OrderChannel', description: 'Where the order was placed.' });

export enum OrderSort {
  ORDERED_AT_DESC = 'ordered_at_desc',
  ORDERED_AT_ASC = 'ordered_at_asc',
  TOTAL_DESC = 'total_desc',
  TOTAL_ASC = 'total_asc',
}
registerEnumType(OrderSort, { name: 'OrderSort', description: 'Default: ORDERED_AT_DESC.' });
