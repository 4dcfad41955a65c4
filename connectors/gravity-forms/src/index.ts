import { defineConnector } from '@sourceline/sdk';
import { entryWebhook } from './entry-webhook.ts';
import { gravityFormsSettings } from './settings.ts';

/**
 * Gravity Forms on a practice's WordPress site. The Webhooks Add-On sends each entry once and never retries, so the
 * platform must store the body before answering.
 */
const gravityForms = defineConnector({
  id: 'gravity-forms',
  kind: 'lead-source',
  displayName: 'Gravity Forms',
  description: 'Website form entries pushed by the Gravity Forms Webhooks Add-On, with UTMs and click ids from hidden fields.',
  settings: gravityFormsSettings,
  webhooks: [entryWebhook],
});

export default gravityForms;
export { gravityForms };
export { gravityFormsSettings, FieldMap, type GravityFormsSettings } from './settings.ts';
export { verifyGravityFormsSecret, parseEntryDelivery } from './entry-webhook.ts';
export { gravityFormsLeadId } from './entry-to-lead.ts';
