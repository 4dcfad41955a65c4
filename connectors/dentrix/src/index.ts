import { defineConnector, defineStream, NotImplementedError, type RecordKind, type StreamDefinition } from '@sourceline/sdk';
import { z } from 'zod';
import { dentrixSettings, type DentrixSettings } from './settings.ts';

/**
 * DECLARED STUB — NOT IMPLEMENTED. Dentrix is listed in the UI as "coming soon" so practices can say they need it.
 * Every stream fails with a clear "not implemented yet" error; nothing is read from Dentrix.
 * Capability notes (docs/connectors.md): official API partner-only (DDP agreement); transport local ODBC via the
 * vendor DLL; no public docs; incremental support unknown.
 */
const notImplemented = 'The Dentrix connector is not implemented yet (listed as coming soon). Import a CSV export with "Other PMS (CSV import)" in the meantime.';

const NoCursor = z.object({});

function stubStream(name: string, emits: RecordKind): StreamDefinition<DentrixSettings, z.infer<typeof NoCursor>> {
  return defineStream<DentrixSettings, z.infer<typeof NoCursor>>({
    name,
    description: `${name} from Dentrix (not implemented yet)`,
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

const dentrix = defineConnector({
  id: 'dentrix',
  kind: 'pms',
  displayName: 'Dentrix',
  description: 'Coming soon. Dentrix G-series data is only reachable through the Dentrix Developer Program and a local agent.',
  status: 'coming-soon',
  settings: dentrixSettings,
  streams: [stubStream('patients', 'patient'), stubStream('appointments', 'appointment'), stubStream('procedures', 'procedure')],
});

export default dentrix;
export { dentrix, dentrixSettings };
