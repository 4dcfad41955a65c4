import { issuesFromZod, LooseInt, type GbpMetric, type ParseIssue } from '@sourceline/sdk';
import { z } from 'zod';
import { DailyMetric, dailyMetricFields } from './settings.ts';

const ApiDate = z.object({ year: z.number().int(), month: z.number().int(), day: z.number().int() });

/**
 * The multi-metric response: `multiDailyMetricTimeSeries[].dailyMetricTimeSeries[]`, each a `dailyMetric` and its
 * `timeSeries.datedValues`. `value` is an int64 written as a string, and is left out when it is zero (proto3 JSON).
 * Metrics this connector does not know are skipped, not refused: Google adds metrics.
 */
export const MultiDailyMetricsResponse = z.object({
  multiDailyMetricTimeSeries: z.array(z.object({
    dailyMetricTimeSeries: z.array(z.object({
      dailyMetric: z.string(),
      timeSeries: z.object({ datedValues: z.array(z.object({ date: ApiDate, value: LooseInt.optional() })).default([]) }).default({ datedValues: [] }),
    })).default([]),
  })).default([]),
});

function isoDate({ year, month, day }: z.infer<typeof ApiDate>): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function gbpMetricId(locationId: string, date: string): string {
  return `gbp:${locationId}:${date}`;
}

/**
 * One record per location and day that any series reports. Metrics the response carries count 0 on days without a
 * value (zero is omitted); metrics it does not carry stay null (not requested, not known).
 */
export function metricsOfResponse(body: unknown, locationId: string, label: string): { metrics: GbpMetric[]; issues: ParseIssue[] } {
  const parsed = MultiDailyMetricsResponse.safeParse(body);
  if (!parsed.success) return { metrics: [], issues: issuesFromZod(parsed.error, label) };
  const series = parsed.data.multiDailyMetricTimeSeries.flatMap((m) => m.dailyMetricTimeSeries);
  const known = series.flatMap((s) => {
    const metric = DailyMetric.safeParse(s.dailyMetric);
    return metric.success ? [{ field: dailyMetricFields[metric.data], values: s.timeSeries.datedValues }] : [];
  });
  const byDate = new Map<string, GbpMetric>();
  const blank = (date: string): GbpMetric => ({
    id: gbpMetricId(locationId, date), locationId, date, callClicks: null, websiteClicks: null, directionRequests: null, bookings: null,
    messagingClicks: null, impressionsDesktopMaps: null, impressionsDesktopSearch: null, impressionsMobileMaps: null, impressionsMobileSearch: null,
  });
  for (const { values } of known) for (const { date } of values) if (!byDate.has(isoDate(date))) byDate.set(isoDate(date), blank(isoDate(date)));
  for (const { field, values } of known) {
    const counts = new Map(values.map((v) => [isoDate(v.date), v.value ?? 0]));
    for (const [date, record] of byDate) record[field] = counts.get(date) ?? 0;
  }
  return { metrics: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)), issues: [] };
}
