import { describe, expect, it } from 'vitest';
import { dollars, safeCell } from './csv-cells.ts';

describe('CSV cells', () => {
  it('defuses text a spreadsheet would run as a formula, and leaves the rest alone', () => {
    expect(safeCell('=HYPERLINK("http://evil.example","x")')).toBe('\'=HYPERLINK("http://evil.example","x")');
    for (const text of ['+1', '-cmd', '@SUM(A1)', '\tx', '\rx']) expect(safeCell(text)).toBe(`'${text}`);
    expect(safeCell('Implants | Search')).toBe('Implants | Search');
    expect(safeCell(-12.5)).toBe(-12.5);
    expect(safeCell(null)).toBe('');
  });

  it('writes cents as dollars', () => {
    expect(dollars(123456)).toBe('1234.56');
    expect(dollars(null)).toBe('');
  });
});
