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
});
