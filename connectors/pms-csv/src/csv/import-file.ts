import type { ParseIssue, RecordKind, RecordOf } from '@sourceline/sdk';
import { validateRecords } from '@sourceline/sdk';
import { columnsFor, type CsvFileKind, type PmsCsvSettings } from '../settings.ts';
import { readCsv } from './read-csv.ts';
import { RowFields } from './row-fields.ts';

/** How one export file becomes canonical records: which fields it needs and how a row maps. */
export interface CsvFileSpec<K extends RecordKind> {
  file: CsvFileKind;
  kind: K;
  /** Canonical fields whose column must be present in the header. */
  requiredColumns: readonly string[];
  mapRow(fields: RowFields): RecordOf<K> | undefined;
}

export interface ImportedFile<K extends RecordKind> {
  records: RecordOf<K>[];
  issues: ParseIssue[];
}

/**
 * Validates a whole file row by row. The result is all-or-nothing: with any issue, `records` is empty, so a file
 * with one bad row imports nothing and the practice fixes the export instead of living with a silent gap.
 */
export function importCsvFile<K extends RecordKind>(
  spec: CsvFileSpec<K>,
  text: string,
  fileName: string,
  settings: Partial<PmsCsvSettings> & Pick<PmsCsvSettings, 'timeZone'>,
): ImportedFile<K> {
  const issues: ParseIssue[] = [];
  const columns = columnsFor(spec.file, settings);
  let table;
  try {
    table = readCsv(text, settings.delimiter ?? ',');
  } catch (error) {
    return { records: [], issues: [{ record: fileName, field: '(file)', message: `not readable as CSV: ${(error as Error).message}` }] };
  }
  for (const field of spec.requiredColumns) {
    const header = columns[field]!;
    if (!table.headers.includes(header)) issues.push({ record: `${fileName} line 1`, field: header, message: 'column not found in the header' });
  }
  if (issues.length > 0) return { records: [], issues };

  const records: RecordOf<K>[] = [];
  const firstLineOfId = new Map<string, number>();
  const fieldSettings = { dateFormat: settings.dateFormat ?? 'YYYY-MM-DD', timeZone: settings.timeZone };
  for (const row of table.rows) {
    const fields = new RowFields(row, columns, fileName, fieldSettings, issues);
    const record = spec.mapRow(fields);
    if (!record || !fields.ok) continue;
    const earlier = firstLineOfId.get(record.id);
    if (earlier !== undefined) {
      fields.fail('id', `duplicate id (first on line ${earlier})`);
      continue;
    }
    firstLineOfId.set(record.id, row.line);
    const { issues: schemaIssues } = validateRecords(spec.kind, [record]);
    for (const issue of schemaIssues) issues.push({ ...issue, record: `${fileName} line ${row.line}` });
    if (schemaIssues.length === 0) records.push(record);
  }
  return { records: issues.length > 0 ? [] : records, issues };
}
