import type { ClickIds } from './records/marketing.ts';
import { blankToNull } from './coerce.ts';

/** What a landing-page URL says about the visit: its UTM parameters and click ids. */
export interface UrlAttribution {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  content: string | null;
  gclid: string | null;
  clickIds: ClickIds;
}

const clickIdParameters = { gbraid: 'gbraid', wbraid: 'wbraid', msclkid: 'msclkid', fbclid: 'fbclid', ttclid: 'ttclid', liFatId: 'li_fat_id' } as const;

/**
 * Reads UTMs and click ids from a landing-page URL's query string. Sources often have the URL but not the parsed
 * values (or have them only when a hidden field was set up), so connectors fill gaps from it. Anything that is not
 * a URL yields nothing.
 */
export function attributionFromUrl(url: string | null | undefined): UrlAttribution {
  const params = queryOf(url);
  const get = (name: string) => blankToNull(params?.get(name));
  const clickIds: ClickIds = {};
  for (const [field, parameter] of Object.entries(clickIdParameters) as [keyof ClickIds, string][]) {
    const value = get(parameter);
    if (value) clickIds[field] = value;
  }
  return {
    source: get('utm_source'), medium: get('utm_medium'), campaign: get('utm_campaign'), term: get('utm_term'),
    content: get('utm_content'), gclid: get('gclid'), clickIds,
  };
}

/** Click ids as read from one place (a hidden field, a payload field, a URL): blanks and nulls mean "not here". */
export type ClickIdValues = Partial<Record<keyof ClickIds, string | null | undefined>>;

/**
 * Merges click ids read from several places (the landing page's query, then the source's own fields); later non-blank
 * values win. Null when there are none, as `Lead.clickIds` expects.
 */
export function mergeClickIds(...sources: ClickIdValues[]): ClickIds | null {
  const merged: ClickIds = {};
  for (const source of sources) {
    for (const [field, value] of Object.entries(source) as [keyof ClickIds, string | null | undefined][]) {
      const trimmed = value?.trim();
      if (trimmed) merged[field] = trimmed;
    }
  }
  return Object.keys(merged).length > 0 ? merged : null;
}

function queryOf(url: string | null | undefined): URLSearchParams | undefined {
  if (!url) return undefined;
  try {
    return new URL(url, 'https://relative.invalid').searchParams;
  } catch {
    return undefined;
  }
}
