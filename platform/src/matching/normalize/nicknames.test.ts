import { describe, expect, it } from 'vitest';
import { areGivenNameAliases, givenNameAliases } from './nicknames.ts';

describe('nickname table', () => {
  it.each([
    ['robert', 'bob'],
    ['william', 'bill'],
    ['william', 'liam'],
    ['richard', 'dick'],
    ['margaret', 'peggy'],
    ['elizabeth', 'liz'],
    ['katherine', 'kate'],
    ['jennifer', 'jen'],
    ['michael', 'mikey'],
    ['olivia', 'liv'],
    ['amanda', 'mandy'],
    ['john', 'jack'],
    ['james', 'jim'],
    ['christopher', 'chris'],
    ['christine', 'chris'],
    ['alexander', 'alex'],
    ['samantha', 'sam'],
    ['jose', 'pepe'],
    ['jesus', 'chuy'],
    ['guadalupe', 'lupe'],
    ['francisco', 'paco'],
    ['eduardo', 'lalo'],
  ])('knows %s and %s are one person, both ways', (formal, diminutive) => {
    expect(areGivenNameAliases(formal, diminutive)).toBe(true);
    expect(areGivenNameAliases(diminutive, formal)).toBe(true);
  });

  it('does not chain through shared diminutives: Chris does not make Christopher a Christine', () => {
    expect(areGivenNameAliases('christopher', 'christine')).toBe(false);
    expect(areGivenNameAliases('samuel', 'samantha')).toBe(false);
  });

  it('is not an identity or a typo table', () => {
    expect(areGivenNameAliases('robert', 'robert')).toBe(false);
    expect(areGivenNameAliases('robert', 'rubert')).toBe(false);
    expect(givenNameAliases('xiu').size).toBe(0);
  });

  it('covers the common US given names', () => {
    const common = ['mary', 'patricia', 'linda', 'barbara', 'susan', 'thomas', 'charles', 'daniel', 'matthew', 'anthony', 'donald', 'steven', 'andrew', 'joshua', 'kenneth', 'kevin', 'timothy', 'ronald', 'jeffrey', 'nicholas'];
    for (const name of common) expect(givenNameAliases(name).size, name).toBeGreaterThan(0);
  });
});
