import { LooseInt } from '@sourceline/sdk';
import { z } from 'zod';

/**
 * GoogleAdsService.Search over REST answers `{ results, nextPageToken, fieldMask }`; each result nests the selected
 * fields by resource in camelCase (`click_view.keyword_info.text` → `clickView.keywordInfo.text`), int64 values as
 * strings, and omits fields that are unset or zero.
 */
export const SearchResponse = z.object({
  results: z.array(z.unknown()).default([]),
  nextPageToken: z.string().optional(),
  fieldMask: z.string().optional(),
});
export type SearchResponse = z.infer<typeof SearchResponse>;

const Int64 = z.string().regex(/^-?\d+$/, 'an int64 as a string');
const Count = LooseInt.pipe(z.number().int().min(0));

export const CustomerPart = z.object({ id: Int64, currencyCode: z.string().length(3).optional(), timeZone: z.string().optional() });

export const CampaignRow = z.object({
  customer: CustomerPart,
  campaign: z.object({ id: Int64, name: z.string(), status: z.string(), advertisingChannelType: z.string().optional() }),
});

export const AdGroupRow = z.object({
  customer: CustomerPart,
  campaign: z.object({ id: Int64 }),
  adGroup: z.object({ id: Int64, name: z.string(), status: z.string() }),
});

export const KeywordRow = z.object({
  customer: CustomerPart,
  campaign: z.object({ id: Int64 }),
  adGroup: z.object({ id: Int64 }),
  adGroupCriterion: z.object({
    criterionId: Int64,
    status: z.string(),
    keyword: z.object({ text: z.string(), matchType: z.string().optional() }),
  }),
});

export const CampaignDayRow = z.object({
  customer: CustomerPart.required({ currencyCode: true }),
  campaign: z.object({ id: Int64, name: z.string() }),
  segments: z.object({ date: z.string() }),
  // Zero metrics are omitted from the JSON.
  metrics: z.object({ costMicros: Int64.default('0'), clicks: Count.default(0), impressions: Count.default(0) }).default({ costMicros: '0', clicks: 0, impressions: 0 }),
});

export const ClickViewRow = z.object({
  customer: CustomerPart,
  clickView: z.object({
    gclid: z.string().min(1),
    keywordInfo: z.object({ text: z.string().optional(), matchType: z.string().optional() }).optional(),
  }),
  campaign: z.object({ id: Int64, name: z.string().optional(), advertisingChannelType: z.string().optional() }),
  adGroup: z.object({ id: Int64, name: z.string().optional() }).optional(),
  segments: z.object({ date: z.string() }),
});

export const CallViewRow = z.object({
  customer: CustomerPart.required({ timeZone: true }),
  callView: z.object({
    resourceName: z.string().regex(/^customers\/\d+\/callViews\/[^/]+$/, 'customers/{id}/callViews/{call_detail_id}'),
    startCallDateTime: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'yyyy-MM-dd HH:mm:ss'),
    callDurationSeconds: Count.default(0),
    callStatus: z.string().optional(),
    callTrackingDisplayLocation: z.string().optional(),
    callerAreaCode: z.string().optional(),
    type: z.string().optional(),
  }),
  campaign: z.object({ id: Int64, name: z.string().optional() }),
  adGroup: z.object({ id: Int64, name: z.string().optional() }).optional(),
});
