import { describe, expect, it } from 'vitest';
import { parseSpendAmount } from './parse-spend-amount.ts';

describe('spend amounts as typed in a spreadsheet', () => {
  it.each([
    ['1234.56', 123456], ['1,234.56', 123456], ['$1234.56', 123456], ['$1,234.56', 123456], ['$ 80', 8000], ['0.1', 10], ['12', 1200],
    [' 1,000,000.00 ', 100000000],
  ])('reads %s as %i cents, exactly', (text, cents) => {
    expect(parseSpendAmount(text)).toEqual({ cents });
  });

  it.each(['', '12,34.5', '1.234', 'abc', '1 234', '-5', '$-5', '(5.00)', '1.2.3', '$'])('refuses %j with a reason', (text) => {
    expect(parseSpendAmount(text)).toEqual({ problem: expect.any(String) });
  });
});
