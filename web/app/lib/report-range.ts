import type { AttributionModel } from "~/gql/graphql";

/** The attribution models, in the order a picker lists them. */
export const ATTRIBUTION_MODELS: ReadonlyArray<{ value: AttributionModel; label: string; hint: string }> = [
  { value: "FIRST_TOUCH", label: "First touch", hint: "All credit to the touch that found the patient." },
  { value: "LAST_TOUCH", label: "Last touch", hint: "All credit to the last touch before the first visit." },
  { value: "LINEAR", label: "Linear", hint: "Credit split evenly across every touch." },
  { value: "TIME_DECAY", label: "Time decay", hint: "More credit to touches closer to the first visit." },
  { value: "POSITION_BASED", label: "Position based", hint: "40% first touch, 40% last, 20% shared by the rest." },
  { value: "MARKOV", label: "Data-driven (Markov)", hint: "Credit by how much conversions drop without each channel." },
];

export const modelLabel = (model: AttributionModel) => ATTRIBUTION_MODELS.find((m) => m.value === model)?.label ?? model;

/** The dashboard's date ranges, computed in the practice's time zone from "today" there. */
export const RANGE_PRESETS = [
  { key: "this-month", label: "This month" },
  { key: "last-month", label: "Last month" },
  { key: "this-quarter", label: "This quarter" },
  { key: "last-quarter", label: "Last quarter" },
  { key: "this-year", label: "This year" },
  { key: "last-year", label: "Last year" },
  { key: "last-12-months", label: "Last 12 months" },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]["key"] | "custom";

export const DEFAULT_RANGE: RangePreset = "last-12-months";

export interface ReportRange {
  preset: RangePreset;
  from: string;
  to: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);

/** Today's date (YYYY-MM-DD) in `timeZone`. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** The range a URL asks for (`?range=last-month`, or `?range=custom&from=…&to=…`), defaulting to the last 12 months. */
export function rangeFromSearch(search: URLSearchParams, timeZone: string, now = new Date()): ReportRange {
  const from = search.get("from");
  const to = search.get("to");
  const asked = search.get("range");
  // A preset wins over dates left in the URL from an earlier custom range.
  if ((asked === null || asked === "custom") && from && to && ISO_DATE.test(from) && ISO_DATE.test(to)) {
    // Dates typed backwards into a URL still mean the days between them.
    return from <= to ? { preset: "custom", from, to } : { preset: "custom", from: to, to: from };
  }
  const preset = (RANGE_PRESETS.find((p) => p.key === asked)?.key ?? DEFAULT_RANGE) as RangePreset;
  const [y, m, d] = todayIn(timeZone, now).split("-").map(Number) as [number, number, number];
  const month = m - 1;
  switch (preset) {
    case "this-month":
      return { preset, from: iso(y, month, 1), to: iso(y, month, d) };
    case "last-month":
      return { preset, from: iso(y, month - 1, 1), to: iso(y, month, 0) };
    case "this-quarter":
      return { preset, from: iso(y, month - (month % 3), 1), to: iso(y, month, d) };
    case "last-quarter":
      return { preset, from: iso(y, month - (month % 3) - 3, 1), to: iso(y, month - (month % 3), 0) };
    case "this-year":
      return { preset, from: iso(y, 0, 1), to: iso(y, month, d) };
    case "last-year":
      return { preset, from: iso(y - 1, 0, 1), to: iso(y - 1, 11, 31) };
    default:
      return { preset: "last-12-months", from: iso(y - 1, month, d + 1), to: iso(y, month, d) };
  }
}

/** "Jan 1 – Mar 31, 2026": a range as people read it. */
export function describeRange(from: string, to: string): string {
  const format = (date: string, withYear: boolean) =>
    new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: withYear ? "numeric" : undefined, timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
  return `${format(from, from.slice(0, 4) !== to.slice(0, 4))} – ${format(to, true)}`;
}

/** The CRM's channels, in the order reports list them (the platform's ChannelId, as the API's enum). */
export const CHANNELS: ReadonlyArray<{ value: import("~/gql/graphql").Channel; label: string }> = [
  { value: "PAID_SEARCH", label: "Paid Search" },
  { value: "ORGANIC_SEARCH", label: "Organic Search" },
  { value: "GOOGLE_BUSINESS_PROFILE", label: "Google Business Profile" },
  { value: "PAID_SOCIAL", label: "Paid Social" },
  { value: "ORGANIC_SOCIAL", label: "Organic Social" },
  { value: "DISPLAY", label: "Display" },
  { value: "EMAIL", label: "Email" },
  { value: "REFERRAL_PROFESSIONAL", label: "Referral – Professional" },
  { value: "REFERRAL_WEB", label: "Referral – Web" },
  { value: "DIRECT", label: "Direct" },
  { value: "OFFLINE_OTHER", label: "Offline / Other" },
];
