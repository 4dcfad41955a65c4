import { constantTimeEqual, defineWebhook, emitted, readJsonPayload, type EmittedRecord, type ParseIssue, type ParseResult, type RawPayload } from '@sourceline/sdk';
import { entriesOfDelivery } from './entry.ts';
import { entryToLead, gravityFormsLeadId } from './entry-to-lead.ts';
import type { FieldMap, GravityFormsSettings } from './settings.ts';

/** Entries Gravity Forms marks as not real submissions: a redelivery with this status withdraws the lead. */
const withdrawnStatuses = new Set(['spam', 'trash']);

/**
 * The Webhooks Add-On signs nothing: the feed sends a per-site secret in a request header, compared in constant time.
 * `Authorization` may carry it as `Bearer <secret>`.
 */
export function verifyGravityFormsSecret(headers: Readonly<Record<string, string>>, settings: Pick<GravityFormsSettings, 'secretHeader' | 'webhookSecret'>): boolean {
  const given = headers[settings.secretHeader.toLowerCase()];
  if (!given) return false;
  return constantTimeEqual(given.replace(/^Bearer\s+/i, '').trim(), settings.webhookSecret);
}

export function siteHostOf(settings: Partial<GravityFormsSettings>, fallbackUrl: string | null | undefined): string {
  for (const url of [settings.siteUrl, fallbackUrl]) {
    if (!url) continue;
    try {
      return new URL(url).host.replace(/^www\./, '');
    } catch {
      // not a URL: try the next
    }
  }
  return 'unknown-site';
}

export function parseEntryDelivery(payload: RawPayload, settings: Partial<GravityFormsSettings>): ParseResult {
  const json = readJsonPayload(payload);
  if (!json.ok) return { records: [], issues: [json.issue] };
  const { entries, issues } = entriesOfDelivery(json.value, payload.name);
  const records: EmittedRecord[] = [];
  const withdrawn: string[] = [];
  const forms = settings.forms ?? {};
  for (const entry of entries) {
    const siteHost = siteHostOf(settings, entry.source_url);
    if (entry.status && withdrawnStatuses.has(entry.status)) {
      withdrawn.push(gravityFormsLeadId(siteHost, entry.id));
      continue;
    }
    const map: FieldMap | undefined = forms[entry.form_id];
    if (!map) issues.push(unmappedForm(entry.id, entry.form_id));
    records.push(emitted('lead', entryToLead(entry, map ?? {}, { siteHost, locationId: settings.locationId ?? null })));
  }
  return { records, issues, ...(withdrawn.length > 0 ? { removed: [{ kind: 'lead', ids: withdrawn }] } : {}) };
}

function unmappedForm(entryId: string, formId: string): ParseIssue {
  return {
    record: `entry ${entryId}`,
    field: 'form_id',
    message: `form ${formId} has no field map, so name, phone, e-mail and UTMs were not read — map its fields under Settings → Integrations → Gravity Forms`,
  };
}

export const entryWebhook = defineWebhook<GravityFormsSettings>({
  name: 'entry',
  description: 'Entries pushed by a Gravity Forms Webhooks feed (Request Format JSON, Request Body "All Fields")',
  emits: ['lead'],
  verify: (request, settings) => verifyGravityFormsSecret(request.headers, settings),
  parse: parseEntryDelivery,
});
