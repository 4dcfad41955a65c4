import type { FakeAdsAccount } from './world-account.ts';

/** A result row keyed by GAQL field name (`campaign.id`); the server nests and camel-cases the selected ones. */
export type FlatRow = Record<string, string | number | undefined>;

export interface FakeResource {
  /** The fields a query on this resource may select or filter on. */
  fields: readonly string[];
  rows(options: { daily: boolean }): FlatRow[];
}

const customerFields = ['customer.id', 'customer.descriptive_name', 'customer.time_zone', 'customer.currency_code'] as const;

/** Rows are built once per resource and shape: the account does not change while the fake serves it. */
function memoize(rows: FakeResource['rows']): FakeResource['rows'] {
  const cache = new Map<boolean, FlatRow[]>();
  return (options) => {
    let cached = cache.get(options.daily);
    if (!cached) cache.set(options.daily, (cached = rows(options)));
    return cached;
  };
}

/** The GAQL resources the fake serves, as rows over the account. */
export function fakeResources(account: FakeAdsAccount): Record<string, FakeResource> {
  const resources = buildResources(account);
  return Object.fromEntries(Object.entries(resources).map(([name, r]) => [name, { fields: r.fields, rows: memoize(r.rows) }]));
}

function buildResources(account: FakeAdsAccount): Record<string, FakeResource> {
  const { customer } = account;
  const cid = customer.id;
  const customerRow: FlatRow = {
    'customer.id': cid, 'customer.descriptive_name': customer.descriptiveName, 'customer.time_zone': customer.timeZone, 'customer.currency_code': customer.currencyCode,
  };
  const campaignById = new Map(account.campaigns.map((c) => [c.id, c]));
  const adGroupById = new Map(account.adGroups.map((g) => [g.id, g]));
  const campaignRow = (id: string): FlatRow => {
    const c = campaignById.get(id)!;
    return { 'campaign.id': c.id, 'campaign.name': c.name, 'campaign.status': c.status, 'campaign.advertising_channel_type': c.advertisingChannelType, 'campaign.resource_name': `customers/${cid}/campaigns/${c.id}` };
  };
  const adGroupRow = (id: string): FlatRow => {
    const g = adGroupById.get(id)!;
    return { 'ad_group.id': g.id, 'ad_group.name': g.name, 'ad_group.status': g.status, 'ad_group.campaign': `customers/${cid}/campaigns/${g.campaignId}`, 'ad_group.resource_name': `customers/${cid}/adGroups/${g.id}` };
  };
  const campaignFields = ['campaign.id', 'campaign.name', 'campaign.status', 'campaign.advertising_channel_type', 'campaign.resource_name'];
  const adGroupFields = ['ad_group.id', 'ad_group.name', 'ad_group.status', 'ad_group.campaign', 'ad_group.resource_name'];

  return {
    customer: { fields: customerFields, rows: () => [customerRow] },
    campaign: {
      fields: [...customerFields, ...campaignFields, 'segments.date', 'metrics.cost_micros', 'metrics.clicks', 'metrics.impressions'],
      rows: ({ daily }) => daily
        ? account.campaignDays.map((d) => ({
            ...customerRow, ...campaignRow(d.campaignId), 'segments.date': d.date, 'metrics.cost_micros': d.costMicros, 'metrics.clicks': d.clicks,
            'metrics.impressions': d.impressions,
          }))
        : account.campaigns.map((c) => ({ ...customerRow, ...campaignRow(c.id) })),
    },
    ad_group: {
      fields: [...customerFields, 'campaign.id', 'campaign.name', ...adGroupFields],
      rows: () => account.adGroups.map((g) => ({ ...customerRow, ...campaignRow(g.campaignId), ...adGroupRow(g.id) })),
    },
    keyword_view: {
      fields: [...customerFields, 'campaign.id', 'ad_group.id', 'ad_group.name', 'ad_group_criterion.criterion_id', 'ad_group_criterion.keyword.text',
        'ad_group_criterion.keyword.match_type', 'ad_group_criterion.status'],
      rows: () => account.keywords.map((k) => ({
        ...customerRow, ...campaignRow(k.campaignId), ...adGroupRow(k.adGroupId), 'ad_group_criterion.criterion_id': k.criterionId,
        'ad_group_criterion.keyword.text': k.text, 'ad_group_criterion.keyword.match_type': k.matchType, 'ad_group_criterion.status': k.status,
      })),
    },
    click_view: {
      fields: [...customerFields, 'click_view.gclid', 'click_view.keyword_info.text', 'click_view.keyword_info.match_type', 'click_view.ad_group_ad',
        'click_view.page_number', 'click_view.resource_name', ...campaignFields, ...adGroupFields, 'segments.date'],
      rows: () => account.clicks.map((c) => ({
        ...customerRow, ...campaignRow(c.campaignId), ...adGroupRow(c.adGroupId), 'click_view.gclid': c.gclid,
        'click_view.keyword_info.text': c.keyword ?? undefined, 'click_view.keyword_info.match_type': c.matchType ?? undefined,
        'click_view.ad_group_ad': `customers/${cid}/adGroupAds/${c.adGroupId}~1`, 'click_view.page_number': '1',
        'click_view.resource_name': `customers/${cid}/clickViews/${c.date}~${c.gclid}`, 'segments.date': c.date,
      })),
    },
    conversion_action: {
      fields: ['conversion_action.id', 'conversion_action.name', 'conversion_action.type', 'conversion_action.status',
        'conversion_action.attribution_model_settings.attribution_model', 'conversion_action.click_through_lookback_window_days', 'conversion_action.resource_name'],
      rows: () => account.conversionActions.map((a) => ({
        'conversion_action.id': a.id, 'conversion_action.name': a.name, 'conversion_action.type': a.type, 'conversion_action.status': a.status,
        'conversion_action.attribution_model_settings.attribution_model': a.attributionModel,
        // An int64: a string in Google's JSON.
        'conversion_action.click_through_lookback_window_days': String(a.clickThroughLookbackWindowDays),
        'conversion_action.resource_name': `customers/${cid}/conversionActions/${a.id}`,
      })),
    },
    call_view: {
      fields: [...customerFields, 'call_view.resource_name', 'call_view.start_call_date_time', 'call_view.end_call_date_time',
        'call_view.call_duration_seconds', 'call_view.call_status', 'call_view.call_tracking_display_location', 'call_view.caller_area_code',
        'call_view.caller_country_code', 'call_view.type', 'campaign.id', 'campaign.name', 'ad_group.id', 'ad_group.name'],
      rows: () => account.calls.map((c) => ({
        ...customerRow, ...campaignRow(c.campaignId), ...adGroupRow(c.adGroupId), 'call_view.resource_name': `customers/${cid}/callViews/${c.callDetailId}`,
        'call_view.start_call_date_time': c.start, 'call_view.end_call_date_time': c.end, 'call_view.call_duration_seconds': String(c.durationSeconds),
        'call_view.call_status': c.status, 'call_view.call_tracking_display_location': c.location, 'call_view.caller_area_code': c.areaCode ?? undefined,
        'call_view.caller_country_code': 'US', 'call_view.type': c.type,
      })),
    },
  };
}
