import { parse } from 'csv-parse/sync';

export interface CsvRow {
  /** 1-based line where the record starts (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

export interface CsvTable {
  headers: string[];
  rows: CsvRow[];
}

/** Parses CSV text (BOM, quoted fields, embedded newlines) into rows keyed by header, remembering line numbers. */
export function readCsv(text: string, delimiter: string): CsvTable {
  const records = parse(text, {
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [header, ...body] = records;
  if (!header) return { headers: [], rows: [] };
  const headers = header.record.map((h) => h.trim());
  let previousEnd = header.info.lines;
  const rows = body.map(({ record, info }) => {
    const values: Record<string, string> = {};
    headers.forEach((h, i) => {
      values[h] = record[i] ?? '';
    });
    const line = previousEnd + 1;
    previousEnd = info.lines;
    return { line, values };
  });
  return { headers, rows };
}
