import { describe, expect, it } from 'vitest';
import { editDistance, jaroWinkler } from './similarity.ts';

describe('string similarity', () => {
  it.each([
    ['maria', 'maria', 0],
    ['maria', 'mariia', 1],
    ['priya', 'pirya', 1],
    ['david', 'daid', 1],
    ['whitaker', 'whiatker', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('edit distance of %s and %s is %i (adjacent swaps cost one)', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('stops counting past the bound it was asked about', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 1)).toBe(2);
  });

  it('scores Jaro–Winkler like the reference implementation', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 4);
    expect(jaroWinkler('same', 'same')).toBe(1);
    expect(jaroWinkler('abc', '')).toBe(0);
  });
});
