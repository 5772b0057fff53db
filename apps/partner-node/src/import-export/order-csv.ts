import type { CsvColumn } from '#platform/csv/csv-columns';
import { currencyDecimals } from '../orders/money.js';
import { MAX_EXTERNAL_ID, MAX_NUMBER, MAX_QUANTITY } from '../orders/orders.dto.js';
import { OrderChannel, OrderStatus } from '../orders/order.enums.js';

/** Clock skew tolerated for `ordered_at` ("not in the future"). */
const FUTURE_SKEW_MS = 5 * 60_000;

const AMOUNT = { kind: 'decimal', min: 0, maxScale: 2 } as const;

/**
 * The orders CSV (`concordia import-orders file.csv`): UTF-8, comma-separated, a header line, and
 * ONE ROW PER ORDER LINE. Rows with the same `order_external_id` form one order (in file order:
 * the first row is line 1 of the order); the order-level columns must be the same on each of its
 * rows. The customer is referenced by the `external_id` of a customer already imported.
 *
 * Orders are matched by `order_external_id`: created, updated (their lines replaced when they
 * differ) or left alone. Amounts are decimals with a dot and at most as many decimals as the
 * currency has (EUR 2, JPY 0); line totals, subtotal and total are computed by the server:
 * line total = quantity × unit_price, subtotal = Σ line totals,
 * total = subtotal − discount + shipping + tax.
 */
export const ORDER_COLUMNS: readonly CsvColumn[] = [
  {
    name: 'order_external_id',
    kind: 'text',
    required: true,
    maxLength: MAX_EXTERNAL_ID,
    description: 'Key of the order in the source system; groups the rows of one order',
  },
  {
    name: 'customer_external_id',
    kind: 'text',
    required: true,
    maxLength: 200,
    description: 'external_id of the customer (imported before)',
  },
  {
    name: 'order_number',
    kind: 'text',
    maxLength: MAX_NUMBER,
    description: 'Order number shown to people; generated (ORD-00000042) when empty',
  },
  {
    name: 'ordered_at',
    kind: 'datetime',
    required: true,
    refine: (value) =>
      Date.parse(value as string) > Date.now() + FUTURE_SKEW_MS ? 'must not be in the future' : undefined,
    description: 'ISO 8601, e.g. 2025-03-01T14:30:00Z (UTC when no offset is given)',
  },
  {
    name: 'status',
    kind: 'enum',
    values: Object.values(OrderStatus),
    description: 'Order status (default pending)',
  },
  {
    name: 'channel',
    kind: 'enum',
    values: Object.values(OrderChannel),
    required: true,
    description: 'Sales channel',
  },
  { name: 'currency', kind: 'currency', required: true, description: 'ISO 4217, e.g. EUR' },
  { name: 'discount', ...AMOUNT, description: 'Order discount, ≤ subtotal (default 0)' },
  { name: 'shipping', ...AMOUNT, description: 'Shipping amount (default 0)' },
  { name: 'tax', ...AMOUNT, description: 'Tax amount (default 0)' },
  { name: 'sku', kind: 'text', required: true, maxLength: 64, description: 'Product code of the line' },
  { name: 'product_name', kind: 'text', required: true, maxLength: 200, description: 'Product name' },
  { name: 'product_category', kind: 'text', maxLength: 100, description: 'Product category' },
  {
    name: 'quantity',
    kind: 'integer',
    required: true,
    min: 1,
    max: MAX_QUANTITY,
    description: `Whole number, 1 to ${MAX_QUANTITY}`,
  },
  { name: 'unit_price', ...AMOUNT, required: true, description: 'Price of one unit, e.g. 19.99' },
];

export const ORDER_STAGE_COLUMNS = ORDER_COLUMNS.map((c) => c.name);

/** The order-level columns: the same on every row of an order. */
export const ORDER_LEVEL_COLUMNS = [
  'customer_external_id',
  'order_number',
  'ordered_at',
  'status',
  'channel',
  'currency',
  'discount',
  'shipping',
  'tax',
] as const;

const CURRENCY = ORDER_STAGE_COLUMNS.indexOf('currency');
const AMOUNTS = ['discount', 'shipping', 'tax', 'unit_price'].map((name) =>
  ORDER_STAGE_COLUMNS.indexOf(name),
);
const decimalsCache = new Map<string, number>();

/** Amounts may not have more decimals than their currency (JPY 0, EUR 2). */
export function orderRowProblem(values: readonly (string | null)[]): string | undefined {
  const currency = values[CURRENCY]!;
  let decimals = decimalsCache.get(currency);
  if (decimals === undefined) {
    decimals = currencyDecimals(currency);
    decimalsCache.set(currency, decimals);
  }
  if (decimals >= 2) return undefined;
  for (const at of AMOUNTS) {
    const amount = values[at];
    const fraction = amount?.split('.')[1] ?? '';
    if (fraction.replace(/0+$/, '').length > decimals)
      return `${ORDER_STAGE_COLUMNS[at]}: ${currency} amounts have at most ${decimals} decimals`;
  }
  return undefined;
}
