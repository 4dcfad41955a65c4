import type { WebhookRequest } from '@sourceline/sdk';
import { leadSystemOf, stableBucket, type DemoLead, type DemoPractice } from '@sourceline/sdk/testkit';
import { appointmentFormFields, appointmentFormId, contactFormFields, contactFormId } from './demo-forms.ts';

export interface GravityFormsDelivery {
  webhook: 'entry';
  /** The demo lead the entry renders (ground truth for tests). */
  leadId: string;
  request: WebhookRequest;
}

/** The fields a Gravity Forms entry always carries, before the form's own field ids. */
function entryBase(id: number, formId: string, lead: DemoLead, practice: DemoPractice) {
  const created = lead.occurredAt.slice(0, 19).replace('T', ' ');
  return {
    // The add-on serialises ids as strings.
    id: String(id), form_id: formId, post_id: null, date_created: created, date_updated: created, is_starred: 0, is_read: 0,
    ip: '203.0.113.24', source_url: `${practice.website}/contact/`, user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)',
    status: 'active', currency: 'USD', payment_status: null, created_by: null,
  };
}

/** What the site's hidden fields captured for the visit behind a lead. */
function visitOf(lead: DemoLead) {
  const landing = lead.landingPage ? new URL(lead.landingPage) : undefined;
  const utm = (name: string) => landing?.searchParams.get(name) ?? '';
  const referrer = lead.channel === 'organic-search' ? `https://www.${lead.source === 'bing' ? 'bing' : 'google'}.com/`
    : lead.channel === 'referral' ? 'https://www.zocdoc.com/' : lead.channel === 'paid-social' ? 'https://l.facebook.com/' : '';
  return {
    source: utm('utm_source'), medium: utm('utm_medium'), campaign: utm('utm_campaign'), term: lead.keyword ?? '', gclid: lead.gclid ?? '',
    fbclid: lead.channel === 'paid-social' ? `IwAR${lead.id.replace(/[^a-z0-9]/gi, '')}` : '', landingPage: lead.landingPage ?? '', referrer,
  };
}

function splitName(name: string | null): [string, string] {
  if (!name) return ['', ''];
  const space = name.indexOf(' ');
  return space < 0 ? [name, ''] : [name.slice(0, space), name.slice(space + 1)];
}

/**
 * Renders the practice's website-form leads as Gravity Forms Webhooks deliveries ("All Fields" JSON bodies with the
 * shared secret header), in time order, entry ids counting up per site. A third go through the older contact form.
 */
export function renderGravityFormsDeliveries(
  practice: DemoPractice,
  options: { webhookSecret: string; secretHeader?: string; url?: string },
): GravityFormsDelivery[] {
  const header = (options.secretHeader ?? 'x-sourceline-token').toLowerCase();
  const leads = practice.leads.filter((lead) => leadSystemOf(lead) === 'gravity-forms');
  return leads.map((lead, i) => {
    const entryId = 1000 + i;
    const visit = visitOf(lead);
    const [first, last] = splitName(lead.name);
    const useContactForm = stableBucket(lead.id, 3) === 0;
    const fields: Record<string, string> = useContactForm
      ? {
          [contactFormFields.fullName]: lead.name ?? '', [contactFormFields.email]: lead.email ?? '', [contactFormFields.phone]: lead.phone ?? '',
          [contactFormFields.message]: lead.message ?? '', [contactFormFields.utmSource]: visit.source, [contactFormFields.utmMedium]: visit.medium,
          [contactFormFields.utmCampaign]: visit.campaign, [contactFormFields.gclid]: visit.gclid, [contactFormFields.landingPage]: visit.landingPage,
        }
      : {
          [appointmentFormFields.firstName]: first, [appointmentFormFields.lastName]: last, [appointmentFormFields.email]: lead.email ?? '',
          [appointmentFormFields.phone]: lead.phone ?? '', [appointmentFormFields.message]: lead.message ?? '',
          [appointmentFormFields.utmSource]: visit.source, [appointmentFormFields.utmMedium]: visit.medium,
          [appointmentFormFields.utmCampaign]: visit.campaign, [appointmentFormFields.utmTerm]: visit.term, [appointmentFormFields.utmContent]: '',
          [appointmentFormFields.gclid]: visit.gclid, [appointmentFormFields.landingPage]: visit.landingPage,
          [appointmentFormFields.referrer]: visit.referrer, [appointmentFormFields.fbclid]: visit.fbclid,
        };
    const body = JSON.stringify({ ...entryBase(entryId, useContactForm ? contactFormId : appointmentFormId, lead, practice), ...fields });
    return {
      webhook: 'entry',
      leadId: lead.id,
      request: { method: 'POST', url: options.url ?? '/hooks/gravity-forms/entry', headers: { 'content-type': 'application/json', [header]: options.webhookSecret }, body },
    };
  });
}
