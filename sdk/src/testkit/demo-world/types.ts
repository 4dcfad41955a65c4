/** The demo world's plain data. Ids are numbers as Open Dental would assign them (unique per practice). */

export interface PracticeSpec {
  name: string;
  /** IANA zone; day buckets and local times are in it. */
  timeZone: string;
  /** How many locations (Open Dental clinics), or their names. 0 means the practice does not use clinics. */
  locations: number | readonly string[];
  patients: number;
  /** How many months of history before `asOf`. */
  months: number;
  /** Dentists per location (hygienists are added in proportion). Default 2. */
  dentistsPerLocation?: number;
  /** Leads that never become patients, per converting lead. Default 1.5. */
  nonConvertingLeadRatio?: number;
}

export interface WorldSpec {
  seed: number;
  /** The world's "today" (YYYY-MM-DD): history ends here, a few future appointments lie after it. Default 2025-06-30. */
  asOf?: string;
  practices: readonly PracticeSpec[];
}

export interface DemoWorld {
  seed: number;
  asOf: string;
  practices: DemoPractice[];
}

export interface DemoAddress {
  line1: string;
  line2: string;
  city: string;
  state: string;
  zip: string;
}

export interface DemoLocation {
  id: number;
  name: string;
  abbr: string;
  address: DemoAddress;
  /** 10 digits, no punctuation (as Open Dental stores clinic phones). */
  phone: string;
  isHidden: boolean;
}

export interface DemoProvider {
  id: number;
  abbr: string;
  firstName: string;
  lastName: string;
  role: 'dentist' | 'hygienist';
  npi: string;
  locationId: number;
  status: 'Active' | 'Deleted';
}

export interface DemoHousehold {
  id: number;
  guarantorId: number;
  lastName: string;
  homePhone: string | null;
  address: DemoAddress;
}

export type DemoPatientStatus = 'Patient' | 'NonPatient' | 'Inactive' | 'Archived' | 'Deceased' | 'Prospective' | 'Deleted';

export interface DemoPatient {
  id: number;
  householdId: number;
  guarantorId: number;
  firstName: string;
  lastName: string;
  middleInitial: string;
  /** The name they go by when it differs from the legal first name (a nickname or a middle name). */
  preferredName: string;
  /** Set for patients whose legal surname changed at marriage; leads may still use it. */
  maidenName: string | null;
  gender: 'Female' | 'Male' | 'Unknown';
  /** null when the practice never recorded it (Open Dental sends 0001-01-01). */
  birthDate: string | null;
  mobilePhone: string | null;
  workPhone: string | null;
  /** As the front desk typed it: punctuation varies. */
  phoneFormat: 'paren' | 'dash' | 'dots' | 'plain';
  email: string | null;
  status: DemoPatientStatus;
  locationId: number;
  primaryProviderId: number;
  /** The true first visit. */
  firstVisitOn: string;
  /** What Open Dental shows as DateFirstVisit (null when it drifted to 0001-01-01). */
  recordedFirstVisitOn: string | null;
  createdOn: string;
  /** Whether the first visit falls inside the world's months (a new patient the marketing could have brought). */
  isNewInWindow: boolean;
  /** The marketing interest that brought them, which shapes their treatment and lead. */
  interest: 'implants' | 'invisalign' | 'emergency' | 'cosmetic' | 'general';
  /** How they really found the practice (ground truth behind leads and the referral source). */
  acquisition: DemoAcquisition;
  /** Local `yyyy-MM-dd HH:mm:ss` of the last change, for Open Dental's DateTStamp. */
  updatedAt: string;
}

export type DemoAcquisitionChannel =
  | 'paid-search' | 'paid-social' | 'organic-search' | 'local' | 'patient-referral' | 'doctor-referral'
  | 'insurance-directory' | 'walk-in' | 'family' | 'unknown';

export interface DemoAcquisition {
  channel: DemoAcquisitionChannel;
  /** Index into the practice's campaigns for paid channels. */
  campaignIndex: number | null;
  referringPatientId: number | null;
}

export type DemoAppointmentStatus = 'Scheduled' | 'Complete' | 'Broken' | 'UnschedList' | 'Planned';

export interface DemoAppointment {
  id: number;
  patientId: number;
  locationId: number;
  providerId: number;
  hygienistId: number;
  /** Local wall-clock `yyyy-MM-dd HH:mm:ss` in the practice's zone. */
  startsAt: string;
  status: DemoAppointmentStatus;
  isNewPatient: boolean;
  isHygiene: boolean;
  createdAt: string;
  updatedAt: string;
  procedureSummary: string;
}

export interface DemoProcedure {
  id: number;
  patientId: number;
  appointmentId: number;
  locationId: number;
  providerId: number;
  code: string;
  codeNum: number;
  description: string;
  date: string;
  unitFeeCents: number;
  unitQty: number;
  baseUnits: number;
  discountCents: number;
  status: 'C' | 'TP' | 'D' | 'EO';
  updatedAt: string;
  enteredAt: string;
}

export interface DemoPayment {
  id: number;
  patientId: number;
  locationId: number;
  date: string;
  /** Negative for refunds. */
  amountCents: number;
  type: 'Check' | 'Cash' | 'Credit Card' | 'Care Credit';
  enteredAt: string;
}

export interface DemoReferralSource {
  id: number;
  /** For marketing sources the description ("Google"); for people, their last name. */
  name: string;
  firstName: string;
  kind: 'marketing' | 'doctor' | 'patient';
  patientId: number;
  updatedAt: string;
}

export interface DemoReferralAttachment {
  id: number;
  patientId: number;
  referralId: number;
  date: string;
  order: number;
  updatedAt: string;
}

export interface DemoCampaign {
  source: string;
  medium: string;
  channel: string;
  name: string;
  interest: DemoPatient['interest'];
  dailyBudgetCents: number;
  costPerClickCents: number;
  landingPage: string;
  adGroups: readonly { name: string; keywords: readonly string[] }[];
}

export type DemoLeadNoise =
  | 'nickname' | 'typo' | 'preferred-name' | 'maiden-name' | 'shared-family-phone' | 'caller-id-account-holder'
  | 'gmail-dots' | 'gmail-plus-tag' | 'different-email' | 'recycled-number' | 'unknown-number' | 'no-name' | 'formatting';

/** A lead as a lead source saw it. Render it into Gravity Forms, CallRail or Google Ads payloads as needed. */
export interface DemoLead {
  id: string;
  /** ISO instant (UTC). */
  occurredAt: string;
  kind: 'form' | 'call' | 'click-to-call' | 'chat';
  /** A coarse channel name: paid-search, paid-social, organic-search, local, referral, direct, email. */
  channel: string;
  source: string;
  medium: string;
  campaign: string | null;
  adGroup: string | null;
  keyword: string | null;
  gclid: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  landingPage: string | null;
  message: string | null;
  durationSeconds: number | null;
  locationId: number | null;
  isSpam: boolean;
  /** Ground truth for tests: the patients (PatNum) this lead really is; empty for prospects who never came and spam. */
  truePatientIds: number[];
  /** Which kinds of noise were applied, so matcher tests can slice by difficulty. */
  noise: DemoLeadNoise[];
}

export interface DemoSpend {
  date: string;
  source: string;
  medium: string;
  campaign: string;
  adGroup: string | null;
  costCents: number;
  clicks: number;
  impressions: number;
}

export interface DemoPractice {
  /** Index in the world, stable for a given spec. */
  index: number;
  slug: string;
  name: string;
  timeZone: string;
  website: string;
  areaCodes: readonly string[];
  startDate: string;
  asOf: string;
  locations: DemoLocation[];
  providers: DemoProvider[];
  households: DemoHousehold[];
  patients: DemoPatient[];
  appointments: DemoAppointment[];
  procedures: DemoProcedure[];
  payments: DemoPayment[];
  referralSources: DemoReferralSource[];
  referralAttachments: DemoReferralAttachment[];
  campaigns: DemoCampaign[];
  leads: DemoLead[];
  spend: DemoSpend[];
}
