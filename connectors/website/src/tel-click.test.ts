import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import website from './index.ts';
import { parseTelClick } from './tel-click.ts';

const settings = { allowedOrigins: ['https://www.example-dental.test'] };
const webhook = website.webhooks[0]!;

describe('tel: link taps', () => {
  it('become click-to-call leads with the landing touch and the practice number as tracking number, no identity', async () => {
    const body = await readFile(new URL('../fixtures/tel-click.json', import.meta.url), 'utf8');
    const { records, issues } = parseTelClick(body);
    expect(issues).toEqual([]);
    expect(records).toEqual([
      {
        kind: 'lead',
        record: expect.objectContaining({
          id: 'web:tel:2f0c6f5e-7d1a-4bb8-9a55-0b8f1e2d3c4a',
          kind: 'click-to-call',
          source: 'google',
          medium: 'cpc',
          campaign: 'Implants - Phoenix',
          keyword: 'dental implants near me',
          gclid: 'Cj0KCQjw-EXAMPLE',
          trackingNumber: '+15550109001',
          phone: null,
          name: null,
          email: null,
          landingPage: 'https://www.example-dental.test/implants/?gclid=Cj0KCQjw-EXAMPLE',
        }),
      },
    ]);
  });

  it('accepts taps from the practice’s site only', () => {
    const request = (origin: string) => ({ method: 'POST', headers: { origin }, body: '{}', url: 'https://app/hooks/x/collect' });
    expect(webhook.verify(request('https://www.example-dental.test'), settings)).toBe(true);
    expect(webhook.verify(request('https://evil.test'), settings)).toBe(false);
    expect(webhook.verify({ ...request(''), headers: {} }, settings)).toBe(false);
  });

  it('names what is wrong with a malformed event', () => {
    expect(parseTelClick('{"type":"tel_click","id":"x"}').issues.map((i) => i.field)).toEqual(expect.arrayContaining(['id', 'ts', 'tel', 'page']));
    expect(parseTelClick('not json').issues).toEqual([{ record: 'payload', field: '(body)', message: 'not JSON' }]);
  });
});
