import { describe, expect, it } from 'vitest';
import { buildUploadClickConversionsRequest, googleAdsSettings, renderClickConversionsCsv } from '../src/index.ts';

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
});
