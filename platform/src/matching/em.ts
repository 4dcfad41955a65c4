import { ROLES, type ComparisonSpec, type Role } from './comparisons.ts';

/**
 * A fitted model: `share[r]` is the proportion of candidate pairs in role r, `probability[r][k][l]` the chance that
 * comparison k comes out at level l for a pair in role r. Comparisons are independent given the role (the
 * Fellegi–Sunter assumption, applied per role). Neutral (missing) levels are left out and carry no evidence.
 * A level whose prior is 0 for a role is a structural zero (a booked patient's first visit cannot precede the
 * lead that booked it) and stays 0: such constraints are what give each role its meaning.
 */
export interface MatchModel {
  comparisons: readonly ComparisonSpec[];
  roles: readonly Role[];
  share: number[];
  probability: number[][][];
  iterations: number;
  converged: boolean;
}

/** Levels per comparison a packed vector has room for; ten comparisons fit a double exactly. */
const RADIX = 32;

/** Comparison vectors packed into one number; a run's pairs collapse to a few thousand distinct patterns. */
export function packVector(levels: ArrayLike<number>, count: number): number {
  let code = 0;
  for (let k = count - 1; k >= 0; k--) code = code * RADIX + (levels[k] ?? 0);
  return code;
}

export function unpackVector(code: number, count: number, out = new Uint8Array(count)): Uint8Array {
  let rest = code;
  for (let k = 0; k < count; k++) {
    out[k] = rest % RADIX;
    rest = Math.floor(rest / RADIX);
  }
  return out;
}

/**
 * A comparison whose distribution for a role is known in shape and not learned: a mixture of fixed components
 * with disjoint supports (the chance timing of adults, of children), of which EM learns only the mixing weights.
 */
export interface FixedShape {
  comparison: number;
  role: Role;
  components: readonly (readonly number[])[];
}

export interface EmOptions {
  /** Pseudo-pairs of prior belief per role and comparison: enough to steady rare levels, not to outvote the data. */
  priorStrength?: number;
  maxIterations?: number;
  tolerance?: number;
}

/** Probabilities stay inside this band so no single comparison can make a pair certain or impossible. */
const FLOOR = 1e-4;
const clamp = (p: number) => Math.min(1 - FLOOR, Math.max(FLOOR, p));

/** Starting role proportions among candidate pairs: most candidates blocking finds are not links. */
const INITIAL_SHARE: Record<Role, number> = { contact: 0.2, booked: 0.06, family: 0.03, relative: 0.11, dependant: 0.1, stranger: 0.5 };

function priorDistribution(spec: ComparisonSpec, role: Role): number[] {
  const values = spec.levels.map((l) => (l.neutral ? 0 : l.prior[role]));
  const total = values.reduce((a, b) => a + b, 0);
  return values.map((v) => v / total);
}

/**
 * Estimates role shares and per-role level probabilities by expectation–maximisation over the candidate pairs'
 * comparison patterns (the practice's own data, unlabelled). Starts from the levels' prior guesses, smooths every
 * M-step with `priorStrength` pseudo-pairs drawn from them (a Dirichlet prior), and clamps.
 */
export function estimateModel(
  comparisons: readonly ComparisonSpec[],
  patterns: ReadonlyMap<number, number>,
  options: EmOptions = {},
  shapes: readonly FixedShape[] = [],
): MatchModel {
  const { priorStrength = 20, maxIterations = 500, tolerance = 1e-6 } = options;
  const K = comparisons.length;
  const R = ROLES.length;
  const prior = ROLES.map((role) => comparisons.map((spec) => priorDistribution(spec, role)));
  const neutral = comparisons.map((c) => c.levels.map((l) => l.neutral === true));
  const shaped = new Map(shapes.map((s) => [`${ROLES.indexOf(s.role)}:${s.comparison}`, s.components]));
  const probability = prior.map((byComparison, r) =>
    byComparison.map((row, k) => {
      const components = shaped.get(`${r}:${k}`);
      return components ? mixture(components, new Float64Array(row)) : [...row];
    }),
  );
  let share = ROLES.map((role) => INITIAL_SHARE[role]);

  const codes = [...patterns.keys()];
  const counts = codes.map((c) => patterns.get(c) ?? 0);
  const vectors = codes.map((code) => unpackVector(code, K));
  const total = counts.reduce((a, b) => a + b, 0);

  let iterations = 0;
  let converged = false;
  const likelihood = new Float64Array(R);
  while (iterations < maxIterations && total > 0) {
    iterations++;
    const accumulated = ROLES.map(() => comparisons.map((c) => new Float64Array(c.levels.length)));
    const roleMass = new Float64Array(R);
    for (let i = 0; i < vectors.length; i++) {
      const vector = vectors[i]!;
      const count = counts[i]!;
      let sum = 0;
      for (let r = 0; r < R; r++) {
        let like = share[r]!;
        for (let k = 0; k < K; k++) {
          const l = vector[k]!;
          if (!neutral[k]![l]) like *= probability[r]![k]![l]!;
        }
        likelihood[r] = like;
        sum += like;
      }
      // A pattern every role rules out (structural zeros all round) teaches nothing about any of them.
      if (sum === 0) continue;
      for (let r = 0; r < R; r++) {
        const weight = (count * likelihood[r]!) / sum;
        roleMass[r]! += weight;
        for (let k = 0; k < K; k++) accumulated[r]![k]![vector[k]!]! += weight;
      }
    }
    let change = 0;
    const nextShare = Array.from(roleMass, (mass) => clamp(mass / total));
    for (let r = 0; r < R; r++) {
      change = Math.max(change, Math.abs(nextShare[r]! - share[r]!));
      for (let k = 0; k < K; k++) {
        const components = shaped.get(`${r}:${k}`);
        const next = components
          ? mixture(components, accumulated[r]![k]!)
          : reestimate(probability[r]![k]!, accumulated[r]![k]!, prior[r]![k]!, neutral[k]!, priorStrength);
        change = Math.max(change, maxDifference(next, probability[r]![k]!));
        probability[r]![k] = next;
      }
    }
    share = nextShare;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return { comparisons, roles: ROLES, share, probability, iterations, converged };
}

/** M-step for one role's distribution over one comparison's levels. */
function reestimate(
  current: readonly number[],
  accumulated: Float64Array,
  prior: readonly number[],
  neutral: readonly boolean[],
  strength: number,
): number[] {
  let mass = 0;
  for (let l = 0; l < current.length; l++) if (!neutral[l]) mass += accumulated[l]!;
  if (mass + strength <= 0) return [...current];
  return current.map((p, l) => {
    if (neutral[l] || prior[l] === 0) return p;
    return clamp((accumulated[l]! + strength * prior[l]!) / (mass + strength));
  });
}

/** A fixed-shape distribution whose component weights are the mass `weights` puts on each component's support. */
function mixture(components: readonly (readonly number[])[], weights: ArrayLike<number>): number[] {
  const mass = components.map((c) => c.reduce((sum, p, l) => (p > 0 ? sum + (weights[l] ?? 0) : sum), 0));
  const total = mass.reduce((a, b) => a + b, 0);
  const out = new Array<number>(components[0]?.length ?? 0).fill(0);
  components.forEach((c, g) => c.forEach((p, l) => (out[l]! += (total > 0 ? mass[g]! / total : 1 / components.length) * p)));
  return out;
}

function maxDifference(a: readonly number[], b: readonly number[]): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - (b[i] ?? 0)));
  return max;
}
