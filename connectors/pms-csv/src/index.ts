import { defineConnector } from '@sourceline/sdk';
import { pmsCsvSettings } from './settings.ts';
import { appointmentsStream } from './streams/appointments.ts';
import { patientsStream } from './streams/patients.ts';
import { proceduresStream } from './streams/procedures.ts';

/** For practices on a PMS without a connector: patients, appointments and procedures from CSV exports. */
const pmsCsv = defineConnector({
  id: 'pms-csv',
  kind: 'pms',
  displayName: 'Other PMS (CSV import)',
  description: 'Imports patients, appointments and procedures from CSV exports with a column mapping, validated row by row.',
  settings: pmsCsvSettings,
  streams: [patientsStream, appointmentsStream, proceduresStream],
});

export default pmsCsv;
export { pmsCsv };
export { pmsCsvSettings, defaultColumns, type PmsCsvSettings } from './settings.ts';
