import { formatPhoneForPms } from './noise.ts';
import type { DemoPractice } from './types.ts';

/** One row as the Open Dental API serialises it (before `serverDateTime` is added). Key order is the API's. */
export type OpenDentalRow = Record<string, string | number>;

export interface OpenDentalTables {
  patients: OpenDentalRow[];
  appointments: OpenDentalRow[];
  procedurelogs: OpenDentalRow[];
  payments: OpenDentalRow[];
  providers: OpenDentalRow[];
  clinics: OpenDentalRow[];
  referrals: OpenDentalRow[];
  refattaches: OpenDentalRow[];
}

const emptyDate = '0001-01-01';
const emptyDateTime = '0001-01-01 00:00:00';
const bool = (value: boolean) => (value ? 'true' : 'false');
/** ProcFee is a string with two decimals ("130.00"). */
const feeText = (cents: number) => (cents / 100).toFixed(2);
/** PayAmt is a string without trailing zeros ("339", "339.5"). */
const payAmtText = (cents: number) => String(cents / 100);
const payTypes = { Check: 69, Cash: 70, 'Credit Card': 71, 'Care Credit': 391 } as const;

/**
 * Renders a demo practice as Open Dental API rows, with the documented quirks: enums as names, booleans as
 * "true"/"false", ProcFee and PayAmt as strings, payments' ClinicNum as a string, 0001-01-01 for empty dates,
 * free-form phone punctuation, and lowercase display fields beside their foreign keys.
 */
export function renderOpenDental(practice: DemoPractice): OpenDentalTables {
  const providerAbbr = new Map(practice.providers.map((p) => [p.id, p.abbr]));
  const clinicAbbr = new Map(practice.locations.map((l) => [l.id, l.abbr]));
  const households = new Map(practice.households.map((h) => [h.id, h]));
  const referralNames = new Map(practice.referralSources.map((r) => [r.id, r.kind === 'marketing' ? r.name : `${r.name}, ${r.firstName}`]));

  const patients = practice.patients.map((p, i) => {
    const household = households.get(p.householdId)!;
    const phone = (digits: string | null) => (digits === null ? '' : formatPhoneForPms(digits, p.phoneFormat));
    return {
      PatNum: p.id, LName: p.lastName, FName: p.firstName, MiddleI: p.middleInitial, Preferred: p.preferredName,
      PatStatus: p.status, Gender: p.gender, Birthdate: p.birthDate ?? emptyDate, SSN: '',
      Address: household.address.line1, Address2: household.address.line2, City: household.address.city,
      State: household.address.state,
      // One documented example sends Zip as a bare number; a few rows here do too.
      Zip: i % 53 === 7 && /^\d{5}$/.test(household.address.zip) ? Number(household.address.zip) : household.address.zip,
      HmPhone: phone(household.homePhone), WkPhone: phone(p.workPhone), WirelessPhone: phone(p.mobilePhone),
      Guarantor: p.guarantorId, Email: p.email ?? '', PriProv: p.primaryProviderId, priProvAbbr: providerAbbr.get(p.primaryProviderId) ?? '',
      SecProv: 0, secProvAbbr: '', ClinicNum: p.locationId, clinicAbbr: clinicAbbr.get(p.locationId) ?? '',
      DateFirstVisit: p.recordedFirstVisitOn ?? emptyDate, BillingType: 'Standard Account',
      PreferContactMethod: p.mobilePhone ? 'TextMessage' : 'HmPhone', TxtMsgOk: p.mobilePhone ? 'Yes' : 'Unknown',
      Language: '', DateTStamp: p.updatedAt, SecDateEntry: p.createdOn,
    };
  });

  const appointments = practice.appointments.map((a) => ({
    AptNum: a.id, PatNum: a.patientId, AptStatus: a.status, Pattern: '//XXXX//', Confirmed: a.status === 'Complete' ? 21 : 19,
    confirmed: a.status === 'Complete' ? 'Confirmed' : 'Not Called', Op: a.locationId * 10 + (a.isHygiene ? 2 : 1), Note: '',
    ProvNum: a.providerId, provAbbr: providerAbbr.get(a.providerId) ?? '', ProvHyg: a.hygienistId, AptDateTime: a.startsAt,
    NextAptNum: 0, UnschedStatus: 0, unschedStatus: '', IsNewPatient: bool(a.isNewPatient), ProcDescript: a.procedureSummary,
    ClinicNum: a.locationId, IsHygiene: bool(a.isHygiene), DateTStamp: a.updatedAt,
    DateTimeArrived: a.status === 'Complete' ? a.startsAt.replace(/:\d\d$/, ':00') : emptyDateTime,
    DateTimeSeated: emptyDateTime, DateTimeDismissed: emptyDateTime, SecDateTEntry: a.createdAt, Priority: 'Normal',
    priority: 'Normal', AppointmentTypeNum: 0,
  }));

  const procedurelogs = practice.procedures.map((p) => ({
    ProcNum: p.id, PatNum: p.patientId, AptNum: p.status === 'D' ? 0 : p.appointmentId, ProcDate: p.date,
    ProcFee: feeText(p.unitFeeCents), ProcStatus: p.status, ProvNum: p.providerId, provAbbr: providerAbbr.get(p.providerId) ?? '',
    ClinicNum: p.locationId, CodeNum: p.codeNum, procCode: p.code, descript: p.description, UnitQty: p.unitQty,
    BaseUnits: p.baseUnits, Discount: p.discountCents / 100, DateEntryC: p.status === 'C' ? p.date : emptyDate,
    DateTP: p.date, ProcTime: p.enteredAt.slice(11), IsLocked: 'false', PlannedAptNum: 0,
    DateTStamp: p.updatedAt, SecDateEntry: p.enteredAt,
  }));

  const payments = practice.payments.map((p) => ({
    PayNum: p.id, PayType: payTypes[p.type], payType: p.type, PayDate: p.date, PayAmt: payAmtText(p.amountCents),
    PatNum: p.patientId, ClinicNum: String(p.locationId), CheckNum: '', PayNote: '', IsRecurringCC: 'false',
    PaymentSource: 'None', ProcessStatus: 'OfficeProcessed', DateEntry: p.enteredAt.slice(0, 10), SecDateTEdit: p.enteredAt,
  }));

  const providers = practice.providers.map((p) => ({
    ProvNum: p.id, Abbr: p.abbr, LName: p.lastName, FName: p.firstName, MI: '', Suffix: p.role === 'dentist' ? 'DDS' : 'RDH',
    PreferredName: '', Specialty: p.role === 'dentist' ? 245 : 250, specialty: p.role === 'dentist' ? 'General' : 'Hygienist',
    IsSecondary: bool(p.role === 'hygienist'), IsHidden: 'false', IsNotPerson: 'false', ProvStatus: p.status,
    NationalProvID: p.npi, provColor: '128,128,255', IsHiddenReport: 'false', Birthdate: emptyDate,
    DateTStamp: `${practice.startDate} 08:00:00`,
  }));

  const clinics = practice.locations.map((l) => ({
    ClinicNum: l.id, Description: l.name, Abbr: l.abbr, Address: l.address.line1, Address2: l.address.line2,
    City: l.address.city, State: l.address.state, Zip: l.address.zip, Phone: l.phone, IsHidden: bool(l.isHidden),
  }));

  const referrals = practice.referralSources.map((r) => ({
    ReferralNum: r.id, LName: r.name, FName: r.firstName, MName: '', Title: r.kind === 'doctor' ? 'Dr.' : '',
    BusinessName: r.kind === 'doctor' ? r.name : '', NotPerson: bool(r.kind === 'marketing'), IsDoctor: bool(r.kind === 'doctor'),
    IsHidden: 'false', IsPreferred: 'false', PatNum: r.patientId, isPatient: bool(r.kind === 'patient'), Specialty: 0,
    specialty: '', Telephone: '', EMail: '', Note: '', DateTStamp: r.updatedAt,
  }));

  const refattaches = practice.referralAttachments.map((a) => ({
    RefAttachNum: a.id, ReferralNum: a.referralId, referralName: referralNames.get(a.referralId) ?? '', PatNum: a.patientId,
    ItemOrder: a.order, RefDate: a.date, ReferralType: 'RefFrom', RefToStatus: 'None', Note: '', IsTransitionOfCare: 'false',
    ProcNum: 0, DateProcComplete: emptyDate, ProvNum: 0, DateTStamp: a.updatedAt,
  }));

  return { patients, appointments, procedurelogs, payments, providers, clinics, referrals, refattaches };
}
