import { GoogleClickId, type ClickIdKind } from '@sourceline/connector-google-ads';
import { localDateTimeToEpochMs } from '@sourceline/sdk';
import { allocateByLargestRemainder } from '../attribution/allocate.ts';
import { attributionModelNames, type AttributionModelId } from '../attribution/attribution-settings.ts';
import type { StoredPatientAttribution } from '../attribution/practice/patient-attribution.ts';
import type { LinkedAdClick } from '../matching/practice/linked-ad-clicks.ts';
import { conversionOrderId } from './conversion-order-id.ts';

const DAY_MS = 86_400_000;

/** Google's longest click-through window: clicks older than this before the conversion are refused (EXPIRED_EVENT). */
export const GOOGLE_MAX_CLICK_WINDOW_DAYS = 90;

/**
 * How Google Ads is told about a patient:
 * - `external`: the conversion action uses external attribution, so Google gets Sourceline's credit for its clicks
 *   (under the practice's default model) and the production that credit earns — Google's template asks for "the value
 *   corresponding to the attributed conversion credit". Google refuses zero credit and order ids here.
 * - `google`: Google attributes among its own clicks, so it gets the whole production and an order id.
 */
export type ConversionAttribution = 'external' | 'google';

/** Why a patient matched to an ad click is not reported. */
export type ConversionSkip =
  | 'visit-day-not-over' // the first-visit day is still under way in the practice's zone: reported once it is over
  | 'click-after-visit' // every click came after the first-visit day: it did not bring the patient (Google: CONVERSION_PRECEDES_EVENT)
  | 'click-outside-window' // every earlier click is older than the click-through window (Google: EXPIRED_EVENT)
  | 'malformed-click-id' // the only click ids are not Google's (a mangled or tampered landing URL)
  | 'negative-production' // refunds and write-offs outweigh the production: Google takes no negative value
  | 'no-credit-under-model' // external attribution: the default model gives Google Ads' clicks no credit (a repeat contact, say)
  | 'click-id-not-in-file'; // a gbraid/wbraid click: Google's import file takes gclids only; the API upload sends these

/** One patient's conversion as Google Ads is told it. No PHI: an opaque order id, a click id, a time and money. */
export interface AdConversion {
  patientId: string;
  orderId: string;
  click: { kind: ClickIdKind; id: string };
  /** ISO instant: the end of the first-visit day in the practice's zone. */
  conversionTime: string;
  /** Integer cents, ≥ 0: the credited production (external) or the whole production (google). */
  valueCents: number;
  /** External attribution only: the share of the patient Google Ads' clicks earned, in (0, 1]; otherwise null. */
  credit: number | null;
}

export interface PatientAdConversionInput {
  patient: StoredPatientAttribution;
  /** The patient's linked leads that carry a Google click id. */
  clicks: readonly LinkedAdClick[];
  model: AttributionModelId;
  timeZone: string;
  attribution: ConversionAttribution;
  now: Date;
  clickWindowDays: number;
}

/** The external attribution model's name as Google Ads shows it: Sourceline's model under the practice's default. */
export function externalModelName(model: AttributionModelId): string {
  return `Sourceline ${attributionModelNames[model]}`;
}

/**
 * A new patient's first visit as a conversion of the Google Ads click that led to it, read from what attribution stored
 * (revenue, touchpoints, every model's credit) — nothing is re-derived here.
 *
 * - **Time**: the end of the first-visit day (23:59:59 in the practice's zone). Attribution knows the first visit as a
 *   day and counts touches through that whole day, so the end of it is after every click it counts; and it is the same
 *   on every upload, which externally attributed actions need (Google dedupes them by click and time, not order id).
 * - **Click**: the linked leads' clicks on or before that time and inside the click-through window. The one reported is
 *   the latest that attribution counted as a touch (else the latest), as Google's own last-click reporting would pick.
 * - **Credit**: the default model's weights of the touchpoints those click leads are (a click on a repeat contact is
 *   not a touch of its own and earns none), added up and kept to millionths. Google takes one conversion per order id,
 *   so all of the patient's Google Ads credit goes with the one click.
 * - **Value**: production, levels 1 and 2 (the first visit and the follow-on year). For external attribution the credited
 *   part, split by attribution's largest-remainder rule over the patient's total — the rollups split each day on its
 *   own, so the two can differ by a cent per revenue day.
 */
export function patientAdConversion(input: PatientAdConversionInput): { conversion: AdConversion } | { skipped: ConversionSkip } {
  const { patient, model } = input;
  const productionCents = patient.productionLevel1Cents + patient.productionLevel2Cents;
  if (productionCents < 0) return { skipped: 'negative-production' };
  const conversionMs = localDateTimeToEpochMs(`${patient.firstVisitOn} 23:59:59`, input.timeZone);
  if (conversionMs > input.now.getTime()) return { skipped: 'visit-day-not-over' };

  const clicks = input.clicks.flatMap((c) => {
    const click = clickIdOf(c);
    return click ? [{ ...click, leadId: c.leadId, at: c.occurredAt.getTime() }] : [];
  });
  if (clicks.length === 0) return { skipped: 'malformed-click-id' };
  const before = clicks.filter((c) => c.at <= conversionMs);
  if (before.length === 0) return { skipped: 'click-after-visit' };
  const eligible = before.filter((c) => c.at >= conversionMs - input.clickWindowDays * DAY_MS);
  if (eligible.length === 0) return { skipped: 'click-outside-window' };

  const touchIndex = new Map(patient.touchpoints.map((t, i) => [t.id, i]));
  const touches = eligible.filter((c) => touchIndex.has(`lead:${c.leadId}`));
  const indices = new Set(touches.map((c) => touchIndex.get(`lead:${c.leadId}`)!));
  const weights = patient.touchpoints.map((t) => t.credits[model] ?? 0);
  const credit = Math.min(1, Math.round([...indices].reduce((sum, i) => sum + weights[i]!, 0) * 1e6) / 1e6);
  const latest = (touches.length ? touches : eligible).reduce((a, b) => (b.at >= a.at ? b : a));

  let valueCents = productionCents;
  if (input.attribution === 'external') {
    if (credit === 0) return { skipped: 'no-credit-under-model' };
    const parts = allocateByLargestRemainder(productionCents, weights);
    valueCents = [...indices].reduce((sum, i) => sum + parts[i]!, 0);
  }
  return {
    conversion: {
      patientId: patient.patientId,
      orderId: conversionOrderId('new_patient', patient.patientId),
      click: { kind: latest.kind, id: latest.id },
      conversionTime: new Date(conversionMs).toISOString(),
      valueCents,
      credit: input.attribution === 'external' ? credit : null,
    },
  };
}

/** The click a lead carried: its gclid, else its gbraid or wbraid (iOS 14+ clicks carry those instead); null if none is Google's. */
function clickIdOf(click: LinkedAdClick): { kind: ClickIdKind; id: string } | null {
  for (const kind of ['gclid', 'gbraid', 'wbraid'] as const) {
    const id = click[kind];
    if (id !== null && GoogleClickId.safeParse(id).success) return { kind, id };
  }
  return null;
}
