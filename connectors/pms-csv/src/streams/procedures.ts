import type { Procedure } from '@sourceline/sdk';
import type { CsvFileSpec } from '../csv/import-file.ts';
import { createCsvStream } from './csv-stream.ts';

const statuses = {
  completed: 'completed', complete: 'completed', c: 'completed', planned: 'planned', tp: 'planned',
  existing: 'existing', deleted: 'deleted', void: 'deleted',
} as const;

export const proceduresFile: CsvFileSpec<'procedure'> = {
  file: 'procedures',
  kind: 'procedure',
  requiredColumns: ['id', 'patientId', 'code', 'fee', 'performedOn'],
  mapRow(f) {
    const id = f.text('id', true);
    const patientId = f.text('patientId', true);
    const code = f.text('code', true);
    const status = f.choice('status', statuses, 'completed');
    const performedOn = f.date('performedOn', status === 'completed');
    const unitFeeCents = f.cents('fee', true);
    const quantity = f.wholeNumber('quantity', 1) ?? 1;
    const procedure: Procedure = {
      id: id ?? '',
      patientId: patientId ?? '',
      appointmentId: f.text('appointmentId'),
      providerId: f.text('providerId'),
      locationId: f.text('locationId'),
      status,
      performedOn,
      code: code ?? '',
      description: f.text('description'),
      unitFeeCents: unitFeeCents ?? 0,
      quantity,
      feeCents: (unitFeeCents ?? 0) * quantity,
      discountCents: f.cents('discount') ?? 0,
      sourceUpdatedAt: null,
    };
    return id === null || patientId === null || code === null || unitFeeCents === null ? undefined : procedure;
  },
};

export const proceduresStream = createCsvStream(proceduresFile, 'Procedures (production) from procedures.csv');
