import { describe, expect, it } from 'vitest';
import { foldName, parseGivenName, parseLeadName, parseSurname, surnameFromEmail } from './name.ts';

describe('name folding', () => {
  it.each([
    ['Pérez', 'perez'],
    ['MÓNICA', 'monica'],
    ['Núñez', 'nunez'],
    ["O'Brien", 'obrien'],
    ['Jean-Luc', 'jean luc'],
    ['Straße', 'strasse'],
    ['  Anne   Marie ', 'anne marie'],
  ])('folds %s to %s', (raw, folded) => {
    expect(foldName(raw)).toBe(folded);
  });
});

describe('lead names', () => {
  it.each(['', 'WIRELESS CALLER', 'UNKNOWN NAME', 'UNAVAILABLE', 'RESTRICTED', 'ANONYMOUS', 'CELL PHONE   AZ', 'ROUND ROCK   TX', 'PFLUGERVILLE TX', 'V7371997030', 'COLUMBUS ISD', 'MILLWOOD CPA'])(
    'reads %j as no name',
    (raw) => {
      expect(parseLeadName(raw)).toMatchObject({ kind: 'placeholder', tokens: [] });
    },
  );

  it.each(['SCAM LIKELY', 'POTENTIAL SPAM', 'TELEMARKETER', 'TOLL FREE CALL', 'SEO Services', 'Website Design', 'test test', 'asdf', 'John Doe'])(
    'reads %j as spam',
    (raw) => {
      expect(parseLeadName(raw).kind).toBe('spam');
    },
  );

  it('keeps the tokens of a person, marking caller-ID names cut at 15 characters', () => {
    expect(parseLeadName('LYNCH, STEPHANI')).toMatchObject({ kind: 'person', tokens: ['lynch', 'stephani'], truncated: true });
    expect(parseLeadName('Deborah J.')).toMatchObject({ tokens: ['deborah', 'j'], truncated: false });
    expect(parseLeadName('Mrs. Ann Marwood-Mitchell')).toMatchObject({ tokens: ['ann', 'marwood', 'mitchell'] });
    expect(parseLeadName('MESA SMITH')).toMatchObject({ kind: 'person' });
  });
});

describe('chart names', () => {
  it('splits double, hyphenated and particle surnames into parts', () => {
    expect(parseSurname('Pruitt-Stewart')).toEqual({ full: 'pruittstewart', parts: ['pruitt', 'stewart'] });
    expect(parseSurname('De La Cruz')).toEqual({ full: 'delacruz', parts: ['cruz'] });
    expect(parseSurname('Mendoza Pérez')).toEqual({ full: 'mendozaperez', parts: ['mendoza', 'perez'] });
    expect(parseSurname('')).toBeNull();
  });

  it('keeps the legal and the preferred given name', () => {
    expect(parseGivenName('Min-Jun', 'Andy')).toEqual({ first: ['min', 'jun', 'minjun'], preferred: ['andy'], all: ['min', 'jun', 'minjun', 'andy'] });
  });
});

describe('surnames in email addresses', () => {
  it.each([
    ['jennifer', 'Jennifer_Johnson@Gmail.Com', 'johnson'],
    ['jennifer', 'jenniferjohnson22@outlook.com', 'johnson'],
    ['heather', 'olsonheather@gmail.com', 'olson'],
    ['robert', 'radams@gmail.com', 'adams'],
    ['james', 'james.agarwal+promo@gmail.com', 'agarwal'],
    ['megan', 'meganr@hotmail.com', null],
    ['michael', 'bluefan33@yahoo.com', null],
    ['anna', 'anna.maria.lopez@gmail.com', null],
  ])('reads %s + %s as %j', (given, email, surname) => {
    expect(surnameFromEmail(given, email)).toBe(surname);
  });
});
