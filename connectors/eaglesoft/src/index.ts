import { defineConnector, defineStream, NotImplementedError, type RecordKind, type StreamDefinition } from '@sourceline/sdk';
import { z } from 'zod';
import { eaglesoftSettings, type EaglesoftSettings } from './settings.ts';

/**
 * DECLARED STUB — NOT IMPLEMENTED. Eaglesoft is listed in the UI as "coming soon" so practices can say they need it.
 * Every stream fails with a clear "not implemented yet" error; nothing is read from Eaglesoft.
 * Capability notes (docs/connectors.md): no public API found (unconfirmed); transport local ODBC to SQL Anywhere with
 * the practice's authorization; no public docs; incremental support unknown.
 */
const notImplemented = 'The Eaglesoft connector is not implemented yet (listed as coming soon). Import a CSV export with "Other PMS (CSV import)" in the meantime.';

const NoCursor = z.object({});

function stubStream(name: string, emits: RecordKind): StreamDefinition<EaglesoftSettings, z.infer<typeof NoCursor>> {
  return defineStream<EaglesoftSettings, z.infer<typeof NoCursor>>({
    name,
    description: `${name} from Eaglesoft (not implemented yet)`,
    emits: [emits],
    cursor: { schema: NoCursor, compare: () => 0 },
    async sync() {
      throw new NotImplementedError(notImplemented);
    },
    parse(payload) {
      return { records: [], issues: [{ record: payload.name, field: '(connector)', message: notImplemented }] };
    },
  });
}

const eaglesoft = defineConnector({
  id: 'eaglesoft',
  kind: 'pms',
  displayName: 'Eaglesoft',
  description: 'Coming soon. Eaglesoft has no public API; its SQL Anywhere database is read over ODBC by a local agent.',
  status: 'coming-soon',
  settings: eaglesoftSettings,
  streams: [stubStream('patients', 'patient'), stubStream('appointments', 'appointment'), stubStream('procedures', 'procedure')],
});

export default eaglesoft;
export { eaglesoft, eaglesoftSettings };
