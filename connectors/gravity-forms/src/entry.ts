import { issuesFromZod, LooseId, type ParseIssue } from '@sourceline/sdk';
import { z } from 'zod';

/**
 * A Gravity Forms Entry object, as the Webhooks Add-On's "All Fields" body (`json_encode($entry)`) and the REST API v2
 * send it. Only the fields the mapping needs are typed; field values stay in the object under their field ids.
 * Quirks: ids arrive as strings or numbers; `date_created` is UTC without an offset; empty inputs are "".
 */
export const Entry = z.looseObject({
  id: LooseId,
  form_id: LooseId,
  date_created: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DD HH:MM:SS'),
  status: z.string().optional(),
  source_url: z.string().nullish(),
});
export type Entry = z.infer<typeof Entry>;

/** `date_created` is UTC with no offset in the string. */
export function entryCreatedAt(entry: Entry): string {
  return new Date(`${entry.date_created.replace(' ', 'T')}Z`).toISOString();
}

/** A field value as text: inputs arrive as strings, sometimes as numbers (Select Fields feeds); "" means empty. */
export function fieldText(entry: Entry, key: string | undefined): string | null {
  if (key === undefined) return null;
  const value: unknown = entry[key];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * A delivery holds one entry (the add-on's body), a JSON array of entries (sites that batch through
 * `gform_webhooks_request_data`), or a REST collection `{ total_count, entries: [...] }` (a saved reconcile page).
 */
export function entriesOfDelivery(body: unknown, label: string): { entries: Entry[]; issues: ParseIssue[] } {
  const items = Array.isArray(body) ? body : isCollection(body) ? body.entries : [body];
  const entries: Entry[] = [];
  const issues: ParseIssue[] = [];
  items.forEach((item, i) => {
    const parsed = Entry.safeParse(item);
    if (parsed.success) entries.push(parsed.data);
    else issues.push(...issuesFromZod(parsed.error, items.length > 1 ? `${label} entry ${i + 1}` : label));
  });
  return { entries, issues };
}

function isCollection(body: unknown): body is { entries: unknown[] } {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && Array.isArray((body as { entries?: unknown }).entries);
}
