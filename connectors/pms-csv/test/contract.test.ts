import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCrashResume, checkIdempotentRerun, checkMonotonicCursors, generateWorld, MemoryStore, runStream } from '@sourceline/sdk/testkit';
import { describe, expect, it } from 'vitest';
import pmsCsv from '../src/index.ts';
import { renderPatientsCsv, renderProceduresCsv, renderAppointmentsCsv } from './render-demo-csv.ts';

function exportFolder(patients = 300): string {
  const world = generateWorld({ seed: 4, practices: [{ name: 'Maple Family Dental', timeZone: 'America/Denver', locations: 1, patients, months: 6 }] });
  const practice = world.practices[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'pms-csv-'));
  writeFileSync(join(dir, 'patients.csv'), renderPatientsCsv(practice));
  writeFileSync(join(dir, 'appointments.csv'), renderAppointmentsCsv(practice));
  writeFileSync(join(dir, 'procedures.csv'), renderProceduresCsv(practice));
  return dir;
}

describe('the CSV importer keeps the SDK contract', () => {
  const dir = exportFolder();
  const settings = { source: { type: 'directory' as const, path: dir }, timeZone: 'America/Denver' };

  for (const stream of ['patients', 'appointments', 'procedures']) {
    it(`${stream}: idempotent, monotonic, crash-safe`, async () => {
      const options = { connector: pmsCsv, stream, settings };
      const { first, second } = await checkIdempotentRerun(options);
      expect(Object.values(first.emitted)[0]).toBeGreaterThan(0);
      expect(second.emitted).toEqual({});
      await checkMonotonicCursors(options);
      await checkCrashResume(options);
    });
  }

  it('marks rows missing from a new export deleted, and fails a bad export without importing any of it', async () => {
    const store = new MemoryStore();
    await runStream({ connector: pmsCsv, stream: 'patients', settings, store });
    const before = store.count('patient');
    const lines = renderPatientsCsv(generateWorld({ seed: 4, practices: [{ name: 'Maple Family Dental', timeZone: 'America/Denver', locations: 1, patients: 300, months: 6 }] }).practices[0]!).trimEnd().split('\n');
    writeFileSync(join(dir, 'patients.csv'), `${lines.slice(0, -2).join('\n')}\n`);
    const report = await runStream({ connector: pmsCsv, stream: 'patients', settings, store });
    expect(report.deleted.patient).toBe(2);
    expect(store.count('patient')).toBe(before - 2);

    writeFileSync(join(dir, 'patients.csv'), `${lines.join('\n')}\nbroken-row,,,not-a-date\n`);
    await expect(runStream({ connector: pmsCsv, stream: 'patients', settings, store })).rejects.toThrow(/patients\.csv has \d+ problem\(s\), so nothing from it was imported\. patients\.csv line \d+/);
    expect(store.count('patient')).toBe(before - 2);
  });
});
