import type { Lead, ParseIssue } from '@sourceline/sdk';
import { z } from 'zod';

/** A submission as Acme Forms sends it, in both its API and its webhooks: validated at the edge. */
export const AcmeSubmission = z.object({
  id: z.number().int().positive(),
  submitted_at: z.iso.datetime({ offset: true }),
  fields: z.object({ name: z.string().optional(), phone: z.string().optional(), email: z.string().optional(), message: z.string().optional() }),
  utm: z.object({ source: z.string(), medium: z.string(), campaign: z.string(), term: z.string(), gclid: z.string() }).partial().default({}),
  page_url: z.string().optional(),
});
export type AcmeSubmission = z.infer<typeof AcmeSubmission>;

export function toLead(s: AcmeSubmission): Lead {
  return {
    id: String(s.id),
    occurredAt: new Date(s.submitted_at).toISOString(),
    kind: 'form',
    channel: s.utm.gclid ? 'paid-search' : null,
    source: s.utm.source ?? null,
    medium: s.utm.medium ?? null,
    campaign: s.utm.campaign ?? null,
    adGroup: null,
    keyword: s.utm.term ?? null,
    gclid: s.utm.gclid ?? null,
    name: s.fields.name?.trim() || null,
    phone: s.fields.phone?.trim() || null,
    email: s.fields.email?.trim() || null,
    landingPage: s.page_url ?? null,
    message: s.fields.message ?? null,
    durationSeconds: null,
    locationId: null,
  };
}

/** Maps a list of raw submissions; a bad one becomes an issue naming its position and field, not its content. */
export function mapSubmissions(items: readonly unknown[], label: string): { leads: Lead[]; issues: ParseIssue[] } {
  const leads: Lead[] = [];
  const issues: ParseIssue[] = [];
  items.forEach((item, i) => {
    const parsed = AcmeSubmission.safeParse(item);
    if (parsed.success) leads.push(toLead(parsed.data));
    else for (const issue of parsed.error.issues) issues.push({ record: `${label} item ${i}`, field: issue.path.join('.'), message: issue.message });
  });
  return { leads, issues };
}
