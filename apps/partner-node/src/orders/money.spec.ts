import { describe, expect, it } from '@jest/globals';
import { AmountError, computeTotals, currencyDecimals, fromMinor, toMinor } from './money.js';

describe('order money arithmetic (exact, no floats)', () => {
  it('converts decimal text and minor units both ways', () => {
    expect(toMinor('19.99')).toBe(1999n);
    expect(toMinor('19.9')).toBe(1990n);
    expect(toMinor('7')).toBe(700n);
    expect(toMinor('0.05')).toBe(5n);
    expect(fromMinor(5997n)).toBe('59.97');
    expect(fromMinor(5n)).toBe('0.05');
    expect(fromMinor(0n)).toBe('0.00');
    expect(fromMinor(-105n)).toBe('-1.05');
  });

  it('computes 3 × 19.99 = 59.97 and sums that float arithmetic gets wrong', () => {
    const totals = computeTotals('EUR', [
      { quantity: 3, unitPrice: '19.99' },
      { quantity: 1, unitPrice: '0.1' },
      { quantity: 1, unitPrice: '0.2' },
    ]);
    expect(totals.lineTotals).toEqual(['59.97', '0.10', '0.20']);
    expect(totals.subtotal).toBe('60.27');
    expect(totals.total).toBe('60.27');
  });

  it('applies discount, shipping and tax', () => {
    const totals = computeTotals('EUR', [{ quantity: 2, unitPrice: '10.00' }], {
      discount: '5.5',
      shipping: '4.99',
      tax: '3.01',
    });
    expect(totals).toMatchObject({ subtotal: '20.00', discount: '5.50', total: '22.50' });
  });

  it('handles large amounts exactly', () => {
    const totals = computeTotals('USD', [{ quantity: 1000, unitPrice: '999999999.99' }]);
    expect(totals.total).toBe('999999999990.00');
  });

  it('refuses bad amounts naming the field', () => {
    const fieldOf = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        return (e as AmountError).field;
      }
      return undefined;
    };
    expect(fieldOf(() => computeTotals('EUR', [{ quantity: 1, unitPrice: '-1' }]))).toBe(
      'lines[0].unitPrice',
    );
    expect(fieldOf(() => computeTotals('EUR', [{ quantity: 1, unitPrice: '1.999' }]))).toBe(
      'lines[0].unitPrice',
    );
    expect(fieldOf(() => computeTotals('EUR', [{ quantity: 1, unitPrice: '1e3' }]))).toBe(
      'lines[0].unitPrice',
    );
    expect(fieldOf(() => computeTotals('JPY', [{ quantity: 1, unitPrice: '100.5' }]))).toBe(
      'lines[0].unitPrice',
    );
    expect(
      fieldOf(() =>
        computeTotals('EUR', [
          { quantity: 1, unitPrice: '1' },
          { quantity: 0, unitPrice: '1' },
        ]),
      ),
    ).toBe('lines[1].quantity');
    expect(fieldOf(() => computeTotals('EUR', [{ quantity: 1, unitPrice: '1' }], { discount: '2' }))).toBe(
      'discount',
    );
    expect(fieldOf(() => computeTotals('EUR', [{ quantity: 100000, unitPrice: '999999999999.99' }]))).toBe(
      'lines[0].quantity',
    );
  });

  it('knows the decimals of currencies', () => {
    expect(currencyDecimals('EUR')).toBe(2);
    expect(currencyDecimals('JPY')).toBe(0);
    expect(currencyDecimals('BHD')).toBe(2); // capped to the stored scale
  });
});
