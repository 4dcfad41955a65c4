import { describe, expect, it } from 'vitest';
import type { StoredPatientAttribution, StoredTouchpoint } from '../attribution/practice/patient-attribution.ts';
import type { LinkedAdClick } from '../matching/practice/linked-ad-clicks.ts';
import { conversionOrderId } from './conversion-order-id.ts';
import { patientAdConversion, type PatientAdConversionInput } from './patient-ad-conversion.ts';

const touch = (id: string, weight: number, channel: StoredTouchpoint['channel'] = 'paid-search'): StoredTouchpoint => ({
  id: `lead:${id}`, origin: 'lead', channel, campaign: null, adGroup: null, keyword: null, day: '2026-01-08', daysBeforeFirstVisit: 12,
  credits: { 'position-based': weight, linear: 1 / 3, 'first-touch': 0 },
});

function patient(touchpoints: StoredTouchpoint[], productionCents = 120_000): StoredPatientAttribution {
  return {
    patientId: '0190a000-0000-7000-8000-000000000001', firstVisitOn: '2026-01-20', locationId: null, primaryChannel: 'email', touchpoints,
    primaryContributing: { primary: null, contributing: [] } as unknown as StoredPatientAttribution['primaryContributing'],
    productionLevel1Cents: productionCents, productionLevel2Cents: 0, productionLevel3Cents: 0, collectionsLevel1Cents: 0, collectionsLevel2Cents: 0,
  };
}

const click = (leadId: string, occurredAt: string, ids: Partial<Pick<LinkedAdClick, 'gclid' | 'gbraid' | 'wbraid'>> = { gclid: `Cj0K${leadId}` }): LinkedAdClick => ({
  patientId: '0190a000-0000-7000-8000-000000000001', leadId, occurredAt: new Date(occurredAt), gclid: null, gbraid: null, wbraid: null, ...ids,
});

// Email first, the Google click in the middle, a call last: position based gives the click 20%.
const threeTouches = [touch('email', 0.4, 'email'), touch('ad', 0.2), touch('call', 0.4, 'direct')];
const input = (overrides: Partial<PatientAdConversionInput> = {}): PatientAdConversionInput => ({
  patient: patient(threeTouches), clicks: [click('ad', '2026-01-08T16:00:00Z')], model: 'position-based', timeZone: 'America/Chicago',
  attribution: 'external', now: new Date('2026-03-01T00:00:00Z'), clickWindowDays: 90, ...overrides,
});

describe('a new patient as a Google Ads conversion', () => {
  it('reports the click’s credit under the default model and the production that credit earns, at the end of the first-visit day', () => {
    expect(patientAdConversion(input())).toEqual({
      conversion: {
        patientId: '0190a000-0000-7000-8000-000000000001', orderId: conversionOrderId('new_patient', '0190a000-0000-7000-8000-000000000001'),
        click: { kind: 'gclid', id: 'Cj0Kad' }, conversionTime: '2026-01-21T05:59:59.000Z', valueCents: 24_000, credit: 0.2,
      },
    });
  });

  it('gives Google the whole production and no credit when the action uses Google’s own attribution', () => {
    expect(patientAdConversion(input({ attribution: 'google' }))).toMatchObject({ conversion: { valueCents: 120_000, credit: null } });
  });

  it('splits cents exactly: thirds of a dollar and one cent go to the largest remainder, as attribution splits them', () => {
    const thirds = patient([touch('email', 1 / 3, 'email'), touch('ad', 1 / 3), touch('call', 1 / 3, 'direct')], 100);
    expect(patientAdConversion(input({ patient: thirds }))).toMatchObject({ conversion: { valueCents: 33, credit: 0.333333 } });
  });

  it('keeps its order id across uploads and gives Google no chart id', () => {
    const id = conversionOrderId('new_patient', '0190a000-0000-7000-8000-000000000001');
    expect(id).toMatch(/^new_patient-[0-9a-f]{32}$/);
    expect(id).not.toContain('0190a000');
    expect(conversionOrderId('new_patient', '0190a000-0000-7000-8000-000000000002')).not.toBe(id);
  });

  it('adds up the credit of every Google click that is a touch, and reports the latest of them', () => {
    const both = patient([touch('ad1', 0.4), touch('email', 0.2, 'email'), touch('ad2', 0.4)]);
    const outcome = patientAdConversion(input({ patient: both, clicks: [click('ad1', '2026-01-02T16:00:00Z'), click('ad2', '2026-01-15T16:00:00Z')] }));
    expect(outcome).toMatchObject({ conversion: { click: { id: 'Cj0Kad2' }, credit: 0.8, valueCents: 96_000 } });
  });

  it('gives a click on a repeat contact no credit: skipped under external attribution, reported under Google’s', () => {
    const repeat = input({ clicks: [click('repeat', '2026-01-10T16:00:00Z')] });
    expect(patientAdConversion(repeat)).toEqual({ skipped: 'no-credit-under-model' });
    expect(patientAdConversion({ ...repeat, attribution: 'google' })).toMatchObject({ conversion: { click: { id: 'Cj0Krepeat' }, valueCents: 120_000 } });
  });

  it('skips a model that gives Google nothing (first touch went to the e-mail)', () => {
    expect(patientAdConversion(input({ model: 'first-touch' }))).toEqual({ skipped: 'no-credit-under-model' });
  });

  it('takes a gbraid or wbraid when the lead has no gclid, and ignores click ids that are not Google’s', () => {
    expect(patientAdConversion(input({ clicks: [click('ad', '2026-01-08T16:00:00Z', { gbraid: 'GBRAIDxyz' })] }))).toMatchObject({ conversion: { click: { kind: 'gbraid', id: 'GBRAIDxyz' } } });
    expect(patientAdConversion(input({ clicks: [click('ad', '2026-01-08T16:00:00Z', { gclid: '=HYPERLINK("x")', wbraid: 'WBRAIDxyz' })] }))).toMatchObject({ conversion: { click: { kind: 'wbraid' } } });
    expect(patientAdConversion(input({ clicks: [click('ad', '2026-01-08T16:00:00Z', { gclid: '=1+1' })] }))).toEqual({ skipped: 'malformed-click-id' });
  });

  it('names why nothing is reported: clicks after the visit, clicks past the window, a day not over, negative production', () => {
    // 20 January ends at 05:59:59Z on the 21st in Chicago: a click at 06:00Z is the next day there.
    expect(patientAdConversion(input({ clicks: [click('ad', '2026-01-21T06:00:00Z')] }))).toEqual({ skipped: 'click-after-visit' });
    expect(patientAdConversion(input({ clicks: [click('ad', '2026-01-21T05:59:59Z')] }))).toMatchObject({ conversion: { click: { id: 'Cj0Kad' } } });
    expect(patientAdConversion(input({ clickWindowDays: 10 }))).toEqual({ skipped: 'click-outside-window' });
    expect(patientAdConversion(input({ now: new Date('2026-01-21T05:59:58Z') }))).toEqual({ skipped: 'visit-day-not-over' });
    expect(patientAdConversion(input({ patient: patient(threeTouches, -500) }))).toEqual({ skipped: 'negative-production' });
  });

  it('writes the end of the day with the summer offset in summer', () => {
    const summer = { ...patient(threeTouches), firstVisitOn: '2026-07-15' };
    const july = input({ patient: summer, clicks: [click('ad', '2026-07-01T16:00:00Z')], now: new Date('2026-08-01T00:00:00Z') });
    expect(patientAdConversion(july)).toMatchObject({ conversion: { conversionTime: '2026-07-16T04:59:59.000Z' } });
  });
});
