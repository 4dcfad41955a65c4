import type { WebhookRequest } from '@sourceline/sdk';
import { stableBucket } from '@sourceline/sdk/testkit';
import { signMetaBody } from '../src/signature.ts';
import type { WorldMetaLead, WorldMetaPage } from './world-leads.ts';

export interface MetaDelivery {
  webhook: 'leadgen';
  /** The demo leads announced in this delivery. */
  leadIds: string[];
  request: WebhookRequest;
}

/**
 * The Page webhook deliveries Meta would send for the page's leads, signed with the app secret. Meta batches: a
 * delivery announces one to three leads, each as its own change.
 */
export function renderMetaDeliveries(page: WorldMetaPage, options: { appSecret: string; url?: string }): MetaDelivery[] {
  const deliveries: MetaDelivery[] = [];
  const ordered = [...page.leads].sort((a, b) => a.createdUnix - b.createdUnix);
  for (let i = 0; i < ordered.length;) {
    const size = 1 + stableBucket(ordered[i]!.graph.id, 3);
    const batch = ordered.slice(i, i + size);
    i += size;
    const body = JSON.stringify({
      object: 'page',
      entry: [{ id: page.pageId, time: batch.at(-1)!.createdUnix + 2, changes: batch.map((lead) => ({ field: 'leadgen', value: changeValue(page, lead) })) }],
    });
    deliveries.push({
      webhook: 'leadgen',
      leadIds: batch.map((lead) => lead.demoLeadId),
      request: { method: 'POST', url: options.url ?? '/hooks/meta-lead-ads/leadgen', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, options.appSecret) }, body },
    });
  }
  return deliveries;
}

function changeValue(page: WorldMetaPage, lead: WorldMetaLead) {
  const { id, form_id: formId, ad_id: adId } = lead.graph;
  return { leadgen_id: id, page_id: page.pageId, form_id: formId, ...(adId ? { ad_id: adId, adgroup_id: adId } : {}), created_time: lead.createdUnix };
}
