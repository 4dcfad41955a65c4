import { stableBucket } from '@sourceline/sdk/testkit';
import type { WebhookRequest } from '@sourceline/sdk';
import { signCallRailBody } from '../src/signature.ts';
import type { WorldCall } from './world-calls.ts';

export interface CallRailDelivery {
  webhook: 'pre-call' | 'post-call' | 'call-modified';
  leadId: string;
  request: WebhookRequest;
}

/**
 * The webhook deliveries CallRail would send for these calls, signed with the company's key (the legacy integer
 * `id` beside the REST id in `resource_id`, as CallRail's webhooks have them): a pre-call (partial:
 * not answered, duration 0, no recording), a post-call with the full object (duration as a string, as CallRail's own
 * example has it, plus the legacy `timestamp`), and for every fourth call a call-modified after a tag was added.
 */
export function renderCallRailDeliveries(calls: readonly WorldCall[], options: { signingKey: string; urlPrefix?: string }): CallRailDelivery[] {
  const deliveries: CallRailDelivery[] = [];
  const prefix = options.urlPrefix ?? '/hooks/callrail';
  const deliver = (webhook: CallRailDelivery['webhook'], leadId: string, payload: Record<string, unknown>) => {
    const body = JSON.stringify(payload);
    deliveries.push({
      webhook, leadId,
      request: { method: 'POST', url: `${prefix}/${webhook}`, headers: { 'content-type': 'application/json', signature: signCallRailBody(body, options.signingKey) }, body },
    });
  };
  for (const { lead, call } of calls) {
    // Webhooks carry the legacy integer id, the REST id as `resource_id`.
    const full = { ...call, id: 100_000_000 + stableBucket(String(call.id), 900_000_000), resource_id: call.id, duration: String(call.duration), timestamp: call.start_time };
    deliver('pre-call', lead.id, { ...full, answered: false, voicemail: false, duration: '0', recording: null, recording_duration: 0, business_phone_number: '' });
    deliver('post-call', lead.id, full);
    if (stableBucket(lead.id, 4) === 0) deliver('call-modified', lead.id, { ...full, tags: [{ name: 'new patient', color: 'green' }], changes: ['tags'] });
  }
  return deliveries;
}
