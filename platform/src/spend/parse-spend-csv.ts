import { CsvError, parse } from 'csv-parse/sync';
import { ChannelId, channelDisplayNames } from '../channels/index.ts';
import { ManualSpendEntry, manualSpendSourceId } from './manual-spend-entry.ts';
import { parseSpendAmount } from './parse-spend-amount.ts';

/** A problem in an uploaded file, where the person who made it can find it: line (header = 1) and column name. */
export interface SpendImportProblem {
  line: number;
  column: string | null;
  message: string;
}

export interface ParsedSpendRow {
  line: number;
  entry: ManualSpendEntry;
}

/** The columns a spend file may have; `source/medium` is GA4's combined form (`google / cpc`). */
const COLUMNS = ['date', 'channel', 'source', 'medium', 'source/medium', 'campaign', 'amount', 'currency'] as const;
type Column = (typeof COLUMNS)[number];
const ALIASES: Record<string, Column> = { cost: 'amount', spend: 'amount', 'source / medium': 'source/medium' };

export const MAX_SPEND_CSV_ROWS = 10_000;
export const MAX_SPEND_CSV_CHARS = 2_000_000;

/** `paid-search`, `Paid Search`, `PAID_SEARCH`, `Referral – Web`, `offline / other`: all name a channel. */
const channelKey = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const channelsByKey = new Map<string, ChannelId>(
  ChannelId.options.flatMap((id) => [[channelKey(id), id] as const, [channelKey(channelDisplayNames[id]), id] as const]),
);

/** `2025-03-01`, or `3/1/2025` as US spreadsheets write it. */
function isoDateOf(text: string): string | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : [];
  return y && m && d ? `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` : null;
}

function headerProblems(header: readonly string[]): { columns: (Column | null)[]; problems: SpendImportProblem[] } {
  const problems: SpendImportProblem[] = [];
  const columns = header.map((raw, index) => {
    const name = raw.trim().toLowerCase();
    const column = (COLUMNS as readonly string[]).includes(name) ? (name as Column) : (ALIASES[name] ?? null);
    // Named by position, not repeated: a stray header cell can be anything pasted from a patient list.
    if (!column) problems.push({ line: 1, column: `column ${index + 1}`, message: `an unknown column: use ${COLUMNS.join(', ')}` });
    return column;
  });
  const present = new Set(columns);
  for (const required of ['date', 'amount'] as const) {
    if (!present.has(required)) problems.push({ line: 1, column: required, message: `the "${required}" column is missing` });
  }
  if (!present.has('channel') && !present.has('source') && !present.has('source/medium')) {
    problems.push({ line: 1, column: 'channel', message: 'give a "channel" column, or "source" (and "medium"), or "source/medium"' });
  }
  for (const column of present) {
    if (column && columns.indexOf(column) !== columns.lastIndexOf(column)) problems.push({ line: 1, column, message: `the "${column}" column appears twice` });
  }
  return { columns, problems };
}

/**
 * Reads an uploaded spend file row by row, collecting every problem with its line and column rather than stopping at
 * the first, so one upload shows everything to fix. A row names its channel, or gives its source and medium and is
 * classified by `channelOf` with the practice's rules. The caller writes nothing unless `problems` is empty.
 */
export function parseSpendCsv(
  text: string,
  channelOf: (touch: { source: string; medium: string | null; campaign: string | null }) => ChannelId,
): { rows: ParsedSpendRow[]; problems: SpendImportProblem[] } {
  if (text.length > MAX_SPEND_CSV_CHARS) return { rows: [], problems: [{ line: 1, column: null, message: 'the file is larger than 2 MB: split it' }] };
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // csv-parse's types do not model `info: true`, which wraps each record with where it ended in the file.
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 1;
    return { rows: [], problems: [{ line, column: null, message: `the file is not valid CSV here (${error.code})` }] };
  }
  if (records.length === 0) return { rows: [], problems: [{ line: 1, column: null, message: 'the file is empty' }] };
  if (records.length - 1 > MAX_SPEND_CSV_ROWS) {
    return { rows: [], problems: [{ line: 1, column: null, message: `the file has more than ${MAX_SPEND_CSV_ROWS} rows: split it` }] };
  }
  const { columns, problems } = headerProblems(records[0]!.record);
  if (problems.length) return { rows: [], problems };

  const rows: ParsedSpendRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const cell = (column: Column) => {
      const at = columns.indexOf(column);
      return at < 0 ? '' : (record[at] ?? '').trim();
    };
    const rowProblems: SpendImportProblem[] = [];
    const problem = (column: Column | null, message: string) => rowProblems.push({ line, column, message });
    if (record.length !== columns.length) problem(null, `the row has ${record.length} cells, the header ${columns.length}`);
    // PostgreSQL text cannot hold U+0000.
    record.forEach((value, i) => value.includes('\u0000') && problem(columns[i] ?? null, 'contains a NUL character (U+0000)'));

    const date = isoDateOf(cell('date'));
    if (!date) problem('date', 'not a date (YYYY-MM-DD or M/D/YYYY)');
    const amount = parseSpendAmount(cell('amount'));
    if ('problem' in amount) problem('amount', amount.problem);

    const [combinedSource, combinedMedium] = cell('source/medium').split('/').map((part) => part.trim());
    const source = cell('source') || combinedSource || null;
    const medium = cell('medium') || combinedMedium || null;
    const campaign = cell('campaign') || null;
    let channel: ChannelId | null = null;
    if (cell('channel')) {
      channel = channelsByKey.get(channelKey(cell('channel'))) ?? null;
      if (!channel) problem('channel', `not a channel: use one of ${Object.values(channelDisplayNames).join(', ')}`);
    } else if (source) {
      channel = channelOf({ source, medium, campaign });
    } else {
      problem('channel', 'give the channel, or the source (and medium) to classify it by');
    }

    if (rowProblems.length === 0 && date && channel && 'cents' in amount) {
      const parsed = ManualSpendEntry.safeParse({ date, channel, source, medium, campaign, amountCents: amount.cents, currency: cell('currency') || null });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? 'date');
          problem((field === 'amountCents' ? 'amount' : field) as Column, issue.message);
        }
      } else {
        const key = manualSpendSourceId(parsed.data);
        const earlier = firstLineOf.get(key);
        if (earlier !== undefined) problem(null, `the same day, channel, source, medium and campaign as line ${earlier}: put them on one row`);
        else {
          firstLineOf.set(key, line);
          rows.push({ line, entry: parsed.data });
        }
      }
    }
    problems.push(...rowProblems);
  }
  return { rows, problems };
}
