import type { AttributionModelId } from '../attribution/attribution-settings.ts';
import { attributionSettingsOf } from '../attribution/practice/attribution-settings-store.ts';
import { patientAttributionsByFirstVisit } from '../attribution/practice/patient-attribution.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { adClicksLinkedToPatients, type LinkedAdClick } from '../matching/practice/linked-ad-clicks.ts';
import type { DayRange } from '../reports/report-range.ts';
import { patientAdConversion, type AdConversion, type ConversionAttribution, type ConversionSkip } from './patient-ad-conversion.ts';

/** Patients read per transaction: a year of a large practice streams instead of filling memory. */
const PAGE_SIZE = 500;

export interface AdConversionSelection {
  practiceId: string;
  /** First-visit days, in the practice's zone, both included. */
  range: DayRange;
  attribution: ConversionAttribution;
  clickWindowDays: number;
  now: Date;
}

/** What the conversions are reported under: the practice's zone and its default model (whose name Google is given). */
export interface ConversionBasis {
  timeZone: string;
  model: AttributionModelId;
}

export interface AdConversionPage {
  conversions: AdConversion[];
  /** Patients of the page matched to an ad click but not reported, by reason. */
  skipped: Partial<Record<ConversionSkip, number>>;
}

/** Runs a read in a transaction scoped to the reader: the requesting user's scope, or the job's practice. */
export type TenantReader = <T>(read: (tx: Tx) => Promise<T>) => Promise<T>;

export async function conversionBasis(tx: Tx, practiceId: string): Promise<ConversionBasis> {
  const practice = await tx.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { timeZone: true } });
  return { timeZone: practice.timeZone, model: (await attributionSettingsOf(tx, practiceId)).defaultModel };
}

/**
 * The range's new patients matched to a Google ad click, as conversions, a page per transaction: attribution's stored
 * patients (first visit in the range), then matching's links from them to leads that carry a click id. Patients with
 * no such link are not part of the selection at all; those with one but nothing to report are counted by reason.
 */
export async function* adConversionPages(read: TenantReader, selection: AdConversionSelection, basis: ConversionBasis): AsyncGenerator<AdConversionPage> {
  let after: string | null = null;
  for (;;) {
    const { patients, clicks } = await read(async (tx) => {
      const patients = await patientAttributionsByFirstVisit(tx, { practiceId: selection.practiceId, ...selection.range, afterPatientId: after, limit: PAGE_SIZE });
      return { patients, clicks: patients.length ? await adClicksLinkedToPatients(tx, patients.map((p) => p.patientId)) : [] };
    });
    const clicksOf = new Map<string, LinkedAdClick[]>();
    for (const click of clicks) {
      const list = clicksOf.get(click.patientId);
      if (list) list.push(click);
      else clicksOf.set(click.patientId, [click]);
    }
    const page: AdConversionPage = { conversions: [], skipped: {} };
    for (const patient of patients) {
      const patientClicks = clicksOf.get(patient.patientId);
      if (!patientClicks) continue;
      const outcome = patientAdConversion({ patient, clicks: patientClicks, ...basis, attribution: selection.attribution, now: selection.now, clickWindowDays: selection.clickWindowDays });
      if ('conversion' in outcome) page.conversions.push(outcome.conversion);
      else page.skipped[outcome.skipped] = (page.skipped[outcome.skipped] ?? 0) + 1;
    }
    yield page;
    if (patients.length < PAGE_SIZE) return;
    after = patients.at(-1)!.patientId;
  }
}

/** Adds one page's skip counts to a running total. */
export function addSkips(total: Partial<Record<ConversionSkip, number>>, page: Partial<Record<ConversionSkip, number>>): void {
  for (const [reason, count] of Object.entries(page) as [ConversionSkip, number][]) total[reason] = (total[reason] ?? 0) + count;
}
