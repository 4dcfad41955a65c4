import { createHash } from 'node:crypto';
import { issuesFromZod, type Ga4Metric, type ParseIssue } from '@sourceline/sdk';
import { z } from 'zod';

/**
 * A `runReport` response: header arrays name the columns, each row carries `dimensionValues` and `metricValues` in
 * header order, all values strings (`date` as `YYYYMMDD`, counts as integers in text). Columns are found by header
 * name, never by position.
 */
export const RunReportResponse = z.object({
  dimensionHeaders: z.array(z.object({ name: z.string() })).default([]),
  metricHeaders: z.array(z.object({ name: z.string(), type: z.string().optional() })).default([]),
  rows: z.array(z.object({
    dimensionValues: z.array(z.object({ value: z.string().default('') })),
    metricValues: z.array(z.object({ value: z.string().default('0') })),
  })).default([]),
  rowCount: z.number().int().default(0),
});
export type RunReportResponse = z.infer<typeof RunReportResponse>;

/**
 * `ga4:{property}:{date}:{digest}`: a (source, medium, campaign) triple has no id of its own and campaign names can be
 * long, so the triple is digested to keep ids short and stable.
 */
export function ga4MetricId(propertyId: string, date: string, source: string, medium: string, campaign: string): string {
  const digest = createHash('sha256').update(`${source}\u0000${medium}\u0000${campaign}`).digest('hex').slice(0, 16);
  return `ga4:${propertyId}:${date}:${digest}`;
}

export function metricsOfReport(report: RunReportResponse, propertyId: string, label: string): { metrics: Ga4Metric[]; issues: ParseIssue[] } {
  const dimension = (name: string) => report.dimensionHeaders.findIndex((h) => h.name === name);
  const metric = (name: string) => report.metricHeaders.findIndex((h) => h.name === name);
  const columns = { date: dimension('date'), source: dimension('sessionSource'), medium: dimension('sessionMedium'), campaign: dimension('sessionCampaignName') };
  const missing = Object.entries(columns).find(([, index]) => index < 0);
  if (missing) return { metrics: [], issues: [{ record: label, field: `dimensionHeaders.${missing[0]}`, message: 'the report lacks this dimension' }] };
  const metrics: Ga4Metric[] = [];
  const issues: ParseIssue[] = [];
  report.rows.forEach((row, i) => {
    const text = (index: number) => row.dimensionValues[index]?.value ?? '';
    const count = (name: string): number | null => {
      const index = metric(name);
      if (index < 0) return null;
      const value = Number(row.metricValues[index]?.value ?? '0');
      return Number.isSafeInteger(value) && value >= 0 ? value : Number.NaN;
    };
    const yyyymmdd = text(columns.date);
    if (!/^\d{8}$/.test(yyyymmdd)) {
      issues.push({ record: `${label} row ${i + 1}`, field: 'date', message: 'expected YYYYMMDD' });
      return;
    }
    const date = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
    const [source, medium, campaign] = [text(columns.source), text(columns.medium), text(columns.campaign)];
    const record: Ga4Metric = {
      id: ga4MetricId(propertyId, date, source, medium, campaign), propertyId, date, source, medium, campaign,
      sessions: count('sessions') ?? 0, totalUsers: count('totalUsers') ?? 0, newUsers: count('newUsers'),
      engagedSessions: count('engagedSessions'), keyEvents: count('keyEvents') ?? count('conversions'),
    };
    const bad = Object.entries(record).find(([, v]) => typeof v === 'number' && Number.isNaN(v));
    if (bad) issues.push({ record: `${label} row ${i + 1}`, field: bad[0], message: 'not a whole count' });
    else metrics.push(record);
  });
  return { metrics, issues };
}

export function readReport(body: unknown, label: string): { report: RunReportResponse } | { issues: ParseIssue[] } {
  const parsed = RunReportResponse.safeParse(body);
  return parsed.success ? { report: parsed.data } : { issues: issuesFromZod(parsed.error, label) };
}
