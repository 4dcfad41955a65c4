import { COMPARISONS } from './comparisons.ts';
import { unpackVector } from './em.ts';

/**
 * Confidence cut-offs. At or above `link` the engine links on its own; from `review` up to `link` the pair waits
 * in the review queue; below `review` nothing is stored. 0.5 is where a calibrated model says "more likely a
 * link than not"; the review band catches the pairs a person can settle in seconds.
 */
export interface Thresholds {
  link: number;
  review: number;
}
export const DEFAULT_THRESHOLDS: Thresholds = { link: 0.5, review: 0.15 };

export type Decision = 'link' | 'review' | 'none';

export function decide(confidence: number, thresholds: Thresholds): Decision {
  if (!(thresholds.review <= thresholds.link)) throw new RangeError('review threshold must not exceed the link threshold');
  if (confidence >= thresholds.link) return 'link';
  return confidence >= thresholds.review ? 'review' : 'none';
}

/** The strongest evidence behind a link, in the order the office trusts it. */
export type Method = 'phone' | 'email' | 'name_date' | 'household' | 'manual';

const levelNames = COMPARISONS.map((spec) => spec.levels.map((l) => l.name));
const outcome = (vector: ArrayLike<number>, k: number) => levelNames[k]?.[vector[k] ?? 0] ?? 'missing';
const agrees = (name: string) => name !== 'disagree' && name !== 'missing' && name !== 'none';

/** Names the evidence for a scored pair (its packed comparison vector): phone → email → name with timing → household. */
function methodOf(code: number): Method {
  const vector = unpackVector(code, COMPARISONS.length);
  if (agrees(outcome(vector, 0))) return 'phone';
  if (agrees(outcome(vector, 1))) return 'email';
  if (agrees(outcome(vector, 2)) || agrees(outcome(vector, 3)) || agrees(outcome(vector, 4))) return 'name_date';
  return 'household';
}

/** A person's verdict on a pair. It outlives every re-run: the engine applies it after scoring, every time. */
export interface ManualDecision {
  leadId: string;
  patientId: string;
  verdict: 'link' | 'not_a_match';
}

export class ManualDecisions {
  private readonly byLead = new Map<string, Map<string, ManualDecision['verdict']>>();

  constructor(decisions: Iterable<ManualDecision> = []) {
    for (const d of decisions) this.set(d);
  }

  set(decision: ManualDecision): void {
    const forLead = this.byLead.get(decision.leadId) ?? new Map<string, ManualDecision['verdict']>();
    forLead.set(decision.patientId, decision.verdict);
    this.byLead.set(decision.leadId, forLead);
  }

  forLead(leadId: string): ReadonlyMap<string, ManualDecision['verdict']> {
    return this.byLead.get(leadId) ?? EMPTY;
  }
}
const EMPTY: ReadonlyMap<string, ManualDecision['verdict']> = new Map();

/** A lead–patient pair the engine links or queues for review, with everything the UI needs to show why. */
export interface PairResult {
  leadId: string;
  patientId: string;
  confidence: number;
  decision: Exclude<Decision, 'none'>;
  method: Method;
  /** True when a person decided this pair; the score is kept beside it for the record. */
  manual: boolean;
  /**
   * The pair's comparison outcomes, packed (see `packVector`): the engine's `explain` spells them out with their
   * weights for the UI. Null only for a manual link the engine never proposed (the chart was not a candidate).
   */
  evidence: number | null;
}

/** A candidate pair as scored, before any decision. */
export interface ScoredPair {
  patientId: string;
  confidence: number;
  evidence: number;
}

/**
 * Applies thresholds and sticky manual decisions to one lead's scored candidates. A manual "not a match" removes
 * the pair whatever its score; a manual link keeps it at confidence 1 even when the chart is no longer a candidate.
 */
export function decideLead(
  leadId: string,
  scored: readonly ScoredPair[],
  manual: ReadonlyMap<string, ManualDecision['verdict']>,
  thresholds: Thresholds,
): PairResult[] {
  const results: PairResult[] = [];
  for (const pair of scored) {
    const verdict = manual.get(pair.patientId);
    if (verdict === 'not_a_match') continue;
    const base = { leadId, patientId: pair.patientId, evidence: pair.evidence };
    if (verdict === 'link') {
      results.push({ ...base, confidence: 1, decision: 'link', method: 'manual', manual: true });
      continue;
    }
    const decision = decide(pair.confidence, thresholds);
    if (decision === 'none') continue;
    results.push({ ...base, confidence: pair.confidence, decision, method: methodOf(pair.evidence), manual: false });
  }
  for (const [patientId, verdict] of manual) {
    if (verdict === 'link' && !scored.some((s) => s.patientId === patientId)) {
      results.push({ leadId, patientId, confidence: 1, decision: 'link', method: 'manual', manual: true, evidence: null });
    }
  }
  return results;
}

/**
 * The review queue, most revenue at stake first: a wrong or missing link on a high-value patient misattributes
 * the most money, so those pairs are worth a person's time first. Ties go to the least certain pair.
 */
export function rankReviewQueue(pairs: Iterable<PairResult>, revenueCents: (patientId: string) => number): PairResult[] {
  return [...pairs]
    .filter((p) => p.decision === 'review')
    .map((p) => ({ p, stake: revenueCents(p.patientId) }))
    .sort((a, b) => b.stake - a.stake || Math.abs(a.p.confidence - 0.5) - Math.abs(b.p.confidence - 0.5) || a.p.leadId.localeCompare(b.p.leadId))
    .map(({ p }) => p);
}
