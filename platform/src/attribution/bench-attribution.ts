import { attributePractice } from './engine.ts';
import { syntheticPractice } from './testing.ts';

/**
 * How long one practice takes end to end: `pnpm exec tsx platform/src/attribution/bench-attribution.ts [patients]`.
 * The synthetic practice has about 1.6 linked leads, 2.4 non-converting leads and 6 procedures per new patient.
 */
const patients = Number(process.argv[2] ?? 200_000);
const input = syntheticPractice({ patients, seed: 7 });
const started = performance.now();
const result = attributePractice(input);
const elapsed = performance.now() - started;
const touchpoints = result.patients.reduce((sum, p) => sum + p.touchpoints.length, 0);
console.log(JSON.stringify({
  patients: result.patients.length, leads: input.leads.length, procedures: input.procedures.length, payments: input.payments.length, touchpoints,
  journeys: result.markov.fittedJourneys, pathTypes: result.paths.length, rollupRows: result.rollups.length, markovBasis: result.markov.basis,
  seconds: Math.round(elapsed) / 1000, heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
}));
