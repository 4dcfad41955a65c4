import { Random, renderOpenDental, type DemoPractice, type OpenDentalRow } from '@sourceline/sdk/testkit';
import type { ServerClock } from './server-clock.ts';
import { Table } from './table.ts';

export type TableName = 'patients' | 'appointments' | 'procedurelogs' | 'payments' | 'providers' | 'clinics' | 'referrals' | 'refattaches' | 'histappointments';

/**
 * The office's data: one table per resource, seeded from a demo-world practice, plus the mutations a live office
 * makes (edits, new rows, no-op touches, deletes). Every write stamps DateTStamp/SecDateTEdit with the server clock.
 */
export class SimulatorState {
  readonly tables: Record<TableName, Table>;
  private readonly rng: Random;

  constructor(practice: DemoPractice, private readonly clock: ServerClock, seed: number) {
    const od = renderOpenDental(practice);
    this.rng = new Random(seed, 9_001);
    this.tables = {
      patients: new Table('patients', 'PatNum', 'DateTStamp', 'first', od.patients),
      appointments: new Table('appointments', 'AptNum', 'DateTStamp', 'first', od.appointments),
      procedurelogs: new Table('procedurelogs', 'ProcNum', 'DateTStamp', 'last', od.procedurelogs),
      payments: new Table('payments', 'PayNum', 'SecDateTEdit', 'last', od.payments),
      providers: new Table('providers', 'ProvNum', 'DateTStamp', 'last', od.providers),
      clinics: new Table('clinics', 'ClinicNum', null, 'none', od.clinics),
      referrals: new Table('referrals', 'ReferralNum', 'DateTStamp', 'none', od.referrals),
      refattaches: new Table('refattaches', 'RefAttachNum', 'DateTStamp', 'none', od.refattaches),
      histappointments: new Table('histappointments', 'HistApptNum', null, 'none', []),
    };
  }

  /** Edits rows (a changed phone, a rescheduled appointment) or only touches them (an aging run): both move the stamp. */
  touch(table: 'patients' | 'appointments' | 'procedurelogs', count: number, options: { realChange?: boolean } = {}): number[] {
    const t = this.tables[table];
    const ids: number[] = [];
    for (let i = 0; i < count && t.size > 0; i++) {
      const row = this.rng.pick(t.all());
      const change: OpenDentalRow = { [t.idField]: t.idOf(row), DateTStamp: this.clock.nowText() };
      if (options.realChange !== false) {
        if (table === 'patients') change.WirelessPhone = `(503)555-${String(this.rng.int(0, 9999)).padStart(4, '0')}`;
        if (table === 'appointments' && row.AptStatus === 'Scheduled') change.AptStatus = 'Broken';
        if (table === 'procedurelogs' && row.ProcStatus === 'TP') change.ProcStatus = 'C';
      }
      t.upsert(change);
      ids.push(t.idOf(row));
    }
    return ids;
  }

  /** A new patient with an appointment and completed procedures, as a front desk would enter them today. */
  addPatientVisit(): { patNum: number; aptNum: number; procNums: number[] } {
    const now = this.clock.nowText();
    const today = now.slice(0, 10);
    const patients = this.tables.patients;
    const template = this.rng.pick(patients.all());
    const patNum = patients.nextId();
    patients.upsert({
      ...template, PatNum: patNum, Guarantor: patNum, FName: this.rng.pick(['Ada', 'Bea', 'Cy', 'Dee', 'Eli']), PatStatus: 'Patient',
      DateFirstVisit: today, DateTStamp: now, SecDateEntry: today,
    });
    const appointments = this.tables.appointments;
    const aptNum = appointments.nextId();
    const templateApt = this.rng.pick(appointments.all());
    appointments.upsert({
      ...templateApt, AptNum: aptNum, PatNum: patNum, AptStatus: 'Complete', AptDateTime: `${today} 09:00:00`,
      IsNewPatient: 'true', DateTStamp: now, SecDateTEntry: now,
    });
    const procs = this.tables.procedurelogs;
    const procNums: number[] = [];
    for (const [code, fee] of [['D0150', '110.00'], ['D0210', '155.00'], ['D1110', '120.00']] as const) {
      const procNum = procs.nextId();
      const templateProc = this.rng.pick(procs.all());
      procs.upsert({
        ...templateProc, ProcNum: procNum, PatNum: patNum, AptNum: aptNum, ProcDate: today, ProcFee: fee, ProcStatus: 'C',
        procCode: code, UnitQty: 1, BaseUnits: 0, Discount: 0, DateTStamp: now, SecDateEntry: now,
      });
      procNums.push(procNum);
    }
    const payments = this.tables.payments;
    if (payments.size > 0) payments.upsert({
      ...this.rng.pick(payments.all()), PayNum: payments.nextId(), PatNum: patNum, PayAmt: '96.5', PayDate: today,
      DateEntry: today, SecDateTEdit: now,
    });
    return { patNum, aptNum, procNums };
  }

  /** Appointments are hard-deleted; only /histappointments remembers them. */
  deleteAppointments(count: number): number[] {
    const t = this.tables.appointments;
    const hist = this.tables.histappointments;
    const ids: number[] = [];
    for (let i = 0; i < count && t.size > 0; i++) {
      const row = this.rng.pick(t.all());
      const id = t.idOf(row);
      t.remove(id);
      hist.upsert({ ...row, HistApptNum: hist.nextId(), HistUserNum: 1, HistDateTStamp: this.clock.nowText(), HistApptAction: 'Deleted', ApptSource: 'None' });
      ids.push(id);
    }
    return ids;
  }

  /** Procedures are never removed: they flip to status D with AptNum and PlannedAptNum zeroed. */
  deleteProcedures(count: number): number[] {
    const t = this.tables.procedurelogs;
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const row = this.rng.pick(t.all());
      if (row.ProcStatus === 'D') continue;
      t.upsert({ ProcNum: t.idOf(row), ProcStatus: 'D', AptNum: 0, PlannedAptNum: 0, DateTStamp: this.clock.nowText() });
      ids.push(t.idOf(row));
    }
    return ids;
  }

  /** Patients are never removed: their status becomes Deleted. */
  deletePatients(count: number): number[] {
    const t = this.tables.patients;
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const row = this.rng.pick(t.all());
      t.upsert({ PatNum: t.idOf(row), PatStatus: 'Deleted', DateTStamp: this.clock.nowText() });
      ids.push(t.idOf(row));
    }
    return ids;
  }

  /** RefAttach rows are hard-deleted (e.g. when the front desk removes a wrong referral). */
  deleteRefAttaches(count: number): number[] {
    const t = this.tables.refattaches;
    const ids: number[] = [];
    for (let i = 0; i < count && t.size > 0; i++) {
      const id = t.idOf(this.rng.pick(t.all()));
      t.remove(id);
      ids.push(id);
    }
    return ids;
  }

  /** Page drift: a few edits and inserts land between two page requests of one listing. */
  churn(table: TableName, rows: number): void {
    if (rows <= 0) return;
    if (table === 'patients' || table === 'appointments' || table === 'procedurelogs') this.touch(table, rows);
    if (table === 'procedurelogs' || table === 'patients') this.addPatientVisit();
  }
}
