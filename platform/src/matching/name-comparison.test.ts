import { describe, expect, it } from 'vitest';
import { compareNames } from './name-comparison.ts';
import { parseGivenName, parseLeadName, parseSurname } from './normalize/name.ts';

const compare = (leadName: string, first: string, last: string, preferred = '') =>
  compareNames(parseLeadName(leadName), parseGivenName(first, preferred), parseSurname(last));

describe('comparing a lead name with a chart', () => {
  it.each([
    ['Jane Smith', 'Jane', 'Smith', '', 'exact', 'exact'],
    ['SMITH JANE', 'Jane', 'Smith', '', 'exact', 'exact'],
    ['Smith, Jane', 'Jane', 'Smith', '', 'exact', 'exact'],
    ['Bob Fox', 'Robert', 'Fox', '', 'alias', 'exact'],
    ['Doug Oakwell', 'Douglas', 'Oakwell', 'Doug', 'alias', 'exact'],
    ['helen sullivan', 'Xiu', 'Sullivan', 'Helen', 'alias', 'exact'],
    ['Mariia Diaz', 'Maria', 'Díaz', '', 'typo', 'exact'],
    ['ashley whiatker', 'Ashley', 'Whitaker', '', 'exact', 'typo'],
    ['THOMPSON KATHER', 'Katherine', 'Thompson', '', 'prefix', 'exact'],
    ['NORSHAW WHITRID', 'Stephanie', 'Norshaw-Whitridge', '', 'disagree', 'partial'],
    ['Stephanie Norshaw', 'Stephanie', 'Norshaw-Whitridge', '', 'exact', 'partial'],
    ['dave medina peña', 'David', 'Medina-Pena', '', 'alias', 'exact'],
    ['Eddie De La Cruz', 'Eduardo', 'De La Cruz', '', 'alias', 'exact'],
    ['Yolanda Mendoza Pérez', 'Yolanda', 'Gomez', '', 'exact', 'disagree'],
    ['Deborah J.', 'Deborah', 'Jones', '', 'exact', 'prefix'],
    ['LEE THOMAS', 'Jennifer', 'Wakewood', '', 'disagree', 'disagree'],
  ])('%s against %s %s (preferred %j): given %s, surname %s', (leadName, first, last, preferred, given, surname) => {
    expect(compare(leadName, first, last, preferred)).toEqual({ given, surname });
  });

  it('reads a lone token as the given name unless only the surname fits', () => {
    expect(compare('Megan', 'Megan', 'Smith')).toEqual({ given: 'exact', surname: null });
    expect(compare('SMITH', 'Megan', 'Smith')).toEqual({ given: null, surname: 'exact' });
  });

  it('reads caller ID showing only a double surname as the surname, saying nothing of the given name', () => {
    expect(compare('MOORE MARTINEZ', 'Juan', 'Moore Martinez')).toEqual({ given: null, surname: 'exact' });
    expect(compare('DRAYING WATSON', 'Angela', 'Draying-Watson')).toEqual({ given: null, surname: 'exact' });
    // The same label against a chart carrying one of the two surnames: one of them is then a given name that disagrees.
    expect(compare('MOORE MARTINEZ', 'Juan', 'Moore')).toEqual({ given: 'disagree', surname: 'exact' });
    // A reading with a given name that fits still wins.
    expect(compare('MARTIN LUCAS', 'Lucas', 'Martin')).toEqual({ given: 'exact', surname: 'exact' });
  });

  it('has nothing to compare when the lead carries no name', () => {
    expect(compare('WIRELESS CALLER', 'Megan', 'Smith')).toEqual({ given: null, surname: null });
  });
});
