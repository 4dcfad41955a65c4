import type { ReactNode } from "react";
import type { AppointmentStatus, Channel, Payer } from "~/gql/graphql";
import { formatDate, formatDateTime } from "~/lib/format";
import { formatCents } from "~/lib/money";
import { CHANNELS, todayIn } from "~/lib/report-range";
import { Badge } from "./ui";

/** One appointment, completed procedure or payment, as the patient page selects it. */
export type ChartEvent = { id: string; day: string } & (
  | { __typename: "AppointmentEvent"; status: AppointmentStatus; scheduledAt: string; bookedAt?: string | null; isNewPatient: boolean; provider?: string | null }
  | { __typename: "ProcedureEvent"; code: string; description?: string | null; feeCents: number; provider?: string | null }
  | { __typename: "PaymentEvent"; amountCents: number; payer: Payer; method?: string | null }
);

/** The marketing side of the journey, as the patient page already has it. */
export interface TimelineTouches {
  /** Leads linked to the chart (not pairs waiting for review). */
  leads: ReadonlyArray<{ id: string; occurredAt: string; kind: string; channelDisplayName?: string | null; campaign?: string | null }>;
  manual: ReadonlyArray<{ id: string; occurredOn: string; channel: Channel; campaign?: string | null }>;
  /** How the patient told the front desk they heard of the practice (from the attribution touchpoints). */
  referrals: ReadonlyArray<{ day: string; channel: Channel }>;
}

interface Entry {
  key: string;
  /** YYYY-MM-DD in the practice's zone: what orders the timeline. */
  day: string;
  /** The instant, for entries that have one (leads, appointments). */
  at: string | null;
  /** Same-day order: contact comes before the chart, the visit before its treatment, treatment before payment. */
  step: number;
  what: string;
  detail: ReactNode;
  cents: number | null;
}

const STATUS: Record<AppointmentStatus, { label: string; tone: "green" | "indigo" | "amber" | "neutral" }> = {
  COMPLETED: { label: "Seen", tone: "green" },
  SCHEDULED: { label: "Scheduled", tone: "indigo" },
  BROKEN: { label: "Missed or cancelled", tone: "amber" },
  UNSCHEDULED: { label: "Taken off the schedule", tone: "neutral" },
  PLANNED: { label: "Planned", tone: "neutral" },
};

const channelName = (channel: Channel) => CHANNELS.find((c) => c.value === channel)?.label ?? channel;
const joined = (...parts: Array<string | null | undefined | false>) => parts.filter(Boolean).join(" · ");

function eventEntry(event: ChartEvent, timeZone: string): Entry {
  const base = { key: event.id, day: event.day };
  switch (event.__typename) {
    case "AppointmentEvent": {
      const status = STATUS[event.status];
      return {
        ...base,
        at: event.scheduledAt,
        step: 2,
        what: "Appointment",
        detail: (
          <>
            <Badge tone={status.tone}>{status.label}</Badge>{" "}
            {joined(event.isNewPatient && "new patient", event.provider, event.bookedAt && `booked ${formatDate(event.bookedAt, timeZone)}`)}
          </>
        ),
        cents: null,
      };
    }
    case "ProcedureEvent":
      return { ...base, at: null, step: 3, what: "Procedure", detail: joined(event.code, event.description, event.provider), cents: event.feeCents };
    case "PaymentEvent":
      return {
        ...base,
        at: null,
        step: 4,
        what: event.amountCents < 0 ? "Refund" : "Payment",
        detail: joined(event.payer === "INSURANCE" ? "from insurance" : "from the patient", event.method),
        cents: event.amountCents,
      };
  }
}

function touchEntries(touches: TimelineTouches, timeZone: string): Entry[] {
  const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  return [
    ...touches.leads.map((lead) => ({
      key: `lead-${lead.id}`,
      day: todayIn(timeZone, new Date(lead.occurredAt)),
      at: lead.occurredAt,
      step: 0,
      what: "Lead",
      detail: joined(capitalised(lead.kind), lead.channelDisplayName ?? "channel pending", lead.campaign),
      cents: null,
    })),
    ...touches.manual.map((touch) => ({
      key: `manual-${touch.id}`,
      day: touch.occurredOn,
      at: null,
      step: 0,
      what: "Touch entered by hand",
      detail: joined(channelName(touch.channel), touch.campaign),
      cents: null,
    })),
    ...touches.referrals.map((touch, i) => ({
      key: `referral-${i}`,
      day: touch.day,
      at: null,
      step: 0,
      what: "Told the front desk",
      detail: channelName(touch.channel),
      cents: null,
    })),
  ];
}

const byTime = (a: Entry, b: Entry) => a.day.localeCompare(b.day) || a.step - b.step || (a.at ?? "").localeCompare(b.at ?? "");

/**
 * The patient's way through the practice in one chronological list: marketing touches, the chart being opened, then
 * the practice-management system's appointments, completed procedures and payments.
 */
export function PatientTimeline({
  touches,
  chartOpenedOn,
  events,
  totalEvents,
  timeZone,
}: {
  touches: TimelineTouches;
  chartOpenedOn: string | null;
  events: readonly ChartEvent[];
  totalEvents: number;
  timeZone: string;
}) {
  const opened: Entry[] = chartOpenedOn ? [{ key: "chart", day: chartOpenedOn, at: null, step: 1, what: "Chart opened", detail: null, cents: null }] : [];
  const entries = [...touchEntries(touches, timeZone), ...opened, ...events.map((e) => eventEntry(e, timeZone))].sort(byTime);
  if (!entries.length) return <p className="text-sm text-slate-600">Nothing recorded yet.</p>;
  return (
    <>
      {totalEvents > events.length ? (
        <p className="mb-3 text-sm text-slate-600">
          The {events.length} most recent of {totalEvents} appointments, procedures and payments are listed; earlier ones are left out.
        </p>
      ) : null}
      <ol aria-label="Timeline, oldest first" className="divide-y divide-slate-100 text-sm">
        {entries.map((entry) => (
          <li key={entry.key} className="flex flex-wrap items-baseline gap-x-3 py-2 sm:grid sm:grid-cols-[10.5rem_9rem_minmax(0,1fr)_7rem] sm:gap-x-4">
            <time dateTime={entry.at ?? entry.day} className="whitespace-nowrap tabular-nums text-slate-600">
              {entry.at ? formatDateTime(entry.at, timeZone) : formatDate(entry.day)}
            </time>
            <span className="font-medium text-slate-900">{entry.what}</span>
            <span className="text-slate-700">{entry.detail}</span>
            <span className="text-right tabular-nums text-slate-900">{entry.cents === null ? null : formatCents(entry.cents)}</span>
          </li>
        ))}
      </ol>
    </>
  );
}
