import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './email.ts';

describe('email normalisation', () => {
  it.each([
    ['Jane.Doe@Gmail.Com', 'janedoe@gmail.com'],
    [' jane.doe@gmail.com ', 'janedoe@gmail.com'],
    ['j.a.n.e.doe+dentist@gmail.com', 'janedoe@gmail.com'],
    ['jane.doe@googlemail.com', 'janedoe@gmail.com'],
    ['jane.doe+promo@outlook.com', 'jane.doe@outlook.com'],
    ['jane.doe@gmial.com', 'janedoe@gmail.com'],
    ['jane.doe@gmai.com', 'janedoe@gmail.com'],
    ['jane.doe@gmail.con', 'janedoe@gmail.com'],
    ['jane@yaho.com', 'jane@yahoo.com'],
    ['jane@yahooo.com', 'jane@yahoo.com'],
    ['jane@hotmial.com', 'jane@hotmail.com'],
    ['jane@hotmail.co', 'jane@hotmail.com'],
    ['jane@iclod.com', 'jane@icloud.com'],
    ['jane@aool.com', 'jane@aol.com'],
    ['jane@sbcglobalnet', 'jane@sbcglobal.net'],
    ['jane@sbcgloabl.net', 'jane@sbcglobal.net'],
    ['jane@at.tnet', 'jane@att.net'],
    ['jane@comcast..net', 'jane@comcast.net'],
    ['jane@acme-dental.com', 'jane@acme-dental.com'],
    ['jane@osu.edu', 'jane@osu.edu'],
  ])('canonicalises %s to %s', (raw, canonical) => {
    expect(normalizeEmail(raw)).toBe(canonical);
  });

  it.each(['', 'jane', '@gmail.com', 'jane@', 'jane doe@gmail.com', 'none@none.com', 'noemail@gmail.com', 'test@test.com', 'asdf@asdf.com', 'x@na.com', 'seo@rankfast.example'])(
    'refuses %j, which identifies nobody',
    (raw) => {
      expect(normalizeEmail(raw)).toBeNull();
    },
  );

  it('corrects a domain the same way however often it comes, past the bound of remembered corrections', () => {
    expect(normalizeEmail('jane.doe@gmial.com')).toBe('janedoe@gmail.com');
    for (let i = 0; i < 5_500; i++) expect(normalizeEmail(`jane@smiles-${i}.org`)).toBe(`jane@smiles-${i}.org`);
    expect(normalizeEmail('jane.doe@gmial.com')).toBe('janedoe@gmail.com');
    expect(normalizeEmail('jane@yaho.com')).toBe('jane@yahoo.com');
  });
});
