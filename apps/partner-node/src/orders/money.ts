import { Field, ObjectType } from '@nestjs/graphql';

/**
 * Exact money arithmetic for orders. Amounts travel as decimal strings ("19.99") and are computed
 * as integer minor units (bigint cents), never as JavaScript floats. Stored as numeric(14,2).
 */

/** Scale of the stored amounts: numeric(14,2). */
export const SCALE = 2;
/** Largest amount a numeric(14,2) column holds, in minor units: 999 999 999 999.99. */
export const MAX_MINOR = 10n ** 14n - 1n;

/** A plain, non-negative decimal with at most two decimals and no exponent: "0", "19.9", "19.99". */
export const DECIMAL = /^\d{1,12}(\.\d{1,2})?$/;

/** "19.99" → 1999n. The caller has validated the text with DECIMAL. */
export function toMinor(amount: string): bigint {
  const [units, fraction = ''] = amount.split('.');
  return BigInt(units) * 10n ** BigInt(SCALE) + BigInt(fraction.padEnd(SCALE, '0') || '0');
}

/** 5997n → "59.97"; -5n → "-0.05". */
export function fromMinor(minor: bigint): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const base = 10n ** BigInt(SCALE);
  const units = abs / base;
  const fraction = (abs % base).toString().padStart(SCALE, '0');
  return `${negative ? '-' : ''}${units}.${fraction}`;
}

/** How many decimals the currency has (EUR 2, JPY 0, BHD 3), capped to the stored scale. */
export function currencyDecimals(currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  return Math.min(digits ?? SCALE, SCALE);
}

/** Decimals written in a decimal text ("19.9" → 1). */
export function decimalsOf(amount: string): number {
  const fraction = amount.split('.')[1];
  return fraction ? fraction.length : 0;
}

export interface LineAmounts {
  quantity: number;
  unitPrice: string;
}

export interface OrderTotals {
  lineTotals: string[];
  subtotal: string;
  total: string;
}

/** A problem with the amounts, naming the input field (e.g. `lines[1].unitPrice`). */
export class AmountError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}

/**
 * Line totals (quantity × unit price), subtotal (their sum) and total
 * (subtotal − discount + shipping + tax), exactly. Refuses amounts with more decimals than the
 * currency has, a discount above the subtotal, and totals too large to store.
 */
export function computeTotals(
  currency: string,
  lines: LineAmounts[],
  extras: { discount?: string; shipping?: string; tax?: string } = {},
): OrderTotals & { discount: string; shipping: string; tax: string } {
  const decimals = currencyDecimals(currency);
  const parse = (field: string, amount: string): bigint => {
    if (!DECIMAL.test(amount)) throw new AmountError(field, 'must be a decimal amount ≥ 0 such as 19.99');
    if (decimalsOf(amount) > decimals)
      throw new AmountError(field, `${currency} amounts have at most ${decimals} decimals`);
    return toMinor(amount);
  };
  const check = (field: string, minor: bigint): bigint => {
    if (minor > MAX_MINOR) throw new AmountError(field, 'is too large');
    return minor;
  };
  let subtotal = 0n;
  const lineTotals = lines.map((line, i) => {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1)
      throw new AmountError(`lines[${i}].quantity`, 'must be a whole number of at least 1');
    const total = check(
      `lines[${i}].quantity`,
      BigInt(line.quantity) * parse(`lines[${i}].unitPrice`, line.unitPrice),
    );
    subtotal = check('lines', subtotal + total);
    return total;
  });
  const discount = parse('discount', extras.discount ?? '0');
  const shipping = parse('shipping', extras.shipping ?? '0');
  const tax = parse('tax', extras.tax ?? '0');
  if (discount > subtotal) throw new AmountError('discount', 'must not exceed the subtotal');
  const total = check('lines', subtotal - discount + shipping + tax);
  return {
    lineTotals: lineTotals.map(fromMinor),
    subtotal: fromMinor(subtotal),
    discount: fromMinor(discount),
    shipping: fromMinor(shipping),
    tax: fromMinor(tax),
    total: fromMinor(total),
  };
}

@ObjectType({ description: 'An exact amount of money: a decimal string and its ISO 4217 currency.' })
export class Money {
  @Field({ description: 'Decimal text with two decimals, e.g. "59.97"; never a float.' })
  amount: string;

  @Field({ description: 'ISO 4217, e.g. EUR.' })
  currency: string;
}
