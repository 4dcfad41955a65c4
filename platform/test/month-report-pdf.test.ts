import { describe, expect, it } from 'vitest';
import type { PerformanceFigures } from '../src/reports/practice-performance.ts';
import { renderMonthReport } from '../src/reports/pdf/month-report-pdf.ts';
import { pdfText } from './pdf-text.ts';

const figures: PerformanceFigures = {
  leads: 9_000, linkedLeads: 6_000, newPatients: 5_512, creditedPatients: 5_512, productionLevel1Cents: 100_000_00, productionLevel2Cents: 0,
  productionLevel3Cents: 0, productionCents: 100_000_00, collectionsCents: 0, spendCents: 0, costPerLeadCents: null, costPerPatientCents: null,
  returnOnSpend: null,
};
const month = { month: '2026-10', from: '2026-10-01', to: '2026-10-31', model: 'linear' as const, totals: figures, channels: [], campaigns: [] };
const listed = Array.from({ length: 3 }, (_, i) => ({ name: `Patient ${i}`, firstVisitOn: '2026-10-02', channel: 'paid-search' as const, productionCents: 100 }));

describe('the month-end PDF', () => {
  it('says when its patient list is not the whole month, and where the rest are', async () => {
    const pdf = await renderMonthReport({ practiceName: 'Big Dental', figures: month, frozen: null, patients: { total: 5_512, listed }, generatedAt: new Date() });
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain("New patients (the first 3 of 5,512; the channels' CSV exports list all)");
    const whole = await renderMonthReport({ practiceName: 'Big Dental', figures: month, frozen: null, patients: { total: 3, listed }, generatedAt: new Date() });
    expect(pdfText(whole).replace(/\s+/g, ' ')).toContain('New patients (3)');
  });
});
