import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerMatchCommand } from '../cli/commands/match.ts';
import { UsageError } from '../cli/usage-error.ts';
import { smallPractice } from './testing.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** The small practice as the CSV exports `sourceline match` reads. */
function exportPractice(): { dir: string; patients: string; leads: string } {
  const dir = mkdtempSync(join(tmpdir(), 'match-cli-'));
  const { patients, leads } = smallPractice();
  const patientsCsv = join(dir, 'patients.csv');
  const leadsCsv = join(dir, 'leads.csv');
  writeFileSync(
    patientsCsv,
    [
      'patient_id,first_name,last_name,preferred_name,birthdate,home_phone,work_phone,mobile_phone,email,zip,first_visit_date,created_at',
      ...patients.map((p) => [p.id, p.firstName, p.lastName, p.preferredName, p.birthdate, p.homePhone, p.workPhone, p.mobilePhone, p.email, p.zip, p.firstVisitDate, p.createdAt].join(',')),
    ].join('\n'),
  );
  writeFileSync(
    leadsCsv,
    ['lead_id,occurred_at,kind,channel,name,phone,email', ...leads.map((l) => [l.id, l.occurredAt, 'call', 'direct', l.name, l.phone, l.email].join(','))].join('\n'),
  );
  return { dir, patients: patientsCsv, leads: leadsCsv };
}

async function sourceline(...args: string[]): Promise<void> {
  const program = new Command('sourceline').exitOverride();
  registerMatchCommand(program);
  await program.parseAsync(['node', 'sourceline', ...args]);
}

describe('sourceline match', () => {
  it('writes one row per link with exactly the contract columns', async () => {
    const files = exportPractice();
    const out = join(files.dir, 'matches.csv');
    await sourceline('match', '--patients', files.patients, '--leads', files.leads, '--out', out);
    const [header, ...rows] = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(header).toBe('lead_id,patient_id,confidence,method');
    expect(rows.filter((row) => row.startsWith('L3,')).map((row) => row.split(',').slice(0, 2).join(','))).toEqual(['L3,A3', 'L3,C3']);
    for (const row of rows) expect(row).toMatch(/^L\d+,[AC]\d+,(0\.\d{4}|1\.0000),(phone|email|name_date|household)$/);
    expect(readdirSync(files.dir).sort()).toEqual(['leads.csv', 'matches.csv', 'patients.csv']);
  });

  it('rejects a malformed CSV naming file, line and column, and writes nothing', async () => {
    const files = exportPractice();
    const lines = readFileSync(files.patients, 'utf8').split('\n');
    lines[6] = lines[6]!.replace(/,\d{4}-\d\d-\d\d,/, ',1997-13-45,');
    writeFileSync(files.patients, lines.join('\n'));
    const out = join(files.dir, 'matches.csv');
    const run = sourceline('match', '--patients', files.patients, '--leads', files.leads, '--out', out);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(`${files.patients} line 7, column 5 (birthdate): is not a valid date (YYYY-MM-DD)`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(files.dir).sort()).toEqual(['leads.csv', 'patients.csv']);
  });

  it('exits 2 from the real command line on malformed input', () => {
    const files = exportPractice();
    writeFileSync(files.leads, 'lead_id,occurred_at,name,phone,email\nL1,2024-01-01T00:00:00Z,"Jane,,\n');
    const out = join(files.dir, 'matches.csv');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'platform/src/cli/main.ts', 'match', '--patients', files.patients, '--leads', files.leads, '--out', out], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`sourceline: ${files.leads} line 2, column 3: Quote Not Closed`);
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });
});
