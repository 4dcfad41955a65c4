import { LINK_ROLES, ROLES, type Role } from './comparisons.ts';
import { unpackVector, type MatchModel } from './em.ts';

/**
 * A fitted model as log2 tables, so scoring a pair is a handful of additions, and a cache of scored patterns:
 * a run's millions of pairs share a few thousand comparison patterns.
 */
export interface Weights {
  model: MatchModel;
  logShare: Float64Array;
  /** `logProbability[r][k][l]`, 0 for neutral levels. */
  logProbability: Float64Array[][];
  scored: Map<number, PairScore>;
}

/** Log2 probability of a structural zero: small enough to veto the role, finite so explanations stay numbers. */
const IMPOSSIBLE = -64;

export function weightsOf(model: MatchModel): Weights {
  return {
    model,
    logShare: Float64Array.from(model.share, Math.log2),
    logProbability: model.probability.map((byComparison) =>
      byComparison.map((row, k) =>
        Float64Array.from(row, (p, l) => (model.comparisons[k]!.levels[l]!.neutral ? 0 : p > 0 ? Math.log2(p) : IMPOSSIBLE)),
      ),
    ),
    scored: new Map(),
  };
}

export interface PairScore {
  /** Probability that the pair is a link in any role. */
  confidence: number;
  /** Probability of each role, in `ROLES` order. */
  roles: Float64Array;
  /** The most likely link role and the most likely non-link role: the two explanations weighed against each other. */
  role: Role;
  alternative: Role;
}

const isLink = ROLES.map((role) => LINK_ROLES.includes(role));

/** Scores a packed comparison vector (see `packVector`) under every role. */
export function scorePattern(weights: Weights, code: number): PairScore {
  const cached = weights.scored.get(code);
  if (cached) return cached;
  const vector = unpackVector(code, weights.model.comparisons.length);
  const logs = new Float64Array(ROLES.length);
  let max = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < ROLES.length; r++) {
    let total = weights.logShare[r]!;
    const tables = weights.logProbability[r]!;
    for (let k = 0; k < tables.length; k++) total += tables[k]![vector[k]!]!;
    logs[r] = total;
    max = Math.max(max, total);
  }
  const roles = new Float64Array(logs.length);
  let sum = 0;
  let link = 0;
  let role = -1;
  let alternative = -1;
  for (let r = 0; r < logs.length; r++) {
    const p = 2 ** (logs[r]! - max);
    roles[r] = p;
    sum += p;
    if (isLink[r]) {
      link += p;
      if (role < 0 || logs[r]! > logs[role]!) role = r;
    } else if (alternative < 0 || logs[r]! > logs[alternative]!) {
      alternative = r;
    }
  }
  for (let r = 0; r < roles.length; r++) roles[r]! /= sum;
  const score = { confidence: link / sum, roles, role: ROLES[role]!, alternative: ROLES[alternative]! };
  weights.scored.set(code, score);
  return score;
}

/** Evidence in bits for `role` against `alternative` from comparison k at level l. */
export function evidence(weights: Weights, role: Role, alternative: Role, k: number, level: number): number {
  return weights.logProbability[ROLES.indexOf(role)]![k]![level]! - weights.logProbability[ROLES.indexOf(alternative)]![k]![level]!;
}

export function priorEvidence(weights: Weights, role: Role, alternative: Role): number {
  return weights.logShare[ROLES.indexOf(role)]! - weights.logShare[ROLES.indexOf(alternative)]!;
}

const CONTACT = ROLES.indexOf('contact');

/**
 * Link confidences for one lead's candidates, knowing a lead has at most one contact: the pairwise odds that each
 * chart is the contact compete (the chance that it is chart c is its odds over one plus everyone's odds, one
 * standing for "the contact has no chart here"), while being booked stays independent per chart. A namesake of
 * the caller loses to the chart that also has the caller's number; a family's charts can all be booked.
 */
export function leadConfidences(scores: readonly PairScore[]): number[] {
  let totalOdds = 0;
  const odds = scores.map((s) => {
    const p = s.roles[CONTACT]!;
    const o = p >= 1 ? Number.MAX_VALUE : p / (1 - p);
    totalOdds += o;
    return o;
  });
  return scores.map((s, i) => {
    const contact = odds[i]! / (1 + totalOdds);
    const notContact = 1 - s.roles[CONTACT]!;
    const bookedGivenNotContact = notContact > 0 ? (s.confidence - s.roles[CONTACT]!) / notContact : 0;
    return contact + (1 - contact) * bookedGivenNotContact;
  });
}
