import { defineConnector } from '@sourceline/sdk';
import { OpenDentalClient } from './api/open-dental-client.ts';
import { openDentalSettings } from './settings.ts';
import { appointmentsStream } from './streams/appointments.ts';
import { locationsStream } from './streams/locations.ts';
import { patientsStream } from './streams/patients.ts';
import { paymentsStream } from './streams/payments.ts';
import { proceduresStream } from './streams/procedures.ts';
import { providersStream } from './streams/providers.ts';
import { referralSourcesStream } from './streams/referral-sources.ts';

/** Open Dental over its REST API (Remote, API Service or Local mode). */
const openDental = defineConnector({
  id: 'open-dental',
  kind: 'pms',
  displayName: 'Open Dental',
  description: 'Patients, appointments, production, collections, providers, clinics and referral sources from Open Dental’s API.',
  settings: openDentalSettings,
  streams: [locationsStream, providersStream, patientsStream, referralSourcesStream, appointmentsStream, proceduresStream, paymentsStream],
  // One row of the smallest list every key may read proves the URL, both keys and that the office is online.
  async testConnection({ settings, http }) {
    const clock = await new OpenDentalClient(http, settings).serverTime();
    return `Connected: Open Dental answered, its server clock reads ${clock}.`;
  },
});

export default openDental;
export { openDental };
export { openDentalSettings, type OpenDentalSettings } from './settings.ts';
export { OpenDentalClient } from './api/open-dental-client.ts';
export { fetchOnlyPass, type FetchOnlyReport } from './fetch-only.ts';
