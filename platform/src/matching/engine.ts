import {
  householdKeys,
  leadKeys,
  MemoryBlockingIndex,
  openedKeys,
  patientKeys,
  plainKeys,
  subscriberKey,
  surnameKey,
  type BlockingIndex,
  type KeyBlinder,
} from './blocking.ts';
import {
  chanceTiming,
  COMPARISONS,
  compareIdentity,
  COREGISTERED_LEVEL,
  coregistrationWindow,
  DIRECT_LEVEL,
  HOUSEHOLD_INDEX,
  householdLevel,
  MAX_COREGISTRATION_MINUTES,
  SEQUENCE_INDEX,
  SEQUENCE_MISSING,
  sequenceLevel,
  sharesLeadContact,
  surnameFrequencyCuts,
  TIMING_INDEX,
  type SharingCounts,
} from './comparisons.ts';
import { decideLead, DEFAULT_THRESHOLDS, ManualDecisions, type ManualDecision, type PairResult, type Thresholds } from './decide.ts';
import { estimateModel, packVector, type EmOptions, type FixedShape, type MatchModel } from './em.ts';
import { explain, type Explanation } from './explain.ts';
import { inferLocalAreaCodeTable, localAreaCodesOf, withPracticeAreaCode, type LocalAreaCodes, type LocalAreaCodeTable } from './normalize/phone.ts';
import { normalizeLead, normalizePatient, parsePatientPhones, type Lead, type LeadInput, type Patient, type PatientInput } from './records.ts';
import { leadConfidences, scorePattern, weightsOf, type Weights } from './score.ts';

export interface MatchOptions {
  thresholds?: Thresholds;
  /** Sticky verdicts from people; re-applied on every run and every incremental match. */
  manualDecisions?: Iterable<ManualDecision>;
  /** Where chart keys live; the platform passes its blind-index table, the CLI an in-memory map. */
  patientIndex?: BlockingIndex;
  /** Lead keys, so a changed chart finds the leads it can affect. */
  leadIndex?: BlockingIndex;
  /** Applied to every key before it reaches an index (keyed HMAC where data is encrypted at rest). */
  blindKeys?: KeyBlinder;
  /** The practice's local area codes; learned from the charts when not given. */
  localAreaCodes?: LocalAreaCodeTable;
  /** The area code the practice's admin set, added to the learned practice-wide codes. */
  practiceAreaCode?: string | null;
  /** A key shared by more charts than this (a clinic's own number, a placeholder) identifies nobody and is skipped. */
  maxBlockSize?: number;
  em?: EmOptions;
}

/**
 * The two fitted models: `direct`, fitted to the charts the leads' own keys reach, picks each lead's anchors;
 * `full` is refitted once the anchors' households have joined the candidates.
 */
export interface MatchModels {
  direct: MatchModel;
  full: MatchModel;
  /** How long this practice's front desk takes to register a family together, learned from its charts. */
  coregistrationMinutes: number;
}

/**
 * Everything a full run learned that scoring one more lead needs, as JSON: the platform stores it per practice and
 * matches each new lead against the charts its blind-index keys reach (`MatchEngine.resume`), without a full run.
 */
export interface MatchSnapshot {
  direct: MatchModel;
  full: MatchModel;
  coregistrationDays: number;
  /** Charts sharing a surname at or below `rare` make it rare, above `common` (null: no limit) common. */
  surnameCuts: { rare: number; common: number | null };
  localAreaCodes: LocalAreaCodeTable;
  /** The blocking keys the charts were indexed under (`KEYS_REVISION`); absent before keys were versioned. */
  keysRevision?: number;
}

/**
 * Bumped whenever the blocking keys change (2: seven-digit chart numbers). A practice's charts are indexed under
 * the keys of the engine that last ran in full, so a snapshot of another revision must not be resumed: a full run
 * re-keys every chart.
 */
export const KEYS_REVISION = 2;

/** A resumed engine reached a chart its store has not loaded: load it and ask again. */
export class ChartNotLoaded extends Error {
  constructor(readonly patientIds: readonly string[]) {
    super(`${patientIds.length} chart(s) in the blocking index were not loaded`);
  }
}

/** Keys shared by more charts than this identify nobody (a clinic's own number, a placeholder) and are skipped. */
export const DEFAULT_MAX_BLOCK_SIZE = 250;

/** A link probability under the direct model at which a chart anchors household context. */
const ANCHOR_CONFIDENCE = 0.5;
/** More charts than this opened within an hour either side is an import, not a family at the front desk. */
const BULK_IMPORT_CHARTS = 30;
/** A household chart opened this many days either side of the lead (one before, two after) is this call's booking. */
const BOOKED_WITH_LEAD = { before: 1, after: 2 };

/** A chart a lead's keys reached, with its comparison vector packed into one number. */
interface Candidate {
  patient: Patient;
  code: number;
  /** For a chart found through household context: the anchors it hangs on. */
  anchors?: readonly string[];
}

/**
 * The matching engine: a full run (normalise, block, compare, fit the model by EM, decide) and incremental
 * re-matching of one new lead or one changed chart against the fitted model. Deterministic: the same charts,
 * leads and manual decisions always give the same links.
 */
export class MatchEngine {
  private readonly patients = new Map<string, Patient>();
  private readonly leads = new Map<string, Lead>();
  private readonly results = new Map<string, PairResult[]>();
  /** Which leads link or queue each chart, so a changed chart (or one opened beside it) re-matches those. */
  private readonly leadsByPatient = new Map<string, Set<string>>();
  /** Whether each anchor chart came in a bulk import; cleared whenever a chart changes. */
  private readonly importedCache = new Map<string, boolean>();
  private readonly patientIndex: BlockingIndex;
  private readonly leadIndex: BlockingIndex;
  /** The lead index serves only `rematchPatient`, so a run that never re-matches a chart never builds it. */
  private leadIndexBuilt = false;
  private readonly blind: KeyBlinder;
  private readonly manual: ManualDecisions;
  private readonly thresholds: Thresholds;
  private readonly maxBlockSize: number;
  private readonly localAreaCodes: LocalAreaCodes;
  private readonly localAreaCodeTable: LocalAreaCodeTable;
  /** Resumed from a snapshot: the index holds more charts than were loaded, and must not be written to. */
  private readonly resumed: boolean;
  private readonly vector = new Uint8Array(COMPARISONS.length);
  /** The counts of charts sharing a surname that split charts into thirds by it (set on the full run). */
  private surnameCuts = { rare: 0, common: Number.POSITIVE_INFINITY };

  private directWeights!: Weights;
  private fullWeights!: Weights;
  /** The co-registration window in days, learned on the full run. */
  private coregistrationDays = MAX_COREGISTRATION_MINUTES / 1440;

  private constructor(options: MatchOptions, localAreaCodes: LocalAreaCodeTable, resumed = false) {
    this.patientIndex = options.patientIndex ?? new MemoryBlockingIndex();
    this.leadIndex = options.leadIndex ?? new MemoryBlockingIndex();
    this.blind = options.blindKeys ?? plainKeys;
    this.manual = new ManualDecisions(options.manualDecisions ?? []);
    this.thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
    this.maxBlockSize = options.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE;
    this.localAreaCodeTable = localAreaCodes;
    this.localAreaCodes = localAreaCodesOf(localAreaCodes);
    this.resumed = resumed;
  }

  /** Full run: every lead against every chart it can reach, with the model fitted to this data. */
  static run(patientInputs: readonly PatientInput[], leadInputs: readonly LeadInput[], options: MatchOptions = {}): MatchEngine {
    const parsedPhones = patientInputs.map(parsePatientPhones);
    const table =
      options.localAreaCodes ??
      withPracticeAreaCode(
        inferLocalAreaCodeTable(parsedPhones.map((p) => ({ zip: p.zip, phones: p.phones.map((x) => x.parsed) }))),
        options.practiceAreaCode,
      );
    const engine = new MatchEngine(options, table);
    const areaCodes = engine.localAreaCodes;
    patientInputs.forEach((input, i) => engine.indexPatient(normalizePatient(input, parsedPhones[i]!, areaCodes)));
    engine.surnameCuts = surnameFrequencyCuts(
      [...engine.patients.values()].map((p) => (p.surname ? engine.patientIndex.size(engine.blind(surnameKey(p.surname.full))) : 0)),
    );
    const leads = leadInputs.map((input) => normalizeLead(input, areaCodes));
    for (const lead of leads) engine.leads.set(lead.id, lead);
    engine.coregistrationDays = coregistrationWindow(engine.householdOpeningGaps());

    const chance = chanceTiming(engine.patients.values(), leads.map((l) => l.day));
    const shapes: FixedShape[] = [
      { comparison: TIMING_INDEX, role: 'relative', components: [chance.adult, chance.senior] },
      { comparison: TIMING_INDEX, role: 'dependant', components: [chance.minor] },
      { comparison: TIMING_INDEX, role: 'stranger', components: [chance.adult, chance.minor, chance.senior] },
    ];
    const direct = leads.map((lead) => engine.directCandidates(lead));
    engine.directWeights = weightsOf(estimateModel(COMPARISONS, patternsOf(direct), options.em, shapes));
    const full = leads.map((lead, i) => engine.withHousehold(lead, direct[i]!));
    direct.length = 0;
    engine.fullWeights = weightsOf(estimateModel(COMPARISONS, patternsOf(full), options.em, shapes));
    leads.forEach((lead, i) => engine.record(lead, full[i]!));
    return engine;
  }

  /** The fitted models, for explanations of the model itself (docs, bench) and for persisting between runs. */
  models(): MatchModels {
    return { direct: this.directWeights.model, full: this.fullWeights.model, coregistrationMinutes: Math.round(this.coregistrationDays * 1440) };
  }

  snapshot(): MatchSnapshot {
    const { rare, common } = this.surnameCuts;
    return {
      direct: this.directWeights.model,
      full: this.fullWeights.model,
      coregistrationDays: this.coregistrationDays,
      surnameCuts: { rare, common: Number.isFinite(common) ? common : null },
      localAreaCodes: this.localAreaCodeTable,
      keysRevision: KEYS_REVISION,
    };
  }

  /**
   * Whether this engine can score with a stored snapshot: its charts were keyed as this engine keys them, and its
   * model has this engine's comparisons, level for level (a snapshot from before a comparison changed is stale).
   */
  static canResume(snapshot: MatchSnapshot): boolean {
    const levelsOf = (specs: readonly { name: string; levels: readonly { name: string }[] }[]) =>
      JSON.stringify(specs.map((c) => [c.name, c.levels.map((l) => l.name)]));
    const current = levelsOf(COMPARISONS);
    return snapshot.keysRevision === KEYS_REVISION && levelsOf(snapshot.direct.comparisons) === current && levelsOf(snapshot.full.comparisons) === current;
  }

  /**
   * An engine that scores leads with a stored full run's model. `index` answers for the whole practice (in the
   * platform, its blind-index table); the charts it names are loaded on demand with `loadCharts`, and asking for one
   * not loaded throws `ChartNotLoaded` (see `matchLeadsFromStore`). Results equal the full run's for the same data.
   */
  static resume(snapshot: MatchSnapshot, index: BlockingIndex, options: Omit<MatchOptions, 'patientIndex' | 'localAreaCodes'> = {}): MatchEngine {
    const engine = new MatchEngine({ ...options, patientIndex: index }, snapshot.localAreaCodes, true);
    engine.directWeights = weightsOf(snapshot.direct);
    engine.fullWeights = weightsOf(snapshot.full);
    engine.coregistrationDays = snapshot.coregistrationDays;
    engine.surnameCuts = { rare: snapshot.surnameCuts.rare, common: snapshot.surnameCuts.common ?? Number.POSITIVE_INFINITY };
    return engine;
  }

  /** Charts a resumed engine may now read (already indexed in its store). */
  loadCharts(inputs: readonly PatientInput[]): void {
    for (const input of inputs) this.patients.set(input.id, normalizePatient(input, parsePatientPhones(input), this.localAreaCodes));
  }

  hasChart(patientId: string): boolean {
    return this.patients.has(patientId);
  }

  /** A chart's blocking keys as stored (blinded): what the platform writes to its blind-index table. */
  chartKeys(patientId: string): string[] {
    return this.chartKeyEntries(patientId).map((entry) => entry.key);
  }

  /**
   * The same with each key's kind (`phone`, `name`, `opened`, …), which a store keeps beside the digest: a changed
   * chart's household and opening keys find the charts — and so the leads — that reach it through household context.
   */
  chartKeyEntries(patientId: string): { kind: string; key: string }[] {
    const patient = this.patients.get(patientId);
    return patient ? patientKeys(patient).map((key) => ({ kind: key.slice(0, key.indexOf(':')), key: this.blind(key) })) : [];
  }

  /**
   * Every key (blinded) whose block the engine may read while a loaded chart is a candidate: its own keys, and the
   * hours beside its opening, read to tell a bulk import. A store-backed engine fetches them with the chart.
   */
  chartContextKeys(patientId: string): string[] {
    const patient = this.patients.get(patientId);
    return patient ? [...new Set([...patientKeys(patient), ...openedKeys(patient)])].map(this.blind) : [];
  }

  /** The blocking keys (blinded) a lead looks itself up by; also what a changed chart finds the lead by. */
  leadKeysOf(input: LeadInput): string[] {
    return leadKeys(normalizeLead(input, this.localAreaCodes)).map(this.blind);
  }

  /** Every pair linked or queued, lead by lead in input order. */
  *pairs(): Iterable<PairResult> {
    for (const pairs of this.results.values()) yield* pairs;
  }

  resultsFor(leadId: string): readonly PairResult[] {
    return this.results.get(leadId) ?? [];
  }

  /** Each comparison behind a pair, its outcome and its weight: what the review UI shows and a link stores. */
  explain(pair: PairResult): Explanation | null {
    return pair.evidence === null ? null : explain(this.fullWeights, pair.evidence, pair.confidence);
  }

  /** Incremental: scores one new (or edited) lead against the current charts with the fitted model. */
  matchLead(input: LeadInput): readonly PairResult[] {
    const lead = normalizeLead(input, this.localAreaCodes);
    const previous = this.leads.get(lead.id);
    if (previous) this.unindexLead(previous);
    this.indexLead(lead);
    this.rematch(lead);
    return this.resultsFor(lead.id);
  }

  /**
   * Incremental: a new or changed chart re-matches only the leads it can affect: those whose keys it now has or
   * had (they reach it directly), and those linking it or a chart of its household or opened beside it (they
   * reach it through household context). Returns the affected leads' results.
   */
  rematchPatient(input: PatientInput): Map<string, readonly PairResult[]> {
    if (this.resumed) throw new Error('a resumed engine scores leads only: re-index the chart in the store and re-match the leads it affects');
    const patient = normalizePatient(input, parsePatientPhones(input), this.localAreaCodes);
    const previous = this.patients.get(patient.id);
    this.buildLeadIndex();
    const affected = new Set<string>(this.leadsByPatient.get(patient.id) ?? []);
    const keys = new Set([...(previous ? patientKeys(previous) : []), ...patientKeys(patient)]);
    for (const key of keys) for (const leadId of this.leadIndex.lookup(this.blind(key))) affected.add(leadId);
    for (const key of [...openedKeys(patient), ...householdKeys(patient)]) {
      for (const neighbour of this.lookup(key)) for (const leadId of this.leadsByPatient.get(neighbour) ?? []) affected.add(leadId);
    }
    if (previous) this.unindexPatient(previous);
    this.indexPatient(patient);
    this.importedCache.clear();
    const changed = new Map<string, readonly PairResult[]>();
    for (const leadId of [...affected].sort()) {
      const lead = this.leads.get(leadId);
      if (!lead) continue;
      this.rematch(lead);
      changed.set(leadId, this.resultsFor(leadId));
    }
    return changed;
  }

  /** Records a person's verdict and re-decides that lead; the verdict also holds for every later run. */
  decideManually(decision: ManualDecision): readonly PairResult[] {
    this.manual.set(decision);
    const lead = this.leads.get(decision.leadId);
    if (lead) this.rematch(lead);
    return this.resultsFor(decision.leadId);
  }

  /* ------------------------------------------------------------ indexing */

  private indexPatient(patient: Patient): void {
    for (const key of patientKeys(patient)) this.patientIndex.add(this.blind(key), patient.id);
    this.patients.set(patient.id, patient);
  }

  private unindexPatient(patient: Patient): void {
    for (const key of patientKeys(patient)) this.patientIndex.remove(this.blind(key), patient.id);
    this.patients.delete(patient.id);
  }

  private indexLead(lead: Lead): void {
    if (this.leadIndexBuilt) for (const key of leadKeys(lead)) this.leadIndex.add(this.blind(key), lead.id);
    this.leads.set(lead.id, lead);
  }

  private unindexLead(lead: Lead): void {
    if (this.leadIndexBuilt) for (const key of leadKeys(lead)) this.leadIndex.remove(this.blind(key), lead.id);
    this.leads.delete(lead.id);
  }

  private buildLeadIndex(): void {
    if (this.leadIndexBuilt) return;
    for (const lead of this.leads.values()) for (const key of leadKeys(lead)) this.leadIndex.add(this.blind(key), lead.id);
    this.leadIndexBuilt = true;
  }

  private chart(id: string): Patient {
    const patient = this.patients.get(id);
    // Only a resumed engine can miss one: its loader has not fetched every chart the index returned yet.
    if (!patient) throw new ChartNotLoaded([id]);
    return patient;
  }

  /** Asks for every missing chart of a batch at once, so a resumed engine's store loads them in one round. */
  private requireCharts(ids: Iterable<string>): void {
    const missing = [...ids].filter((id) => !this.patients.has(id));
    if (missing.length) throw new ChartNotLoaded(missing);
  }

  /** Ids under a plaintext key, or none when the key is too common to identify anyone. */
  private lookup(plainKey: string): readonly string[] {
    const key = this.blind(plainKey);
    // Size first: a store need not list the members of a block too big to identify anyone.
    return this.patientIndex.size(key) > this.maxBlockSize ? [] : this.patientIndex.lookup(key);
  }

  private readonly sharing: SharingCounts = {
    phone: (number) => this.patientIndex.size(this.blind(`phone:${number}`)),
    subscriber: (digits) => this.patientIndex.size(this.blind(subscriberKey(digits))),
    email: (address) => this.patientIndex.size(this.blind(`email:${address}`)),
    surnameFrequency: (surname) => {
      const count = this.patientIndex.size(this.blind(surnameKey(surname)));
      return count <= this.surnameCuts.rare ? 'rare' : count > this.surnameCuts.common ? 'common' : 'middle';
    },
  };

  /* ------------------------------------------------------------ scoring */

  private rematch(lead: Lead): void {
    this.record(lead, this.withHousehold(lead, this.directCandidates(lead)));
  }

  /** Charts reachable from the lead's own keys, each with its comparison vector. */
  private directCandidates(lead: Lead): Candidate[] {
    if (lead.name.kind === 'spam') return [];
    const ids = new Set<string>();
    for (const key of leadKeys(lead)) for (const id of this.lookup(key)) ids.add(id);
    const patients = [...ids].sort().map((id) => this.chart(id));
    // The household's bookings after the lead: charts with the lead's phone or email opened since.
    const bookings = patients
      .filter((p) => p.createdDay > lead.day && sharesLeadContact(lead, p))
      .map((p) => p.createdDay)
      .sort((a, b) => a - b);
    return patients.map((patient) =>
      this.compare(lead, patient, DIRECT_LEVEL, sequenceLevel(lead, patient, bookings, this.coregistrationDays)),
    );
  }

  private compare(lead: Lead, patient: Patient, household: number, sequence: number): Candidate {
    compareIdentity(lead, patient, this.sharing, this.vector);
    this.vector[HOUSEHOLD_INDEX] = household;
    this.vector[SEQUENCE_INDEX] = sequence;
    return { patient, code: packVector(this.vector, COMPARISONS.length) };
  }

  /**
   * Gaps in minutes between the opening of charts of one household (its phone numbers, email, surname at its ZIP)
   * opened within an hour of each other, outside bulk imports: what `coregistrationWindow` learns from.
   */
  private *householdOpeningGaps(): Iterable<number> {
    const HOUR = 1 / 24;
    for (const patient of this.patients.values()) {
      // A chart that knows only its day says nothing of minutes between openings.
      if (!patient.openedAtKnown || this.imported(patient)) continue;
      const seen = new Set<string>();
      for (const key of householdKeys(patient)) {
        for (const id of this.lookup(key)) {
          if (seen.has(id)) continue;
          seen.add(id);
          const other = this.chart(id);
          const gap = other.createdDay - patient.createdDay;
          if (!other.openedAtKnown || gap < 0 || gap >= HOUR || (gap === 0 && id <= patient.id) || this.imported(other)) continue;
          yield gap * 1440;
        }
      }
    }
  }

  /**
   * Adds household context: charts the direct model links strongly are anchors, and the charts registered
   * together with an anchor, or of its household and opened at the time of the lead, join the candidates (a
   * family booked on one call) with their household level.
   */
  private withHousehold(lead: Lead, direct: Candidate[]): Candidate[] {
    const anchors = direct.filter((c) => scorePattern(this.directWeights, c.code).confidence >= ANCHOR_CONFIDENCE).map((c) => c.patient);
    if (!anchors.length) return direct;
    const all = [...direct];
    const seen = new Set(direct.map((c) => c.patient.id));
    const consider = (id: string, accept: (level: number) => boolean) => {
      if (seen.has(id)) return;
      const patient = this.chart(id);
      const match = householdLevel(patient, anchors, this.coregistrationDays);
      if (match === null || !accept(match.level)) return;
      seen.add(id);
      all.push({ ...this.compare(lead, patient, match.level, SEQUENCE_MISSING), anchors: match.anchors });
    };
    const registeredTogether = (level: number) => level === COREGISTERED_LEVEL;
    const anyRelation = () => true;
    for (const anchor of anchors) {
      // A chart opened in a bulk import says nothing by the charts opened beside it.
      const opened = this.imported(anchor) ? [] : openedKeys(anchor);
      this.requireCharts([...opened, ...householdKeys(anchor)].flatMap((key) => this.lookup(key)));
      for (const key of opened) for (const id of this.lookup(key)) consider(id, registeredTogether);
      for (const key of householdKeys(anchor)) {
        for (const id of this.lookup(key)) {
          const opened = this.chart(id).createdDay - lead.day;
          if (opened >= -BOOKED_WITH_LEAD.before && opened <= BOOKED_WITH_LEAD.after) consider(id, anyRelation);
        }
      }
    }
    return all;
  }

  /**
   * Whether the chart was opened in a bulk import (a PMS migration opens hundreds an hour; a front desk a few), in
   * which case charts opened beside it say nothing about its household.
   */
  private imported(patient: Patient): boolean {
    const known = this.importedCache.get(patient.id);
    if (known !== undefined) return known;
    let opened = 0;
    for (const key of openedKeys(patient)) opened += this.patientIndex.size(this.blind(key));
    const imported = opened > BULK_IMPORT_CHARTS;
    this.importedCache.set(patient.id, imported);
    return imported;
  }

  private record(lead: Lead, candidates: readonly Candidate[]): void {
    for (const pair of this.results.get(lead.id) ?? []) this.leadsByPatient.get(pair.patientId)?.delete(lead.id);
    const confidences = leadConfidences(candidates.map((c) => scorePattern(this.fullWeights, c.code)));
    // A chart found only through an anchor is this lead's booking only if the anchor is this lead's link: its
    // pattern says how likely it is family given the anchor, so its confidence is bounded by the anchor's.
    const byId = new Map(candidates.map((c, i) => [c.patient.id, confidences[i]!]));
    candidates.forEach((c, i) => {
      if (!c.anchors) return;
      let anchor = 0;
      for (const id of c.anchors) anchor = Math.max(anchor, byId.get(id) ?? 0);
      confidences[i] = confidences[i]! * anchor;
    });
    const scored = candidates.map((c, i) => ({ patientId: c.patient.id, confidence: confidences[i]!, evidence: c.code }));
    const results = decideLead(lead.id, scored, this.manual.forLead(lead.id), this.thresholds);
    this.results.set(lead.id, results);
    for (const pair of results) {
      const leads = this.leadsByPatient.get(pair.patientId);
      if (leads) leads.add(lead.id);
      else this.leadsByPatient.set(pair.patientId, new Set([lead.id]));
    }
  }
}

function patternsOf(candidatesByLead: readonly Candidate[][]): Map<number, number> {
  const patterns = new Map<number, number>();
  for (const candidates of candidatesByLead) for (const { code } of candidates) patterns.set(code, (patterns.get(code) ?? 0) + 1);
  return patterns;
}
