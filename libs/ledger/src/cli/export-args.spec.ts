import { describe, expect, it } from '@jest/globals';
import { parseExportLedgerArgs } from './export-args.js';

class Usage extends Error {}
const parse = (...args: string[]) => parseExportLedgerArgs(args, 'export-ledger', (m) => new Usage(m));

describe('parseExportLedgerArgs', () => {
  it('reads --out and the optional range', () => {
    expect(parse('--out', 'l.json')).toEqual({ out: 'l.json', from: undefined, to: undefined });
    expect(parse('--out', 'l.json', '--from', '0', '--to', '12')).toEqual({ out: 'l.json', from: 0, to: 12 });
  });

  it("refuses a missing --out and a range that is not a whole number ≥ 0, with the caller's error", () => {
    expect(() => parse()).toThrow(new Usage('export-ledger needs --out <file.json>'));
    expect(() => parse('--out', 'l.json', '--from=-1')).toThrow(
      new Usage('--from must be a whole number ≥ 0'),
    );
    expect(() => parse('--out', 'l.json', '--to', '1.5')).toThrow(
      new Usage('--to must be a whole number ≥ 0'),
    );
    expect(() => parse('--out', 'l.json', '--to', 'x')).toThrow(Usage);
    expect(() => parse('--out', 'l.json', '--size', '3')).toThrow(
      expect.objectContaining({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }),
    );
  });
});
