import { dayCursor, defineStream, emitted, localDateTimeToUtc, microsToCents, syncDailyWindow, type DayCursor, type Lead, type StreamDefinition } from '@sourceline/sdk';
import type { z } from 'zod';
import { CallViewRow, CampaignDayRow, ClickViewRow } from '../gaql-rows.ts';
import { GoogleAdsClient } from '../google-ads-api.ts';
import type { GoogleAdsSettings } from '../settings.ts';
import { emitRecords, mapSearchRows, parseSavedSearch, type RowMapper } from './search-results.ts';

/** Google's click_view serves 90 days back from the request; one day of margin for the account's zone. */
const clickViewLookbackDays = 89;

interface DailyQuery<Row> {
  name: string;
  description: string;
  emits: StreamDefinition<GoogleAdsSettings, DayCursor>['emits'];
  /** Days per query: click_view must be queried one day at a time. */
  chunkDays: number;
  maxLookbackDays?: number;
  query(from: string, to: string): string;
  schema: z.ZodType<Row>;
  map(settings: Partial<GoogleAdsSettings>): RowMapper<Row>;
}

function dailyStream<Row>(spec: DailyQuery<Row>): StreamDefinition<GoogleAdsSettings, DayCursor> {
  return defineStream<GoogleAdsSettings, DayCursor>({
    name: spec.name,
    description: spec.description,
    emits: spec.emits,
    defaultIntervalMinutes: 6 * 60,
    cursor: dayCursor,
    async sync(ctx) {
      const client = new GoogleAdsClient(ctx.http, ctx.settings);
      const map = spec.map(ctx.settings);
      const options = {
        overlapDays: ctx.settings.overlapDays, chunkDays: spec.chunkDays, maxLookbackDays: spec.maxLookbackDays,
        backfillDays: Math.min(ctx.settings.backfillDays, spec.maxLookbackDays ?? ctx.settings.backfillDays),
      };
      await syncDailyWindow(ctx, options, async (from, to) => {
        let rows = 0;
        for await (const page of client.searchPages(spec.query(from, to))) {
          const { records, issues } = mapSearchRows(page.results, spec.schema, map, `${spec.name} ${from}`);
          if (issues.length) ctx.reject(issues);
          await emitRecords(ctx, records);
          rows += page.results.length;
        }
        ctx.log.info('days synced', { stream: spec.name, from, to, rows });
      });
    },
    parse: (payload, settings) => parseSavedSearch(payload, spec.schema, spec.map(settings)),
  });
}

/**
 * Daily cost per campaign. `cost_micros` (millionths, an int64 string) becomes integer cents here, once, rounding
 * half away from zero; the currency is the account's.
 */
export const spendStream = dailyStream({
  name: 'spend',
  description: 'Daily cost, clicks and impressions per campaign',
  emits: ['spend'],
  chunkDays: 7,
  query: (from, to) => 'SELECT customer.id, customer.currency_code, campaign.id, campaign.name, segments.date, metrics.cost_micros, '
    + `metrics.clicks, metrics.impressions FROM campaign WHERE segments.date BETWEEN '${from}' AND '${to}'`,
  schema: CampaignDayRow,
  map: () => ({ customer, campaign, segments, metrics }) => {
    const costCents = microsToCents(metrics.costMicros);
    if (costCents === undefined) return undefined;
    return emitted('spend', {
      id: `${campaign.id}:${segments.date}`, date: segments.date, source: 'google', medium: 'cpc', campaign: campaign.name, adGroup: null,
      costCents, currency: customer.currencyCode, clicks: metrics.clicks, impressions: metrics.impressions,
    });
  },
});

/** One row per click (invalid clicks included), joining a gclid to its campaign, ad group and keyword. */
export const clicksStream = dailyStream({
  name: 'clicks',
  description: 'click_view: each ad click’s gclid with its campaign, ad group and keyword (last 90 days only)',
  emits: ['ad-click'],
  chunkDays: 1,
  maxLookbackDays: clickViewLookbackDays,
  // click_view must be filtered to exactly one day.
  query: (day) => 'SELECT customer.id, click_view.gclid, click_view.keyword_info.text, click_view.keyword_info.match_type, '
    + 'campaign.id, campaign.name, campaign.advertising_channel_type, ad_group.id, ad_group.name, segments.date '
    + `FROM click_view WHERE segments.date = '${day}'`,
  schema: ClickViewRow,
  map: () => ({ customer, clickView, campaign, adGroup, segments }) => emitted('ad-click', {
    id: `gads:click:${clickView.gclid}`, network: 'google-ads', accountId: customer.id, clickId: clickView.gclid, clickedOn: segments.date,
    campaignId: campaign.id, campaignName: campaign.name ?? null, adGroupId: adGroup?.id ?? null, adGroupName: adGroup?.name ?? null,
    keyword: clickView.keywordInfo?.text ?? null, matchType: clickView.keywordInfo?.matchType ?? null,
    campaignType: campaign.advertisingChannelType ?? null,
  }),
});

/**
 * Calls through Google forwarding numbers (call ads, call assets, the website snippet). Google gives no caller number
 * and no gclid, only the caller's area code, so these leads match other calls by time and duration only. A tap on
 * the ad's call button is a click-to-call; a call to the number shown on the landing page is a call.
 */
export const callsStream = dailyStream({
  name: 'calls',
  description: 'call_view: calls from call ads and call assets, with campaign and ad group',
  emits: ['lead'],
  chunkDays: 7,
  query: (from, to) => 'SELECT customer.id, customer.time_zone, call_view.resource_name, call_view.start_call_date_time, '
    + 'call_view.call_duration_seconds, call_view.call_status, call_view.call_tracking_display_location, call_view.caller_area_code, '
    + 'call_view.type, campaign.id, campaign.name, ad_group.id, ad_group.name FROM call_view '
    + `WHERE call_view.start_call_date_time >= '${from} 00:00:00' AND call_view.start_call_date_time <= '${to} 23:59:59'`,
  schema: CallViewRow,
  map: (settings) => (row) => emitted('lead', callViewToLead(row, settings.locationId ?? null)),
});

export function callViewToLead({ customer, callView, campaign, adGroup }: z.infer<typeof CallViewRow>, locationId: string | null): Lead {
  const callDetailId = callView.resourceName.split('/').at(-1)!;
  return {
    // `start_call_date_time` is wall-clock time in the account's zone.
    id: `gads:call:${customer.id}:${callDetailId}`, occurredAt: localDateTimeToUtc(callView.startCallDateTime, customer.timeZone),
    kind: callView.callTrackingDisplayLocation === 'LANDING_PAGE' ? 'call' : 'click-to-call', channel: null,
    source: 'google', medium: 'cpc', campaign: campaign.name ?? null, adGroup: adGroup?.name ?? null, keyword: null, gclid: null,
    name: null, phone: null, email: null, landingPage: null, message: null, durationSeconds: callView.callDurationSeconds, locationId,
    referrer: null, clickIds: null, trackingNumber: null, sourceLabel: null, campaignId: campaign.id, adId: null, isFirstContact: null,
  };
}
