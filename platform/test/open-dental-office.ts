import { createHash } from 'node:crypto';
import openDental, { OpenDentalClient, type openDentalSettings } from '@sourceline/connector-open-dental';
import type { OpenDentalSimulator } from '@sourceline/connector-open-dental/simulator';
import { createHttpClient, validateRecords, type RecordKind, type RecordOf } from '@sourceline/sdk';
import { runStream } from '@sourceline/sdk/testkit';
import { expect } from 'vitest';
import type { z } from 'zod';
import type { PracticeCipher } from '../src/crypto/practice-keys.ts';
import type { Database } from '../src/db/database.ts';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { recordTables } from '../src/records/record-tables.ts';
import { contentHash } from '../src/records/write-records.ts';

/**
 * Helpers for the tests that hold what an Open Dental office (the simulator) serves against what a connection stored:
 * both sides become one line per record, `source id|content hash`, so equal lines mean equal records, field for field.
 */

type OpenDentalSettingsInput = z.input<typeof openDentalSettings>;

/** The office listing each stream reads, so the expected side reads the very same rows. */
const SOURCE_PATHS: Record<string, string> = {
  locations: 'clinics', providers: 'providers', patients: 'patients/Simple', 'referral-sources': 'refattaches',
  appointments: 'appointments', procedures: 'procedurelogs', payments: 'payments',
};
/** A stored record as one line: its source id and content hash (an HMAC of the whole record as the connector mapped it). */
const RECORD_LINE = `source_id || '|' || encode(content_hash, 'hex')`;

/**
 * Every record the office holds, one line each: read page by page as the connector reads it, mapped by the
 * connector's own parser and hashed as the platform hashes what it stores. Call it with the simulator's faults off:
 * with page drift on, reading the office would change it. `pageSize` is the simulator's if it was started with one (a
 * page shorter than the expected size reads as the last).
 */
export async function readOfficeLines(sim: OpenDentalSimulator, cipher: PracticeCipher, pageSize?: number): Promise<Map<RecordKind, string[]>> {
  const access = { baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', mode: 'remote', pageSize } as const;
  const office = new OpenDentalClient(createHttpClient(), access);
  const referralSources = await referralSourcesAsSynced({ ...access, timeZone: sim.clock.timeZone });
  const lines = new Map<RecordKind, string[]>();
  for (const stream of openDental.streams) {
    for (let offset = 0; ; ) {
      const page = await office.listPage(SOURCE_PATHS[stream.name]!, {}, offset);
      const parsed = stream.parse({ name: stream.name, body: JSON.stringify(page.rows) }, { timeZone: sim.clock.timeZone });
      expect(parsed.issues).toEqual([]);
      for (const { kind, record } of parsed.records) {
        // The saved-page parser cannot join the referral listing that names a referral source (name, kind, referring
        // patient): for those rows, the record a sync maps, found by the id this listing holds.
        const mapped = kind === 'referral-source' ? referralSources.get(record.id) : record;
        expect(mapped, `${kind} ${record.id} as a sync maps it`).toBeDefined();
        // Validation hands the platform the records it hashes; it may reshape them.
        const { valid: [checked], issues } = validateRecords(kind, [mapped]);
        expect(issues).toEqual([]);
        if (!lines.has(kind)) lines.set(kind, []);
        lines.get(kind)!.push(`${checked!.id}|${contentHash(cipher, kind, checked).toString('hex')}`);
      }
      offset += page.rows.length;
      if (page.rows.length < office.pageSize) break;
    }
  }
  return lines;
}

/** Referral sources as the connector's stream maps them (with the referral listing joined), run by the SDK's test kit. */
async function referralSourcesAsSynced(settings: OpenDentalSettingsInput): Promise<Map<string, RecordOf<'referral-source'>>> {
  const report = await runStream({ connector: openDental, stream: 'referral-sources', settings });
  return new Map(report.store.records('referral-source').map((r) => [r.id, r]));
}

/** What the connection stored, one line per row (a row marked deleted says so, so it cannot pass for present). */
export async function readStoredLines(db: Database, connectionId: string, kinds: Iterable<RecordKind>): Promise<Map<RecordKind, string[]>> {
  return withSystem(db.owner, async (c) => {
    const lines = new Map<RecordKind, string[]>();
    for (const kind of kinds) {
      const { rows } = await c.query<{ line: string }>(
        `SELECT ${RECORD_LINE} || CASE WHEN deleted_at IS NULL THEN '' ELSE '|deleted' END AS line
           FROM ${recordTables[kind].table} WHERE connection_id = $1`,
        [connectionId],
      );
      lines.set(kind, rows.map((r) => r.line));
    }
    return lines;
  });
}

/**
 * Per kind of the office's: how many, a checksum over them all, and a few of the lines missing or unexpected to say
 * what went wrong. `expect(compareWithOffice(office, stored)).toEqual(compareWithOffice(office, office))`.
 */
export function compareWithOffice(office: Map<RecordKind, string[]>, lines: Map<RecordKind, string[]>) {
  return Object.fromEntries(
    [...office].map(([kind, expected]) => {
      const stored = lines.get(kind) ?? [];
      const inOffice = new Set(expected);
      const inStore = new Set(stored);
      return [kind, {
        records: stored.length,
        checksum: createHash('sha256').update([...stored].sort().join('\n')).digest('hex'),
        missing: expected.filter((line) => !inStore.has(line)).slice(0, 3),
        unexpected: stored.filter((line) => !inOffice.has(line)).slice(0, 3),
      }];
    }),
  );
}
