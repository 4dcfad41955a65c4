import { defineStream, emitted, IsoDateTime, type RecordKind, type StreamDefinition } from '@sourceline/sdk';
import { z } from 'zod';
import { AdGroupRow, CampaignRow, KeywordRow } from '../gaql-rows.ts';
import { GoogleAdsClient } from '../google-ads-api.ts';
import type { GoogleAdsSettings } from '../settings.ts';
import { emitRecords, mapSearchRows, parseSavedSearch, type RowMapper } from './search-results.ts';

/**
 * Campaigns, ad groups and keywords are small dimension tables, listed in full on every run (Google keeps removed
 * ones with status REMOVED, so nothing disappears). Unchanged rows are skipped by the platform's content hash. The
 * cursor only records when the last full listing finished.
 */
const Cursor = z.object({ listedAt: IsoDateTime });
type Cursor = z.infer<typeof Cursor>;

interface MetadataQuery<Row> {
  name: string;
  description: string;
  kind: RecordKind;
  query: string;
  schema: z.ZodType<Row>;
  map: RowMapper<Row>;
}

function metadataStream<Row>(spec: MetadataQuery<Row>): StreamDefinition<GoogleAdsSettings, Cursor> {
  return defineStream<GoogleAdsSettings, Cursor>({
    name: spec.name,
    description: spec.description,
    emits: [spec.kind],
    defaultIntervalMinutes: 24 * 60,
    cursor: { schema: Cursor, compare: (a, b) => Date.parse(a.listedAt) - Date.parse(b.listedAt) },
    async sync(ctx) {
      const client = new GoogleAdsClient(ctx.http, ctx.settings);
      let rows = 0;
      for await (const page of client.searchPages(spec.query)) {
        const { records, issues } = mapSearchRows(page.results, spec.schema, spec.map, spec.name);
        if (issues.length) ctx.reject(issues);
        await emitRecords(ctx, records);
        rows += page.results.length;
      }
      await ctx.cursor.set({ listedAt: ctx.now().toISOString() });
      ctx.log.info('listing synced', { stream: spec.name, rows });
    },
    parse: (payload) => parseSavedSearch(payload, spec.schema, spec.map),
  });
}

export const campaignsStream = metadataStream({
  name: 'campaigns',
  description: 'Campaigns with their status and advertising channel type (SEARCH, DISPLAY, VIDEO, …)',
  kind: 'ad-campaign',
  query: 'SELECT customer.id, campaign.id, campaign.name, campaign.status, campaign.advertising_channel_type FROM campaign',
  schema: CampaignRow,
  map: ({ customer, campaign }) => emitted('ad-campaign', {
    id: campaign.id, network: 'google-ads', accountId: customer.id, name: campaign.name, status: campaign.status,
    channelType: campaign.advertisingChannelType ?? null,
  }),
});

export const adGroupsStream = metadataStream({
  name: 'ad-groups',
  description: 'Ad groups and the campaign each belongs to',
  kind: 'ad-group',
  query: 'SELECT customer.id, campaign.id, ad_group.id, ad_group.name, ad_group.status FROM ad_group',
  schema: AdGroupRow,
  map: ({ customer, campaign, adGroup }) => emitted('ad-group', {
    id: adGroup.id, network: 'google-ads', accountId: customer.id, campaignId: campaign.id, name: adGroup.name, status: adGroup.status,
  }),
});

export const keywordsStream = metadataStream({
  name: 'keywords',
  description: 'Keywords each ad group bids on, with their match type',
  kind: 'ad-keyword',
  query: 'SELECT customer.id, campaign.id, ad_group.id, ad_group_criterion.criterion_id, ad_group_criterion.keyword.text, '
    + 'ad_group_criterion.keyword.match_type, ad_group_criterion.status FROM keyword_view',
  schema: KeywordRow,
  // Criterion ids are unique within an ad group only: the record id carries both, as Google's own resource name does.
  map: ({ customer, campaign, adGroup, adGroupCriterion }) => emitted('ad-keyword', {
    id: `${adGroup.id}~${adGroupCriterion.criterionId}`, network: 'google-ads', accountId: customer.id, campaignId: campaign.id,
    adGroupId: adGroup.id, text: adGroupCriterion.keyword.text, matchType: adGroupCriterion.keyword.matchType ?? null, status: adGroupCriterion.status,
  }),
});
