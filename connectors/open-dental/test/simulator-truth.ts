import { createHash } from 'node:crypto';
import { epochMsToLocalDateTime, type RecordKind } from '@sourceline/sdk';
import type { MemoryStore } from '@sourceline/sdk/testkit';
import type { OpenDentalSimulator } from '../simulator/index.ts';

/**
 * Counts and checksums of what the simulator holds, computed straight from its Open Dental rows, and the same
 * projection computed from the canonical records a sync stored. Equal digests mean the sync ended with exactly the
 * office's data. The projections convert back to Open Dental's terms with their own small tables, independent of
 * the connector's mapping code.
 */
export interface Digest {
  count: number;
  checksum: string;
}

const patientStatus: Record<string, string> = {
  active: 'Patient', 'non-patient': 'NonPatient', inactive: 'Inactive', archived: 'Archived', deleted: 'Deleted', deceased: 'Deceased', prospective: 'Prospective',
};
const appointmentStatus: Record<string, string> = { scheduled: 'Scheduled', completed: 'Complete', broken: 'Broken', unscheduled: 'UnschedList', planned: 'Planned' };
const procedureStatus: Record<string, string> = { completed: 'C', planned: 'TP', deleted: 'D', existing: 'EO' };
const cents = (value: unknown) => Math.round(Number(value) * 100);

export function simulatorDigests(sim: OpenDentalSimulator): Partial<Record<RecordKind, Digest>> {
  const t = sim.state.tables;
  return {
    patient: digest(t.patients.all().map((r) => [r.PatNum, r.LName, r.PatStatus, r.WirelessPhone || '-', r.Birthdate])),
    appointment: digest(t.appointments.all().map((r) => [r.AptNum, r.PatNum, r.AptStatus, r.AptDateTime])),
    procedure: digest(t.procedurelogs.all().map((r) => [r.ProcNum, r.PatNum, r.ProcStatus, cents(r.ProcFee) * (Number(r.UnitQty) + Number(r.BaseUnits)), r.ProcDate])),
    payment: digest(t.payments.all().map((r) => [r.PayNum, r.PatNum, cents(r.PayAmt), r.PayDate])),
    provider: digest(t.providers.all().map((r) => [r.ProvNum, r.Abbr])),
    location: digest(t.clinics.all().map((r) => [r.ClinicNum, r.Description])),
    'referral-source': digest(t.refattaches.all().filter((r) => r.ReferralType === 'RefFrom').map((r) => [r.RefAttachNum, r.PatNum, r.ItemOrder])),
  };
}

export function storeDigests(store: MemoryStore, timeZone: string): Partial<Record<RecordKind, Digest>> {
  const local = (iso: string) => epochMsToLocalDateTime(Date.parse(iso), timeZone);
  return {
    patient: digest(store.records('patient').map((p) => [p.id, p.lastName, patientStatus[p.status], p.phones.find((x) => x.kind === 'mobile')?.number ?? '-', p.birthDate ?? '0001-01-01'])),
    appointment: digest(store.records('appointment').map((a) => [a.id, a.patientId, appointmentStatus[a.status], local(a.scheduledAt)])),
    procedure: digest(store.records('procedure').map((p) => [p.id, p.patientId, procedureStatus[p.status], p.feeCents, p.performedOn ?? '0001-01-01'])),
    payment: digest(store.records('payment').map((p) => [p.id, p.patientId, p.amountCents, p.paidOn])),
    provider: digest(store.records('provider').map((p) => [p.id, p.abbreviation])),
    location: digest(store.records('location').map((l) => [l.id, l.name])),
    'referral-source': digest(store.records('referral-source').map((r) => [r.id, r.patientId, r.rank])),
  };
}

function digest(rows: unknown[][]): Digest {
  const lines = rows.map((r) => r.map(String).join('|')).sort();
  return { count: lines.length, checksum: createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16) };
}
