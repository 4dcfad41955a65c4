import { FatalError, type HttpClient, type Lead } from '@sourceline/sdk';
import { MetaGraphClient } from './graph-api.ts';
import { GraphLead, graphLeadToLead } from './graph-lead.ts';
import type { MetaLeadAdsSettings } from './settings.ts';

/**
 * Fetches one lead the `leadgen` webhook announced and maps it. The platform calls it right after storing a delivery
 * (Meta keeps leads retrievable for a limited time) and upserts the result over the webhook's placeholder.
 */
export async function retrieveMetaLead(context: { http: HttpClient; settings: MetaLeadAdsSettings }, leadgenId: string): Promise<Lead> {
  const body = await new MetaGraphClient(context.http, context.settings).lead(leadgenId);
  const lead = GraphLead.safeParse(body);
  if (!lead.success) throw new FatalError(`Meta sent lead ${leadgenId} in an unexpected shape (${lead.error.issues[0]?.path.join('.') ?? 'body'})`);
  return graphLeadToLead(lead.data, { locationId: context.settings.locationId });
}
