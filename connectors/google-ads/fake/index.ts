export { startGoogleAdsFake, type GoogleAdsFake, type GoogleAdsFakeOptions } from './google-ads-fake.ts';
export { buildFakeAdsAccount, type FakeAdsAccount, type FakeConversionAction } from './world-account.ts';
export type { FakeUploadedConversion } from './click-conversion-uploads.ts';
export { renderLeadFormDeliveries, type LeadFormDelivery } from './render-lead-forms.ts';
