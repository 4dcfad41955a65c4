export { startGoogleAdsFake, type GoogleAdsFake, type GoogleAdsFakeOptions } from './google-ads-fake.ts';
export { buildFakeAdsAccount, type FakeAdsAccount } from './world-account.ts';
export { renderLeadFormDeliveries, type LeadFormDelivery } from './render-lead-forms.ts';
