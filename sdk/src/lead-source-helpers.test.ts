import { describe, expect, it } from 'vitest';
import { LooseBool, LooseId, LooseInt, blankToNull } from './coerce.ts';
import { dailyWindow, datesBetween, dateInZone } from './daily-window.ts';
import { microsToCents } from './money.ts';
import { attributionFromUrl, mergeClickIds } from './url-attribution.ts';
import { constantTimeEqual, hmacDigest, verifyHmacSignature, webhookBodyBytes } from './webhook-signatures.ts';

describe('webhook signatures', () => {
  it('computes HMACs as the RFCs’ test vectors say (RFC 2202 SHA-1, RFC 4231 SHA-256)', () => {
    const body = 'what do ya want for nothing?';
    expect(hmacDigest('sha1', 'Jefe', body, 'hex')).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
    expect(hmacDigest('sha1', 'Jefe', body, 'base64')).toBe('7/zfauXrL6LSdBbV8YTfnCWafHk=');
    expect(hmacDigest('sha256', 'Jefe', body, 'hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('verifies a prefixed signature and rejects a missing, wrong or differently-keyed one', () => {
    const body = '{"a":1}';
    const given = `sha256=${hmacDigest('sha256', 'app-secret', body, 'hex')}`;
    const check = (g: string | undefined, key = 'app-secret') => verifyHmacSignature({ given: g, body, key, algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' });
    expect(check(given)).toBe(true);
    expect(check(undefined)).toBe(false);
    expect(check(given.slice(0, -1))).toBe(false);
    expect(check(given, 'other-secret')).toBe(false);
    expect(check(given, '')).toBe(false);
  });

  it('verifies over the bytes received, which decoding would alter when they are not UTF-8', () => {
    const rawBody = Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]); // {"n":"é"} in Latin-1
    const request = { body: rawBody.toString('utf8'), rawBody };
    const given = hmacDigest('sha1', 'signing-key', rawBody, 'base64');
    const check = (body: string | Uint8Array) => verifyHmacSignature({ given, body, key: 'signing-key', algorithm: 'sha1', encoding: 'base64' });
    expect(check(webhookBodyBytes(request))).toBe(true);
    expect(check(request.body)).toBe(false);
    // A request built by hand carries no bytes: its text is taken as UTF-8.
    expect(Buffer.from(webhookBodyBytes({ body: '{"n":"é"}' })).equals(Buffer.from('{"n":"é"}', 'utf8'))).toBe(true);
  });

  it('compares secrets of any length without throwing', () => {
    expect(constantTimeEqual('s3cret', 's3cret')).toBe(true);
    expect(constantTimeEqual('s3cret', 's3cret-longer')).toBe(false);
    expect(constantTimeEqual('', 's3cret')).toBe(false);
  });
});

describe('loose source types', () => {
  it('reads ids sent as numbers or strings as strings', () => {
    expect(LooseId.parse(1842)).toBe('1842');
    expect(LooseId.parse(' CAL123 ')).toBe('CAL123');
    expect(LooseId.safeParse('').success).toBe(false);
  });

  it('reads integers and booleans in the spellings sources use', () => {
    expect(LooseInt.parse('13')).toBe(13);
    expect(LooseInt.parse(187)).toBe(187);
    expect(LooseInt.safeParse('13.5').success).toBe(false);
    expect([1, 0, '1', 'false', true].map((v) => LooseBool.parse(v))).toEqual([true, false, true, false, true]);
    expect(blankToNull('  ')).toBeNull();
    expect(blankToNull(' x ')).toBe('x');
  });
});

describe('micros at the edge', () => {
  it.each([
    ['1234560000', 123456], ['5000', 1], ['4999', 0], ['-5000', -1], [10_000, 1], ['9223372036854775807', 922_337_203_685_478], ['1.5', undefined], ['', undefined],
  ] as const)('%s micros → %s cents', (micros, cents) => {
    expect(microsToCents(micros)).toBe(cents);
  });
});

describe('landing-page attribution', () => {
  it('reads UTMs and click ids from the query string, and nothing from what is not a URL', () => {
    const read = attributionFromUrl('https://www.example.test/invisalign/?utm_source=google&utm_medium=cpc&gclid=abc&li_fat_id=L1&utm_term=');
    expect(read).toMatchObject({ source: 'google', medium: 'cpc', campaign: null, term: null, gclid: 'abc', clickIds: { liFatId: 'L1' } });
    expect(attributionFromUrl('/contact?fbclid=IwAR1').clickIds).toEqual({ fbclid: 'IwAR1' });
    expect(attributionFromUrl(null).source).toBeNull();
    expect(mergeClickIds({ fbclid: ' ' }, { msclkid: null })).toBeNull();
    expect(mergeClickIds({ fbclid: 'from-url', gbraid: 'g' }, { fbclid: 'from-field', gbraid: '' })).toEqual({ fbclid: 'from-field', gbraid: 'g' });
  });
});

describe('daily windows', () => {
  const options = { overlapDays: 3, backfillDays: 30, chunkDays: 7 };

  it('backfills on the first run and re-reads the overlap after, through yesterday', () => {
    expect(dailyWindow(undefined, '2025-07-01', options)).toEqual({ from: '2025-06-01', to: '2025-06-30' });
    expect(dailyWindow({ through: '2025-06-30' }, '2025-07-01', options)).toEqual({ from: '2025-06-28', to: '2025-06-30' });
    expect(dailyWindow({ through: '2025-06-30' }, '2025-07-05', options)).toEqual({ from: '2025-06-28', to: '2025-07-04' });
  });

  it('never reaches further back than the source serves', () => {
    expect(dailyWindow(undefined, '2025-07-01', { ...options, backfillDays: 365, maxLookbackDays: 90 })?.from).toBe('2025-04-02');
  });

  it('counts days in the account’s zone', () => {
    expect(dateInZone(new Date('2025-07-01T03:00:00Z'), 'America/Chicago')).toBe('2025-06-30');
    expect(datesBetween('2025-02-27', '2025-03-01')).toEqual(['2025-02-27', '2025-02-28', '2025-03-01']);
  });
});
