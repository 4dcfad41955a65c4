import type { GoogleAdsSettings } from './settings.ts';

/**
 * The headers every Google Ads API call carries besides the OAuth bearer token: the agency's developer token, and the
 * manager account's id when access goes through one (§3.1).
 */
export function googleAdsHeaders(settings: Pick<GoogleAdsSettings, 'developerToken' | 'loginCustomerId'>): Record<string, string> {
  return {
    'content-type': 'application/json',
    'developer-token': settings.developerToken,
    ...(settings.loginCustomerId ? { 'login-customer-id': settings.loginCustomerId } : {}),
  };
}
