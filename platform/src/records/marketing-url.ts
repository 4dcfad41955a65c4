/** Query parameters that carry marketing attribution: kept. Everything else in a URL's query is dropped. */
const MARKETING_PARAMETER = /^(utm_[a-z_]+|gclid|gbraid|wbraid|dclid|gclsrc|gad_source|gad_campaignid|msclkid|fbclid|ttclid|li_fat_id|twclid|epik|rdt_cid|mc_cid|_hsenc|hsa_[a-z_]+)$/i;
const RELATIVE_BASE = 'https://relative.invalid';

/**
 * A landing page or referrer as Sourceline stores it (in plain text, outside the PHI boundary): scheme, host, path and
 * the marketing parameters only. Forms and e-mail links put people's details in query strings (`?email=…&name=…`) and
 * fragments; those never reach the database. A value that is not a URL at all is not stored.
 */
export function marketingUrl(value: string | null | undefined): string | null {
  const text = value?.trim();
  if (!text) return null;
  // Absolute ("https://…"), root-relative ("/implants?…") or a bare host as sources send referrers ("google.com/…").
  const form = /^[a-z][a-z0-9+.-]*:/i.test(text) ? 'absolute' : text.startsWith('/') ? 'relative' : 'bare';
  let url: URL;
  try {
    url = new URL(form === 'absolute' ? text : form === 'relative' ? `${RELATIVE_BASE}${text}` : `https://${text}`);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(url.protocol)) return null;
  const kept = new URLSearchParams();
  for (const [key, val] of url.searchParams) if (MARKETING_PARAMETER.test(key)) kept.append(key, val);
  const rest = `${url.pathname}${kept.size ? `?${kept.toString()}` : ''}`;
  if (form === 'relative') return rest;
  if (form === 'bare') return `${url.host}${rest === '/' ? '' : rest}`;
  return `${url.origin}${rest}`;
}
