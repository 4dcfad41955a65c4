import type { stringify } from 'csv-stringify';
import type { AttributionModelId } from '../../attribution/attribution-settings.ts';
import type { RollupChannel } from '../../attribution/rollups.ts';
import type { AuditOrigin } from '../../audit/record-audit-event.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Role } from '../../auth/roles.ts';
import type { TenantReader } from '../../conversions/select-ad-conversions.ts';
import { parseDayRange, type DayRange } from '../report-range.ts';

export type CsvOut = ReturnType<typeof stringify>;

/** Rows read per transaction: a long list streams out a page at a time instead of filling memory. */
export const EXPORT_PAGE = 500;

export class ExportError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** One export asked for: who asks, with which role where the export reads, and the request's parameters. */
export interface ExportRequest {
  principal: Principal;
  origin: AuditOrigin;
  role: Role;
  /** The attribution model asked for; each practice's default when null. */
  model: AttributionModelId | null;
  /** Reads in one transaction scoped to the caller's tenants (row-level security), as the screens do. */
  read: TenantReader;
  /** A query parameter, as given. */
  param(name: string): string | null;
}

export interface PracticeExportRequest extends ExportRequest {
  practiceId: string;
  channel: RollupChannel | null;
  locationId: string | null;
}

export interface AgencyExportRequest extends ExportRequest {
  agencyId: string;
}

/** An export whose parameters were checked, ready to be audited and streamed. */
export interface OpenedCsv {
  /** The PHI the file carries (field names, never values), named in its audit event. */
  fields: string[];
  /** The export's own parameters as checked (ids and filters, never PHI): in the audit event and the file's name. */
  params?: Record<string, string>;
  /** Writes the header and the rows; answers how many rows. */
  write(out: CsvOut): Promise<number>;
}

export interface CsvReport<R extends ExportRequest> {
  /** The least role that may export it. */
  role: Role;
  /** Checks the report's own parameters — before anything is audited or sent — and returns the file to write. */
  open(request: R): OpenedCsv | Promise<OpenedCsv>;
}

/** The request's days `from` to `to`, for the reports that need them: a missing or bad end is a 400. */
export function requireRange(request: ExportRequest): DayRange {
  return parseDayRange(request.param('from') ?? '', request.param('to') ?? '');
}

/**
 * Reads a list a page at a time, each page in its own transaction, and writes each page before reading the next.
 * `readPage` is given the offset and the previous page's last item (for keyset paging); a short page is the last.
 */
export async function writeInPages<T>(readPage: (at: { offset: number; last: T | null }) => Promise<T[]>, writeRows: (items: T[]) => void): Promise<number> {
  let written = 0;
  let last: T | null = null;
  for (;;) {
    const items = await readPage({ offset: written, last });
    writeRows(items);
    written += items.length;
    if (items.length < EXPORT_PAGE) return written;
    last = items[items.length - 1]!;
  }
}

/** An instant as ISO 8601 in UTC: unambiguous in any spreadsheet's locale. */
export const instant = (at: Date | null | undefined) => at?.toISOString() ?? '';
