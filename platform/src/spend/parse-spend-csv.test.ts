import { describe, expect, it } from 'vitest';
import { classifyLead } from '../channels/index.ts';
import { parseSpendCsv } from './parse-spend-csv.ts';

const channelOf = (touch: { source: string; medium: string | null; campaign: string | null }) => classifyLead(touch).channel;

describe('reading a spend file', () => {
  it('reads channels by name or id, classifies source and medium, and parses amounts to cents once', () => {
    const csv = [
      'Date,Channel,Source,Medium,Campaign,Amount',
      '2025-03-01,Offline / Other,radio,,WXYZ morning spots,"$1,234.56"',
      '3/2/2025,referral-web,yelp,,Yelp listing,250',
      '2025-03-03,,google,cpc,Implants,80.5',
    ].join('\n');
    const { rows, problems } = parseSpendCsv(csv, channelOf);
    expect(problems).toEqual([]);
    expect(rows.map((r) => ({ line: r.line, ...r.entry }))).toEqual([
      { line: 2, date: '2025-03-01', channel: 'offline-other', source: 'radio', medium: null, campaign: 'WXYZ morning spots', amountCents: 123456, currency: 'USD' },
      { line: 3, date: '2025-03-02', channel: 'referral-web', source: 'yelp', medium: null, campaign: 'Yelp listing', amountCents: 25000, currency: 'USD' },
      { line: 4, date: '2025-03-03', channel: 'paid-search', source: 'google', medium: 'cpc', campaign: 'Implants', amountCents: 8050, currency: 'USD' },
    ]);
  });

  it('accepts GA4’s combined source / medium column and a currency', () => {
    const { rows, problems } = parseSpendCsv('date,source / medium,amount,currency\n2025-03-01,facebook / paid_social,99.99,cad', channelOf);
    expect(problems).toEqual([]);
    expect(rows[0]?.entry).toMatchObject({ channel: 'paid-social', source: 'facebook', medium: 'paid_social', campaign: '(not set)', currency: 'CAD' });
  });

  it('names every problem by line and column instead of stopping at the first', () => {
    const csv = [
      'date,channel,campaign,amount',
      '2025-02-30,Paid Search,Implants,10',
      '2025-03-01,Billboards,Highway,10',
      '2025-03-01,Display,Retargeting,12,34.5',
      '2025-03-02,Display,Retargeting,-5',
      '2025-03-03,Email,Newsletter,1.234',
      '2025-03-04,Email,Newsletter,5',
      '2025-03-04,email,newsletter,6',
    ].join('\n');
    const { problems } = parseSpendCsv(csv, channelOf);
    expect(problems.map((p) => [p.line, p.column])).toEqual([
      [2, 'date'], [3, 'channel'], [4, null], [5, 'amount'], [6, 'amount'], [8, null],
    ]);
    expect(problems.find((p) => p.line === 8)?.message).toMatch(/as line 7/);
  });

  it('refuses a header without the columns it needs, or with unknown ones', () => {
    expect(parseSpendCsv('day,cost\n2025-03-01,5', channelOf).problems).toEqual([
      { line: 1, column: 'column 1', message: expect.stringMatching(/^an unknown column: use date, /) },
      { line: 1, column: 'date', message: 'the "date" column is missing' },
      { line: 1, column: 'channel', message: expect.any(String) },
    ]);
    expect(parseSpendCsv('', channelOf).problems[0]?.message).toBe('the file is empty');
  });

  it('reports broken CSV quoting with its line', () => {
    const { problems } = parseSpendCsv('date,channel,amount\n2025-03-01,"Display,5\n', channelOf);
    expect(problems).toEqual([{ line: expect.any(Number), column: null, message: expect.stringMatching(/not valid CSV/) }]);
  });
});
