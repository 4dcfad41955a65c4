import { defineWebhook, emitted, issuesFromZod, readJsonPayload, webhookBodyBytes, type ParseResult, type RawPayload, type WebhookDefinition } from '@sourceline/sdk';
import { CallRailCall, callToLead, type CallStage } from './call.ts';
import { CallRailFormSubmission, formSubmissionToLead } from './form-submission.ts';
import { verifyCallRailSignature } from './signature.ts';
import type { CallRailSettings } from './settings.ts';

/** One CallRail event type, configured as its own webhook URL (CallRail lets each event post to a different URL). */
interface CallEvent {
  name: string;
  description: string;
  stage: CallStage;
}

function parseCallEvent(payload: RawPayload, settings: Partial<CallRailSettings>, stage: CallStage): ParseResult {
  const json = readJsonPayload(payload);
  if (!json.ok) return { records: [], issues: [json.issue] };
  const call = CallRailCall.safeParse(json.value);
  if (!call.success) return { records: [], issues: issuesFromZod(call.error, payload.name) };
  const lead = callToLead(call.data, { stage, locationId: settings.locationId ?? null });
  // Outbound calls are the practice calling out, not a lead.
  return { records: lead ? [emitted('lead', lead)] : [], issues: [] };
}

function callWebhook(event: CallEvent & { provisional?: boolean }): WebhookDefinition<CallRailSettings> {
  return defineWebhook<CallRailSettings>({
    name: event.name,
    description: event.description,
    emits: ['lead'],
    verify: (request, settings) => verifyCallRailSignature(request.headers, webhookBodyBytes(request), settings.signingKey),
    parse: (payload, settings) => parseCallEvent(payload, settings, event.stage),
    ...(event.provisional ? { provisional: true } : {}),
  });
}

/**
 * Pre-call and routing-complete carry a partial call (`answered=false`, `duration=0`): provisional, so the platform
 * inserts them for a call it has not seen yet but never lets them overwrite the post-call record (CallRail does not
 * promise the order of deliveries).
 */
export const preCallWebhook = callWebhook({ name: 'pre-call', description: 'CallRail Pre-Call: an inbound call reached a tracking number', stage: 'started', provisional: true });
export const callRoutingCompleteWebhook = callWebhook({
  name: 'call-routing-complete', description: 'CallRail Call Routing Complete: the call was routed', stage: 'started', provisional: true,
});
export const postCallWebhook = callWebhook({ name: 'post-call', description: 'CallRail Post-Call: the full call after hang-up (up to 20 minutes later)', stage: 'completed' });
export const callModifiedWebhook = callWebhook({
  name: 'call-modified', description: 'CallRail Call Modified: a finished call changed (tags, value, spam, transcript)', stage: 'completed',
});

export const formSubmissionWebhook = defineWebhook<CallRailSettings>({
  name: 'form-submission',
  description: 'CallRail Form Submission: a website form captured by CallRail Form Tracking',
  emits: ['lead'],
  verify: (request, settings) => verifyCallRailSignature(request.headers, webhookBodyBytes(request), settings.signingKey),
  parse(payload, settings) {
    const json = readJsonPayload(payload);
    if (!json.ok) return { records: [], issues: [json.issue] };
    const form = CallRailFormSubmission.safeParse(json.value);
    if (!form.success) return { records: [], issues: issuesFromZod(form.error, payload.name) };
    return { records: [emitted('lead', formSubmissionToLead(form.data, { locationId: settings.locationId ?? null }))], issues: [] };
  },
});
