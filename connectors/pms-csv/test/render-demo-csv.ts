import type { DemoPractice } from '@sourceline/sdk/testkit';

/** Renders demo-world data as the CSV exports a practice on another PMS might send (default column headers). */
const quote = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const csv = (header: string[], rows: (string | number | null)[][]) => `${[header, ...rows].map((r) => r.map(quote).join(',')).join('\n')}\n`;

export function renderPatientsCsv(practice: DemoPractice): string {
  const statuses: Record<string, string> = { Patient: 'active', NonPatient: 'non-patient', Inactive: 'inactive', Archived: 'archived', Deceased: 'deceased', Prospective: 'prospective', Deleted: 'deleted' };
  return csv(
    ['patient_id', 'first_name', 'last_name', 'preferred_name', 'birth_date', 'gender', 'status', 'mobile_phone', 'email', 'guarantor_id', 'location_id', 'first_visit_date'],
    practice.patients.map((p) => [p.id, p.firstName, p.lastName, p.preferredName, p.birthDate, p.gender, statuses[p.status]!, p.mobilePhone, p.email, p.guarantorId, p.locationId, p.recordedFirstVisitOn]),
  );
}

export function renderAppointmentsCsv(practice: DemoPractice): string {
  const statuses: Record<string, string> = { Scheduled: 'scheduled', Complete: 'completed', Broken: 'broken', UnschedList: 'unscheduled', Planned: 'planned' };
  return csv(
    ['appointment_id', 'patient_id', 'scheduled_at', 'status', 'provider_id', 'location_id', 'is_new_patient'],
    practice.appointments.map((a) => [a.id, a.patientId, a.startsAt.slice(0, 16), statuses[a.status]!, a.providerId, a.locationId, a.isNewPatient ? 'yes' : 'no']),
  );
}

export function renderProceduresCsv(practice: DemoPractice): string {
  const statuses: Record<string, string> = { C: 'completed', TP: 'planned', D: 'deleted', EO: 'existing' };
  return csv(
    ['procedure_id', 'patient_id', 'appointment_id', 'date', 'code', 'description', 'fee', 'quantity', 'status', 'provider_id', 'location_id'],
    practice.procedures.map((p) => [p.id, p.patientId, p.appointmentId || null, p.date, p.code, p.description, (p.unitFeeCents / 100).toFixed(2), p.unitQty + p.baseUnits, statuses[p.status]!, p.providerId, p.locationId]),
  );
}
