import { cdtCodes, treatmentPlans, type CdtCodeName } from './cdt-codes.ts';
import { dateOfDay, dayNumber, localStamp, maxStamp, nextBusinessDay } from './dates.ts';
import type { Random } from './random.ts';
import type { DemoAppointment, DemoPatient, DemoPayment, DemoProcedure, DemoProvider } from './types.ts';

interface CareInput {
  rng: Random;
  patients: DemoPatient[];
  providers: readonly DemoProvider[];
  startDate: string;
  asOf: string;
}

const codeNumbers = new Map<string, number>(Object.keys(cdtCodes).map((code, i) => [code, i + 1]));

export function codeNumberOf(code: string): number {
  return codeNumbers.get(code) ?? 0;
}

/**
 * Every patient's visits: a new-patient exam, recalls about every six months, treatment after exams (some left
 * planned), broken appointments that get rescheduled, and one future appointment. Completed visits produce procedures
 * at the practice's fees and a patient payment.
 */
export function buildCare(input: CareInput): { appointments: DemoAppointment[]; procedures: DemoProcedure[]; payments: DemoPayment[] } {
  const { rng, patients, providers, startDate, asOf } = input;
  const appointments: DemoAppointment[] = [];
  const procedures: DemoProcedure[] = [];
  const payments: DemoPayment[] = [];
  const feeMultiplier = rng.normal(1.05, 0.12, 0.85, 1.35);
  const fee = (code: CdtCodeName) => Math.round((cdtCodes[code].feeCents * feeMultiplier) / 500) * 500;
  const windowStart = dayNumber(startDate);
  const today = dayNumber(asOf);
  const byLocation = groupProviders(providers);

  for (const patient of patients) {
    const staff = byLocation.get(patient.locationId) ?? byLocation.get(0) ?? { dentists: [], hygienists: [] };
    const hygienist = staff.hygienists.length > 0 ? rng.pick(staff.hygienists).id : 0;
    const dentist = patient.primaryProviderId;
    const firstDay = dayNumber(patient.firstVisitOn);
    const isChild = patient.birthDate !== null && Number(asOf.slice(0, 4)) - Number(patient.birthDate.slice(0, 4)) < 18;
    const lapsed = patient.status !== 'Patient' && patient.status !== 'Prospective';
    const plan = pickTreatment(rng, patient);

    const visits: { day: number; kind: 'new' | 'recall' | 'treatment' }[] = [];
    if (patient.isNewInWindow) visits.push({ day: firstDay, kind: 'new' });
    if (plan && patient.isNewInWindow && !plan.leftPlanned) visits.push({ day: firstDay + rng.int(10, 45), kind: 'treatment' });
    let recallsLeft = lapsed ? rng.int(0, 2) : 99;
    for (let day = firstDay + rng.int(165, 200); day <= today + 170 && recallsLeft > 0; day += rng.int(165, 200), recallsLeft--) {
      if (day >= windowStart) visits.push({ day, kind: 'recall' });
    }
    visits.sort((a, b) => a.day - b.day);

    let previousStamp = localStamp(patient.createdOn, 9 * 60);
    let futureBooked = false;
    for (const visit of visits) {
      const date = nextBusinessDay(dateOfDay(visit.day));
      const isFuture = dayNumber(date) > today;
      if (isFuture && (futureBooked || lapsed)) break;
      if (patient.status === 'Prospective' && !isFuture && visit.kind !== 'new') break;
      const minutes = 8 * 60 + rng.int(0, 17) * 30;
      const createdDay = visit.kind === 'new' ? Math.min(today, dayNumber(patient.createdOn)) : Math.max(dayNumber(date) - rng.int(30, 190), windowStart - 200);
      const createdAt = localStamp(dateOfDay(Math.min(createdDay, dayNumber(date))), 9 * 60 + rng.int(0, 480), rng.int(0, 59));
      const base = {
        patientId: patient.id, locationId: patient.locationId, providerId: dentist,
        hygienistId: visit.kind === 'treatment' ? 0 : hygienist, isNewPatient: visit.kind === 'new',
        isHygiene: visit.kind === 'recall', createdAt,
      };
      if (isFuture || patient.status === 'Prospective') {
        futureBooked = true;
        const broken = !isFuture; // a prospective patient whose new-patient visit never happened
        appointments.push({
          ...base, id: appointments.length + 1, startsAt: localStamp(date, minutes), status: broken ? 'Broken' : 'Scheduled',
          updatedAt: broken ? localStamp(date, minutes + 15) : createdAt, procedureSummary: visit.kind === 'new' ? 'NP Exam' : 'Recall',
        });
        continue;
      }
      if (rng.chance(0.05)) {
        // Broken, then rebooked a week or two later: attribution must not count the broken one as the first visit.
        appointments.push({
          ...base, id: appointments.length + 1, startsAt: localStamp(date, minutes), status: 'Broken',
          updatedAt: localStamp(date, minutes + 20, rng.int(0, 59)), procedureSummary: '',
        });
      }
      const visitDate = rng.chance(0.05) ? nextBusinessDay(dateOfDay(dayNumber(date) + rng.int(7, 14))) : date;
      if (dayNumber(visitDate) > today) continue;
      const appointmentId = appointments.length + 1;
      const codes = visitCodes(rng, visit.kind, isChild, visit.day, plan?.codes ?? []);
      const doneAt = localStamp(visitDate, minutes + 55, rng.int(0, 59));
      let visitTotal = 0;
      for (const [code, unitQty] of codes) {
        const isHygieneCode = code.startsWith('D1') || code === 'D4910';
        const unitFeeCents = fee(code);
        const baseUnits = code === 'D9230' ? 1 : 0;
        const discountCents = visit.kind === 'treatment' && rng.chance(0.06) ? Math.round(unitFeeCents * 0.1) : 0;
        visitTotal += unitFeeCents * (unitQty + baseUnits) - discountCents;
        procedures.push({
          id: procedures.length + 1, patientId: patient.id, appointmentId, locationId: patient.locationId,
          providerId: isHygieneCode && hygienist !== 0 ? hygienist : dentist, code, codeNum: codeNumberOf(code),
          description: cdtCodes[code].description, date: visitDate, unitFeeCents, unitQty, baseUnits, discountCents,
          // A few completed procedures were entered in error and deleted later (Open Dental keeps them as status D).
          status: rng.chance(0.003) ? 'D' : 'C', updatedAt: doneAt, enteredAt: localStamp(visitDate, minutes + 5),
        });
      }
      appointments.push({
        ...base, id: appointmentId, startsAt: localStamp(visitDate, minutes), status: 'Complete', updatedAt: doneAt,
        procedureSummary: codes.map(([c]) => c).join(', '),
      });
      if (rng.chance(0.88)) {
        const share = Math.round(visitTotal * rng.normal(0.35, 0.12, 0.1, 1));
        payments.push({
          id: payments.length + 1, patientId: patient.guarantorId, locationId: patient.locationId, date: visitDate,
          amountCents: share, type: rng.weighted([['Credit Card', 60], ['Check', 12], ['Cash', 10], ['Care Credit', 5]] as const),
          enteredAt: doneAt,
        });
        if (rng.chance(0.006)) {
          payments.push({
            id: payments.length + 1, patientId: patient.guarantorId, locationId: patient.locationId, date: visitDate,
            amountCents: -Math.round(share * 0.5), type: 'Credit Card', enteredAt: doneAt,
          });
        }
      }
      previousStamp = maxStamp(previousStamp, doneAt);
    }
    if (plan?.leftPlanned && patient.isNewInWindow && patient.status !== 'Prospective') {
      // Treatment presented at the exam but not accepted: planned procedures, no appointment, not production.
      for (const [code, unitQty] of plan.codes) {
        procedures.push({
          id: procedures.length + 1, patientId: patient.id, appointmentId: 0, locationId: patient.locationId, providerId: dentist,
          code, codeNum: codeNumberOf(code), description: cdtCodes[code].description, date: patient.firstVisitOn,
          unitFeeCents: fee(code), unitQty, baseUnits: 0, discountCents: 0, status: 'TP',
          updatedAt: localStamp(patient.firstVisitOn, 17 * 60, rng.int(0, 59)), enteredAt: localStamp(patient.firstVisitOn, 12 * 60),
        });
      }
    }
    patient.updatedAt = maxStamp(patient.updatedAt, previousStamp);
  }
  return { appointments, procedures, payments };
}

function pickTreatment(rng: Random, patient: DemoPatient): { codes: [CdtCodeName, number][]; leftPlanned: boolean } | null {
  const matching = treatmentPlans.filter((p) => p.interest === patient.interest);
  const wantsSpecific = patient.interest !== 'general' && matching.length > 0 && rng.chance(0.7);
  if (!wantsSpecific && !rng.chance(0.45)) return null;
  const plan = wantsSpecific ? rng.weighted(matching.map((p) => [p, p.weight] as const)) : rng.weighted(treatmentPlans.map((p) => [p, p.weight] as const));
  return { codes: withQuantities(plan.codes), leftPlanned: rng.chance(0.22) };
}

function visitCodes(rng: Random, kind: 'new' | 'recall' | 'treatment', isChild: boolean, day: number, treatment: [CdtCodeName, number][]): [CdtCodeName, number][] {
  const cleaning: CdtCodeName = isChild ? 'D1120' : 'D1110';
  if (kind === 'new') {
    const codes: [CdtCodeName, number][] = [['D0150', 1], [rng.chance(0.6) ? 'D0210' : 'D0330', 1], [cleaning, 1]];
    if (isChild) codes.push(['D1206', 1]);
    return codes;
  }
  if (kind === 'treatment') return treatment;
  const codes: [CdtCodeName, number][] = [['D0120', 1], [rng.chance(0.1) && !isChild ? 'D4910' : cleaning, 1]];
  if (day % 2 === 0) codes.push(['D0274', 1]);
  if (isChild) codes.push(['D1206', 1]);
  if (rng.chance(0.12)) codes.push([rng.pick(['D2391', 'D2392', 'D0220'] as const), 1]);
  return codes;
}

/** Repeated codes in a plan become one line with a quantity (Open Dental's UnitQty). */
function withQuantities(codes: readonly CdtCodeName[]): [CdtCodeName, number][] {
  const counts = new Map<CdtCodeName, number>();
  for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts];
}

function groupProviders(providers: readonly DemoProvider[]): Map<number, { dentists: DemoProvider[]; hygienists: DemoProvider[] }> {
  const map = new Map<number, { dentists: DemoProvider[]; hygienists: DemoProvider[] }>();
  for (const p of providers) {
    const entry = map.get(p.locationId) ?? { dentists: [], hygienists: [] };
    (p.role === 'dentist' ? entry.dentists : entry.hygienists).push(p);
    map.set(p.locationId, entry);
  }
  return map;
}
