import type { ParseIssue } from '@sourceline/sdk';
import type { PmsCsvSettings } from '../settings.ts';
import type { CsvRow } from './read-csv.ts';
import { parseCents, parseChoice, parseDate, parseLocalDateTime, parseWholeNumber, parseYesNo, type Parsed } from './field-parsers.ts';

/**
 * Reads one CSV row through the column mapping. Every problem becomes an issue naming the file, the line and the
 * column header as the practice's export spells it, so the person fixing the export can find the cell.
 */
export class RowFields {
  ok = true;

  constructor(
    private readonly row: CsvRow,
    private readonly columns: Readonly<Record<string, string>>,
    private readonly fileName: string,
    private readonly settings: Pick<PmsCsvSettings, 'dateFormat' | 'timeZone'>,
    private readonly issues: ParseIssue[],
  ) {}

  /** The raw cell of a canonical field; empty when the column is absent from the file. */
  cell(field: string): string {
    const header = this.columns[field];
    return header === undefined ? '' : (this.row.values[header] ?? '').trim();
  }

  text(field: string, required = false): string | null {
    const value = this.cell(field);
    if (value === '') {
      if (required) this.fail(field, 'is required');
      return null;
    }
    return value;
  }

  date(field: string, required = false): string | null {
    return this.parse(field, required, (t) => parseDate(t, this.settings.dateFormat));
  }

  dateTime(field: string, required = false): string | null {
    return this.parse(field, required, (t) => parseLocalDateTime(t, this.settings.dateFormat, this.settings.timeZone));
  }

  cents(field: string, required = false): number | null {
    return this.parse(field, required, parseCents);
  }

  wholeNumber(field: string, min = 0): number | null {
    return this.parse(field, false, (t) => parseWholeNumber(t, min));
  }

  yesNo(field: string): boolean | null {
    return this.parse(field, false, parseYesNo);
  }

  choice<T extends string>(field: string, choices: Readonly<Record<string, T>>, fallback: T): T {
    return this.parse(field, false, (t) => parseChoice(t, choices)) ?? fallback;
  }

  fail(field: string, message: string): void {
    this.ok = false;
    this.issues.push({ record: `${this.fileName} line ${this.row.line}`, field: this.columns[field] ?? field, message });
  }

  private parse<T>(field: string, required: boolean, parser: (text: string) => Parsed<T>): T | null {
    const value = this.cell(field);
    if (value === '') {
      if (required) this.fail(field, 'is required');
      return null;
    }
    const result = parser(value);
    if (!result.ok) {
      this.fail(field, result.message);
      return null;
    }
    return result.value;
  }
}
