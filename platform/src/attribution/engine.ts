import type { Lead, Patient, Payment, Procedure, ReferralSource } from '@sourceline/sdk';
import type { ChannelId } from '../channels/index.ts';
import type { PairResult } from '../matching/index.ts';
import { attributePatient, type PatientAttribution } from './attribute-patient.ts';
import { AttributionSettings, type AttributionSettingsInput } from './attribution-settings.ts';
import { ChannelPathCounter, type ChannelPathCount } from './channel-paths.ts';
import { LocalDayClock, type DayNumber } from './local-day.ts';
import { fitPracticeMarkov, restoreMarkovFit, type MarkovFit, type StoredMarkovFit } from './markov.ts';
import { majorProcedureFamilies, majorProcedureTest, type ProcedureFamily } from './procedure-families.ts';
import { channelFromReferralSource } from './referral-channel.ts';
import { patientRevenue, type CollectionEvent, type ProductionEvent } from './revenue.ts';
import { addEpisodeRollups, addPatientRollups, RollupAccumulator, type LeadEpisode, type RollupRow } from './rollups.ts';
import { buildTouchpoints, type LeadTouchInput, type ManualTouchInput, type ReferralChannelMapper, type Touchpoint } from './touchpoints.ts';

export type AttributionPatientInput = Pick<Patient, 'id' | 'firstVisitOn' | 'createdOn' | 'locationId'>;

/** A stored lead with the channel the platform classified (`classified_channel`) and its episode. */
export type AttributionLeadInput = Pick<Lead, 'id' | 'occurredAt' | 'campaign' | 'adGroup' | 'keyword' | 'locationId'> & {
  channel: ChannelId;
  episodeId: string | null;
  /**
   * The person behind the lead when the leads module knows it (its same-person grouping by phone and e-mail digests):
   * a person who never became a patient is one non-converting journey across their episodes. Without it, each
   * unlinked episode is a journey of its own.
   */
  personKey?: string | null;
};

/** A decided link from matching (auto-linked or confirmed by a person); review-queue pairs are not links. */
export type LeadPatientLink = Pick<PairResult, 'leadId' | 'patientId' | 'confidence' | 'method'>;

/** A touch staff entered by hand ("met at the health fair"). `occurredAt` is a date or an instant with an offset. */
export interface ManualTouchpointInput {
  id: string;
  patientId: string;
  occurredAt: string;
  channel: ChannelId;
  campaign: string | null;
}

export type AttributionProcedureInput = Pick<Procedure, 'id' | 'patientId' | 'status' | 'performedOn' | 'code' | 'feeCents'>;
export type AttributionPaymentInput = Pick<Payment, 'id' | 'patientId' | 'amountCents' | 'paidOn'>;
export type AttributionReferralSourceInput = Pick<ReferralSource, 'id' | 'patientId' | 'sourceName' | 'sourceKind' | 'rank'>;

export interface PracticeAttributionInput {
  /** The practice's IANA zone: lead times and instants become local days in it. */
  timeZone: string;
  settings: AttributionSettingsInput;
  patients: readonly AttributionPatientInput[];
  leads: readonly AttributionLeadInput[];
  links: readonly LeadPatientLink[];
  procedures: readonly AttributionProcedureInput[];
  payments: readonly AttributionPaymentInput[];
  referralSources: readonly AttributionReferralSourceInput[];
  manualTouchpoints?: readonly ManualTouchpointInput[];
  /** Maps referral-source text to a channel; `channelFromReferralSource` by default. */
  referralChannel?: ReferralChannelMapper;
  /** The other practices' journeys (their `paths`), for pooling when this practice has too few of its own. */
  agencyPaths?: readonly ChannelPathCount[] | null;
  majorProcedureFamilies?: readonly ProcedureFamily[];
  /**
   * A stored fit to credit with instead of fitting: for updating some patients between refits, pass only their rows
   * and the practice's current fit. Without it, the engine fits the practice's journeys (pooled when few).
   */
  markovFit?: StoredMarkovFit | null;
}

export interface PracticeAttribution {
  settings: AttributionSettings;
  markov: MarkovFit;
  /** New patients (a first visit), sorted by id. Patients without a first visit have not converted and are left out. */
  patients: PatientAttribution[];
  episodes: LeadEpisode[];
  /** This practice's journeys by path: store them for the agency pool. */
  paths: ChannelPathCount[];
  rollups: RollupRow[];
}

interface PreparedLead extends LeadTouchInput {
  locationId: string | null;
  personKey: string | null;
}

function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const byTime = (a: PreparedLead, b: PreparedLead) => a.day - b.day || a.at - b.at || (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0);

/**
 * Attributes one practice: touchpoints per new patient, every model's credit, revenue by level, the Markov fit (pooled
 * when the practice is small), and the rollup rows. Pure: no clock, no database; same inputs, same output.
 */
export function attributePractice(input: PracticeAttributionInput): PracticeAttribution {
  const settings = AttributionSettings.parse(input.settings);
  const clock = new LocalDayClock(input.timeZone);
  const referralChannel = input.referralChannel ?? channelFromReferralSource;
  const isMajor = majorProcedureTest(input.majorProcedureFamilies ?? majorProcedureFamilies);

  const leadsById = prepareLeads(input.leads, clock);
  const linkedLeadIds = new Set(input.links.map((link) => link.leadId));
  const episodes = leadEpisodes(leadsById.values(), linkedLeadIds);
  const leadsByPatient = linkedLeadsByPatient(input.links, leadsById);
  const referralsByPatient = groupBy(input.referralSources, (source) => source.patientId);
  const manualByPatient = groupBy(input.manualTouchpoints ?? [], (touch) => touch.patientId);
  const productionByPatient = groupBy(input.procedures.filter((p) => p.status === 'completed' && p.performedOn !== null), (p) => p.patientId);
  const collectionsByPatient = groupBy(input.payments, (payment) => payment.patientId);

  // Pass 1: touchpoints for every new patient, and the practice's journeys for the Markov chain.
  const paths = new ChannelPathCounter();
  const journeys: { patient: AttributionPatientInput; firstVisitDay: DayNumber; touchpoints: Touchpoint[] }[] = [];
  const patients = [...input.patients].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const patient of patients) {
    if (patient.firstVisitOn === null) continue;
    const firstVisitDay = clock.dayOf(patient.firstVisitOn, `patient ${patient.id} firstVisitOn`);
    const touchpoints = buildTouchpoints({
      firstVisitDay,
      chartCreatedDay: patient.createdOn === null ? null : clock.dayOf(patient.createdOn, `patient ${patient.id} createdOn`),
      lookbackDays: settings.lookbackDays,
      leads: leadsByPatient.get(patient.id) ?? [],
      referralSources: referralsByPatient.get(patient.id) ?? [],
      referralChannel,
      manual: (manualByPatient.get(patient.id) ?? []).map((touch): ManualTouchInput => ({
        id: touch.id, day: clock.dayOf(touch.occurredAt, `manual touchpoint ${touch.id}`), at: LocalDayClock.instantOf(touch.occurredAt),
        channel: touch.channel, campaign: touch.campaign,
      })),
    });
    journeys.push({ patient, firstVisitDay, touchpoints });
    paths.add(touchpoints.map((t) => t.channel), 'conversion');
  }
  // Journeys that never became patients: a person's lead episodes (or one episode, when the person is unknown) none
  // of which was linked to a patient, in time order. A lead linked to a chart without a first visit yet is neither a
  // conversion nor a non-conversion: it may still convert.
  for (const journey of unconvertedJourneys(episodes, leadsById)) paths.add(journey, 'non-conversion');
  const practicePaths = paths.counts();
  const markov = input.markovFit
    ? restoreMarkovFit(input.markovFit)
    : fitPracticeMarkov(practicePaths, input.agencyPaths ?? null, {
        minPaths: settings.markovMinPaths, resamples: settings.markovBootstrapResamples, seed: settings.markovBootstrapSeed,
      });

  // Pass 2: credit and revenue per patient, straight into the rollups.
  const context = { halfLifeDays: settings.halfLifeDays, markovShares: markov.shares };
  const rollups = new RollupAccumulator();
  const attributed = journeys.map(({ patient, firstVisitDay, touchpoints }) => {
    const production = (productionByPatient.get(patient.id) ?? []).map((p): ProductionEvent => ({
      day: clock.dayOf(p.performedOn as string, `procedure ${p.id} performedOn`), feeCents: p.feeCents, major: isMajor(p.code),
    }));
    const collections = (collectionsByPatient.get(patient.id) ?? []).map((p): CollectionEvent => ({
      day: clock.dayOf(p.paidOn, `payment ${p.id} paidOn`), amountCents: p.amountCents,
    }));
    const result = attributePatient({
      patientId: patient.id, locationId: patient.locationId, firstVisitDay, touchpoints, context, settings,
      revenue: patientRevenue({ firstVisitDay, followOnMonths: settings.followOnMonths, production, collections }),
    });
    addPatientRollups(rollups, result);
    return result;
  });
  for (const episode of episodes) addEpisodeRollups(rollups, episode);

  return { settings, markov, patients: attributed, episodes, paths: practicePaths, rollups: rollups.rows() };
}

/** Leads by id, their times placed in the practice's zone once. */
function prepareLeads(leads: readonly AttributionLeadInput[], clock: LocalDayClock): Map<string, PreparedLead> {
  const prepared = new Map<string, PreparedLead>();
  for (const lead of leads) {
    const day = clock.dayOf(lead.occurredAt, `lead ${lead.id} occurredAt`);
    prepared.set(lead.id, {
      leadId: lead.id, day, at: Date.parse(lead.occurredAt), channel: lead.channel, campaign: lead.campaign, adGroup: lead.adGroup,
      keyword: lead.keyword, episodeId: lead.episodeId, locationId: lead.locationId, personKey: lead.personKey ?? null,
    });
  }
  return prepared;
}

/** Each patient's linked leads; a link to a lead withdrawn since is skipped, and the same pair twice is one touch. */
function linkedLeadsByPatient(links: readonly LeadPatientLink[], leadsById: ReadonlyMap<string, PreparedLead>): Map<string, PreparedLead[]> {
  const byPatient = new Map<string, PreparedLead[]>();
  for (const link of links) {
    const lead = leadsById.get(link.leadId);
    if (!lead) continue;
    const leads = byPatient.get(link.patientId);
    if (!leads) byPatient.set(link.patientId, [lead]);
    else if (!leads.includes(lead)) leads.push(lead);
  }
  return byPatient;
}

/** The channel sequences of the journeys that never reached a patient: one per person, or per episode without one. */
function unconvertedJourneys(episodes: readonly LeadEpisode[], leadsById: ReadonlyMap<string, PreparedLead>): ChannelId[][] {
  const journeyOf = (episode: LeadEpisode) => {
    const personKey = leadsById.get(episode.firstLeadId)?.personKey ?? null;
    return personKey === null ? `episode:${episode.episodeId}` : `person:${personKey}`;
  };
  const journeys: ChannelId[][] = [];
  for (const members of groupBy(episodes, journeyOf).values()) {
    if (members.some((episode) => episode.linked)) continue;
    // Episodes arrive sorted by id; a journey is read in time order.
    const ordered = [...members].sort((a, b) => a.day - b.day || (leadsById.get(a.firstLeadId)?.at ?? 0) - (leadsById.get(b.firstLeadId)?.at ?? 0) || (a.episodeId < b.episodeId ? -1 : 1));
    journeys.push(ordered.map((episode) => episode.channel));
  }
  return journeys;
}

/** Leads grouped by episode (a lead without one is its own), each represented by its earliest contact. */
function leadEpisodes(leads: Iterable<PreparedLead>, linkedLeadIds: ReadonlySet<string>): LeadEpisode[] {
  const episodes: LeadEpisode[] = [];
  for (const [episodeId, members] of groupBy(leads, (lead) => lead.episodeId ?? lead.leadId)) {
    members.sort(byTime);
    const first = members[0] as PreparedLead;
    episodes.push({
      episodeId, firstLeadId: first.leadId, day: first.day, locationId: first.locationId, channel: first.channel, campaign: first.campaign,
      leadIds: members.map((lead) => lead.leadId), linked: members.some((lead) => linkedLeadIds.has(lead.leadId)),
    });
  }
  return episodes.sort((a, b) => (a.episodeId < b.episodeId ? -1 : a.episodeId > b.episodeId ? 1 : 0));
}
