import { defineConnector } from '@sourceline/sdk';
import { websiteSettings } from './settings.ts';
import { telClickWebhook } from './tel-click.ts';

/**
 * The practice's own website. Its `s.js` keeps first- and last-touch marketing context in a first-party cookie, fills
 * hidden form fields with it, and reports tel: link taps here as click-to-call leads.
 */
const website = defineConnector({
  id: 'website',
  kind: 'lead-source',
  displayName: 'Website (click-to-call and source capture)',
  description: 'A script for the practice’s site: remembers where visitors came from, fills hidden form fields, and reports taps on phone links.',
  settings: websiteSettings,
  webhooks: [telClickWebhook],
});

export default website;
export { website };
export { websiteSettings, type WebsiteSettings } from './settings.ts';
export { parseTelClick, telClickToLead, TelClickEvent } from './tel-click.ts';
