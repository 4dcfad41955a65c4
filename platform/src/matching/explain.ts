import type { Role } from './comparisons.ts';
import { unpackVector } from './em.ts';
import { evidence, priorEvidence, scorePattern, type Weights } from './score.ts';

/** One comparison's part in a decision, as the review UI shows it: what was compared, how it came out, its weight. */
export interface ComparisonEvidence {
  comparison: string;
  outcome: string;
  /** Evidence in bits (log2 likelihood ratio) for `role` against `alternative`; 0 when the field is missing. */
  weight: number;
}

export interface Explanation {
  /** The link role the evidence favours: the person who got in touch, or a patient they booked. */
  role: Role;
  /** The likeliest reading that is not a link (a relative of the contact, a stranger), which the weights argue against. */
  alternative: Role;
  /** Log-odds of role against alternative before any comparison: how common each is among the candidates. */
  priorWeight: number;
  comparisons: ComparisonEvidence[];
  /** Prior plus every comparison: the log-odds of role against alternative. */
  totalWeight: number;
  /** Probability of a link in any role, after weighing the lead's other candidates. */
  confidence: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Spells out a scored pair (its packed comparison vector) comparison by comparison; outcomes and weights only,
 * never the compared values.
 */
export function explain(weights: Weights, code: number, confidence: number): Explanation {
  const { role, alternative } = scorePattern(weights, code);
  const specs = weights.model.comparisons;
  const vector = unpackVector(code, specs.length);
  const priorWeight = priorEvidence(weights, role, alternative);
  const comparisons = specs.map((spec, k) => {
    const level = vector[k]!;
    return { comparison: spec.name, outcome: spec.levels[level]?.name ?? 'unknown', weight: evidence(weights, role, alternative, k, level) };
  });
  const totalWeight = comparisons.reduce((sum, c) => sum + c.weight, priorWeight);
  return {
    role,
    alternative,
    priorWeight: round(priorWeight),
    comparisons: comparisons.map((c) => ({ ...c, weight: round(c.weight) })),
    totalWeight: round(totalWeight),
    confidence,
  };
}
