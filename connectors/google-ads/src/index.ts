import { defineConnector } from '@sourceline/sdk';
import { GoogleAdsClient } from './google-ads-api.ts';
import { leadFormWebhook } from './lead-form/lead-form-webhook.ts';
import { googleAdsSettings } from './settings.ts';
import { callsStream, clicksStream, spendStream } from './streams/daily-streams.ts';
import { adGroupsStream, campaignsStream, keywordsStream } from './streams/metadata-streams.ts';

/** One Google Ads advertiser account: dimensions, daily spend, clicks (gclid), forwarded calls and lead forms. */
const googleAds = defineConnector({
  id: 'google-ads',
  kind: 'lead-source',
  displayName: 'Google Ads',
  description: 'Campaigns, ad groups, keywords, daily spend, the gclid of every click, calls from call ads, and lead form submissions.',
  settings: googleAdsSettings,
  streams: [campaignsStream, adGroupsStream, keywordsStream, spendStream, clicksStream, callsStream],
  webhooks: [leadFormWebhook],
  async testConnection({ settings, http }) {
    const customer = await new GoogleAdsClient(http, settings).customer();
    return `Connected: Google Ads account "${customer.descriptiveName ?? customer.id}" (${customer.timeZone}, ${customer.currencyCode}).`;
  },
});

export default googleAds;
export { googleAds };
export { googleAdsSettings, type GoogleAdsSettings } from './settings.ts';
export { verifyLeadFormKey } from './lead-form/lead-form-webhook.ts';
export { leadFormLeadId } from './lead-form/webhook-lead.ts';
export {
  clickConversionCsvCells, clickConversionsCsvHead, renderClickConversionsCsv, ClickConversion, type ClickConversionsCsvOptions,
} from './conversions/click-conversions-csv.ts';
export {
  buildUploadClickConversionsRequest, ApiClickConversion, MAX_CONVERSIONS_PER_REQUEST, type UploadClickConversionsRequest,
} from './conversions/upload-click-conversions.ts';
export { readUploadClickConversionsResponse, type ClickConversionOutcome, type ClickConversionUploadResult } from './conversions/upload-click-conversions-response.ts';
export { AttributedCredit, AttributionModelName, ClickIdKind, GoogleClickId } from './conversions/conversion-fields.ts';
export { GoogleAdsClient, type ConversionActionInfo, type CustomerInfo } from './google-ads-api.ts';
export { parseJsonKeepingInt64 } from './int64-json.ts';
