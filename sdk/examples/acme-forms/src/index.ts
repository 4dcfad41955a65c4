import { defineConnector } from '@sourceline/sdk';
import { acmeFormsSettings } from './settings.ts';
import { submissionWebhook } from './submission-webhook.ts';
import { submissionsStream } from './submissions-stream.ts';

export default defineConnector({
  id: 'acme-forms',
  kind: 'lead-source',
  displayName: 'Acme Forms',
  settings: acmeFormsSettings,
  streams: [submissionsStream],
  webhooks: [submissionWebhook],
});
