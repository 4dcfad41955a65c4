import { describe, expect, it } from 'vitest';
import { buildUploadClickConversionsRequest, googleAdsSettings, readUploadClickConversionsResponse, renderClickConversionsCsv } from '../src/index.ts';

describe('offline conversion import file', () => {
  it('writes the Parameters:TimeZone row, the Google Click ID header and wall-clock times in that zone', () => {
    const csv = renderClickConversionsCsv([
      { gclid: 'EAIaIQobChMIfake0gclid0value', conversionName: 'Treatment accepted', conversionTime: '2025-04-02T20:10:00Z', valueCents: 485_000, currency: 'USD' },
      { gclid: 'Cj0KCQjw-abc_123', conversionName: 'New patient, first visit', conversionTime: '2025-01-15T15:00:00.000Z', valueCents: 5, currency: 'USD' },
    ], { timeZone: 'America/Chicago' });
    expect(csv).toBe([
      'Parameters:TimeZone=America/Chicago',
      'Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency',
      'EAIaIQobChMIfake0gclid0value,Treatment accepted,2025-04-02 15:10:00,4850.00,USD',
      'Cj0KCQjw-abc_123,"New patient, first visit",2025-01-15 09:00:00,0.05,USD',
      '',
    ].join('\r\n'));
  });

  it('refuses a zone that is not IANA, negative values and names a spreadsheet would run as formulas', () => {
    const row = { gclid: 'g', conversionName: 'Booked', conversionTime: '2025-04-02T20:10:00Z', valueCents: 100, currency: 'USD' };
    expect(() => renderClickConversionsCsv([row], { timeZone: 'Central' })).toThrow(RangeError);
    expect(() => renderClickConversionsCsv([{ ...row, valueCents: -1 }], { timeZone: 'UTC' })).toThrow();
    expect(() => renderClickConversionsCsv([{ ...row, conversionName: '=HYPERLINK("x")' }], { timeZone: 'UTC' })).toThrow(/formula/);
    expect(() => renderClickConversionsCsv([{ ...row, gclid: '=1+1' }], { timeZone: 'UTC' })).toThrow(/click id/);
  });

  it('writes Google’s externally attributed template: the model parameter, then Attributed Credit between time and value', () => {
    const csv = renderClickConversionsCsv([
      { gclid: 'EAIaIQobChMIfake0gclid0value', conversionName: 'New patient', conversionTime: '2025-07-02T04:59:59Z', valueCents: 24_000, currency: 'USD', attributedCredit: 0.2 },
    ], { timeZone: 'America/Chicago', externalAttributionModel: 'Sourceline Position based (40/20/40)' });
    expect(csv).toBe([
      'Parameters:Attribution Model = Sourceline Position based (40/20/40)',
      'Parameters:TimeZone=America/Chicago',
      'Google Click ID,Conversion Name,Conversion Time,Attributed Credit,Conversion Value,Conversion Currency',
      'EAIaIQobChMIfake0gclid0value,New patient,2025-07-01 23:59:59,0.2,240.00,USD',
      '',
    ].join('\r\n'));
  });

  it('refuses a credit without the external template, a row without credit in it, zero credit and a model name with commas', () => {
    const row = { gclid: 'g', conversionName: 'Booked', conversionTime: '2025-04-02T20:10:00Z', valueCents: 100, currency: 'USD' };
    const external = { timeZone: 'UTC', externalAttributionModel: 'Linear' };
    expect(() => renderClickConversionsCsv([{ ...row, attributedCredit: 0.5 }], { timeZone: 'UTC' })).toThrow(/externalAttributionModel/);
    expect(() => renderClickConversionsCsv([row], external)).toThrow(/attributedCredit/);
    expect(() => renderClickConversionsCsv([{ ...row, attributedCredit: 0 }], external)).toThrow();
    expect(() => renderClickConversionsCsv([], { timeZone: 'UTC', externalAttributionModel: 'Linear, mostly' })).toThrow(/commas/);
  });
});

describe('UploadClickConversions request', () => {
  const settings = googleAdsSettings.parse({ clientId: 'c', clientSecret: 's', refreshToken: 'r', developerToken: 'dev-token', customerId: '1234567890', loginCustomerId: '111-222-3333' });

  it('builds the spec’s request: action resource names, offset date-times, partialFailure always true', () => {
    const request = buildUploadClickConversionsRequest(settings, {
      timeZone: 'America/Chicago',
      conversions: [{ gclid: 'EAIaIQobChMIfake0gclid0value', conversionActionId: '987654321', conversionTime: '2025-04-02T20:10:00Z', valueCents: 485_000, currency: 'USD', orderId: 'treatment_accepted-crm-000981' }],
    });
    expect(request).toEqual({
      method: 'POST',
      url: 'https://googleads.googleapis.com/v21/customers/1234567890:uploadClickConversions',
      headers: { 'content-type': 'application/json', 'developer-token': 'dev-token', 'login-customer-id': '1112223333' },
      body: {
        conversions: [{
          gclid: 'EAIaIQobChMIfake0gclid0value', conversionAction: 'customers/1234567890/conversionActions/987654321',
          conversionDateTime: '2025-04-02 15:10:00-05:00', conversionValue: 4850, currencyCode: 'USD', orderId: 'treatment_accepted-crm-000981',
        }],
        partialFailure: true,
      },
    });
  });

  it('writes the winter offset in winter and marks a dry run', () => {
    const request = buildUploadClickConversionsRequest(settings, {
      timeZone: 'America/Chicago', validateOnly: true,
      conversions: [{ gclid: 'g', conversionActionId: '1', conversionTime: '2025-01-15T15:00:00Z', valueCents: 1999, currency: 'USD', orderId: 'o-1' }],
    });
    expect(request.body.conversions[0]).toMatchObject({ conversionDateTime: '2025-01-15 09:00:00-06:00', conversionValue: 19.99 });
    expect(request.body.validateOnly).toBe(true);
  });

  it('sends external attribution data without an order id, and a wbraid in place of a gclid', () => {
    const request = buildUploadClickConversionsRequest(settings, {
      timeZone: 'America/Chicago',
      conversions: [{ wbraid: 'wbraid_abc', conversionActionId: '1', conversionTime: '2025-07-02T04:59:59Z', valueCents: 24_000, currency: 'USD', externalAttribution: { credit: 0.2, model: 'Linear' } }],
    });
    expect(request.body.conversions).toEqual([{
      wbraid: 'wbraid_abc', conversionAction: 'customers/1234567890/conversionActions/1', conversionDateTime: '2025-07-01 23:59:59-05:00',
      conversionValue: 240, currencyCode: 'USD', externalAttributionData: { externalAttributionCredit: 0.2, externalAttributionModel: 'Linear' },
    }]);
  });

  it('refuses two click ids, none, and an order id beside external attribution data (Google refuses all three)', () => {
    const base = { conversionActionId: '1', conversionTime: '2025-01-15T15:00:00Z', valueCents: 1, currency: 'USD' };
    const build = (c: Record<string, unknown>) => () => buildUploadClickConversionsRequest(settings, { timeZone: 'UTC', conversions: [{ ...base, ...c }] });
    expect(build({ gclid: 'g', gbraid: 'b' })).toThrow(/exactly one/);
    expect(build({})).toThrow(/exactly one/);
    expect(build({ gclid: 'g', orderId: 'o-1', externalAttribution: { credit: 1, model: 'Linear' } })).toThrow(/order id/);
  });
});

describe('UploadClickConversions response', () => {
  const failure = (index: number | undefined, code: string) => ({
    errorCode: { conversionUploadError: code }, message: `${code} happened`,
    ...(index === undefined ? {} : { location: { fieldPathElements: [{ fieldName: 'conversions', index }] } }),
  });

  it('reads each conversion’s verdict from the partial failure’s locations, and the job id as text', () => {
    const result = readUploadClickConversionsResponse({
      results: [{ gclid: 'a', conversionAction: 'x', conversionDateTime: 't' }, {}, {}],
      partialFailureError: { code: 3, message: 'm', details: [{ '@type': 'type.googleapis.com/google.ads.googleads.v21.errors.GoogleAdsFailure', errors: [failure(2, 'EVENT_NOT_FOUND'), failure(1, 'ORDER_ID_ALREADY_IN_USE')] }] },
      jobId: '4000000001',
    }, 3);
    expect(result).toEqual({
      jobId: '4000000001',
      outcomes: [
        { accepted: true },
        { accepted: false, code: 'ORDER_ID_ALREADY_IN_USE', kind: 'conversionUploadError', message: 'ORDER_ID_ALREADY_IN_USE happened' },
        { accepted: false, code: 'EVENT_NOT_FOUND', kind: 'conversionUploadError', message: 'EVENT_NOT_FOUND happened' },
      ],
    });
  });

  it('applies an error located nowhere to every conversion, and calls a missing result a failure outside a dry run', () => {
    const whole = readUploadClickConversionsResponse({ results: [{}, {}], partialFailureError: { details: [{ errors: [failure(undefined, 'UNAUTHORIZED_CUSTOMER')] }] } }, 2);
    expect(whole.outcomes.map((o) => (o.accepted ? 'ok' : o.code))).toEqual(['UNAUTHORIZED_CUSTOMER', 'UNAUTHORIZED_CUSTOMER']);
    expect(readUploadClickConversionsResponse({}, 1).outcomes).toEqual([{ accepted: false, code: 'NO_RESULT', kind: 'unknown', message: expect.any(String) }]);
    expect(readUploadClickConversionsResponse({}, 1, { validateOnly: true })).toEqual({ jobId: null, outcomes: [{ accepted: true }] });
    expect(() => readUploadClickConversionsResponse({ results: 'nope' }, 1)).toThrow(/unexpected answer/);
  });
});
