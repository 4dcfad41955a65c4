import { describe, expect, it } from 'vitest';
import { inferLocalAreaCodes, parsePhone, resolvePhone } from './phone.ts';

const normalize = (raw: string, areaCodes: readonly string[] = ['614', '380']) => {
  const parsed = parsePhone(raw);
  return parsed ? resolvePhone(parsed, areaCodes) : [];
};

describe('phone normalisation', () => {
  it.each([
    ['(614)535-6162', '+16145356162'],
    ['614-535-6162', '+16145356162'],
    ['614.535.6162', '+16145356162'],
    ['614 5356162', '+16145356162'],
    ['6145356162', '+16145356162'],
    ['16145356162', '+16145356162'],
    ['1-614-535-6162', '+16145356162'],
    ['+1 614-535-6162', '+16145356162'],
    ['+16145356162', '+16145356162'],
    ['(614)965-5388 ext 445', '+16149655388'],
    ['(614) 965-5388 ext. 44', '+16149655388'],
    ['614-965-5388 x 445', '+16149655388'],
    ['6149655388 x445', '+16149655388'],
    ['+1 306-507-1626', '+13065071626'],
  ])('reads %s as %s', (raw, e164) => {
    expect(normalize(raw)).toEqual([e164]);
  });

  it('reads a cell the same way however often it comes, past the bound of remembered parses, and hands out nothing mutable', () => {
    const first = parsePhone('(614) 535-6162');
    expect(Object.isFrozen(first)).toBe(true);
    for (let i = 0; i < 10_500; i++) expect(parsePhone(`+1 614 ${2_000_000 + i}`)).toEqual({ kind: 'full', number: `+1614${2_000_000 + i}` });
    expect(parsePhone('(614) 535-6162')).toEqual(first);
    expect(parsePhone('555-5555')).toBeNull();
    expect(parsePhone('555-5555')).toBeNull();
  });

  it('gives a 7-digit local number every area code of the region, since overlays make it ambiguous', () => {
    expect(normalize('705-7687', ['614', '380'])).toEqual(['+16147057687', '+13807057687']);
    expect(normalize('705-7687', ['512'])).toEqual(['+15127057687']);
  });

  it.each(['', '   ', '(000)000-0000', '000-000-0000', '(555)555-5555', '555-5555', '123-456-7890', '(111)111-1111', '614-555-0123', 'none', 'n/a'])(
    'ignores the filler or unusable number %j',
    (raw) => {
      expect(normalize(raw)).toEqual([]);
    },
  );

  it('learns local area codes per ZIP region from the charts (a stray out-of-state number is not one), with the practice-wide set for unknown ZIPs', () => {
    const chart = (zip: string, ...numbers: string[]) => ({ zip, phones: numbers.map(parsePhone) });
    const codes = inferLocalAreaCodes([
      chart('43210', '614-200-1000', '614-200-1001', '380-200-1002', '614-200-1006', '614-200-1007'),
      chart('43221', '614-200-1003', '(380) 200-1004', '917-200-1005', '614-200-1008', '614-200-1009', '380-200-1010'),
      ...Array.from({ length: 10 }, (_, i) => chart('78701', `512-300-10${10 + i}`)),
    ]);
    expect(codes.region('43215')).toEqual(['380', '614']);
    expect(codes.region('78745-1234')).toEqual(['512']);
    expect(codes.region('')).toBeNull();
    expect(codes.practice).toEqual(['380', '512', '614']);
  });

  it("keeps each metro area's overlay code practice-wide when the charts span several areas", () => {
    const chart = (zip: string, number: string) => ({ zip, phones: [parsePhone(number)] });
    // Three metros, each a third of the charts over two ZIP prefixes; each overlay code carries 6 % of all numbers.
    const metro = (zips: [string, string], main: string, overlay: string) =>
      Array.from({ length: 50 }, (_, i) => chart(zips[i % 2]!, `${i % 6 === 0 ? overlay : main}-200-${1000 + i}`));
    const codes = inferLocalAreaCodes([
      ...metro(['43210', '43221'], '614', '380'),
      ...metro(['85004', '85201'], '602', '623'),
      ...metro(['78701', '78745'], '512', '737'),
      chart('43210', '917-200-1000'),
    ]);
    expect(codes.practice).toEqual(['380', '512', '602', '614', '623', '737']);
    const local = resolvePhone(parsePhone('200-1001')!, codes.practice);
    expect(local).toContain('+13802001001');
    expect(local).toContain('+17372001001');
  });
});
