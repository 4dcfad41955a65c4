import { defineConnector } from '@sourceline/sdk';
import { CallRailClient } from './callrail-api.ts';
import { callModifiedWebhook, callRoutingCompleteWebhook, formSubmissionWebhook, postCallWebhook, preCallWebhook } from './call-webhooks.ts';
import { callsStream } from './calls-stream.ts';
import { callRailSettings } from './settings.ts';

/** CallRail call tracking: signed webhooks per event, and a REST backfill because CallRail never retries a delivery. */
const callRail = defineConnector({
  id: 'callrail',
  kind: 'lead-source',
  displayName: 'CallRail',
  description: 'Tracked calls and form submissions from CallRail, with the visitor session behind each call (UTMs, gclid, landing page).',
  settings: callRailSettings,
  streams: [callsStream],
  webhooks: [preCallWebhook, callRoutingCompleteWebhook, postCallWebhook, callModifiedWebhook, formSubmissionWebhook],
  async testConnection({ settings, http }) {
    const name = await new CallRailClient(http, settings).accountName();
    return `Connected: CallRail account "${name}" (${settings.accountId}).`;
  },
});

export default callRail;
export { callRail };
export { callRailSettings, type CallRailSettings } from './settings.ts';
export { verifyCallRailSignature, signCallRailBody } from './signature.ts';
export { callRailCallLeadId, CallRailCall } from './call.ts';
export { callRailFormLeadId } from './form-submission.ts';
export { callAttributionFields } from './callrail-api.ts';
