import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useState } from "react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import type { MatchVerdict } from "~/gql/graphql";
import { MatchEvidence } from "~/components/match-evidence";
import { PatientTimeline } from "~/components/patient-timeline";
import { Breadcrumbs } from "~/components/practice-dashboard";
import { RouteErrorBoundary } from "~/components/route-error";
import { Badge, Button, Card, FormErrors, PageHeader, SelectField, TableFrame, TextField, cx, td, th } from "~/components/ui";
import { formatDate, formatDateTime } from "~/lib/format";
import { loadQuery, notFound } from "~/lib/graphql.server";
import { isId, toGlobalId } from "~/lib/ids";
import { pageTitle } from "~/lib/meta";
import { formatMoney, formatPercent } from "~/lib/metrics";
import { paths } from "~/lib/paths";
import { loadPractice } from "~/lib/practice.server";
import { ATTRIBUTION_MODELS, CHANNELS } from "~/lib/report-range";
import { useHydrated } from "~/lib/use-hydrated";

// The chart's 50 most recent events: the API's cost limit (20,000) weighs every listed row, and 50 keeps the page near 8,000.
const PatientTimelineQuery = graphql(`
  query PatientTimeline($id: ID!) {
    node(id: $id) {
      ... on Patient {
        id
        sourceId
        status
        firstName
        lastName
        preferredName
        birthDate
        firstVisitOn
        createdOn
        productionCents
        attribution {
          summary
          primaryChannel
          productionLevel1Cents
          productionLevel2Cents
          productionLevel3Cents
          collectionsCents
          touchpoints {
            origin
            channel
            campaign
            adGroup
            keyword
            day
            daysBeforeFirstVisit
            credits {
              model
              weight
            }
          }
        }
        manualTouchpoints {
          id
          occurredOn
          channel
          campaign
          hasNote
        }
        chartEvents(first: 50) {
          total
          items {
            __typename
            id
            day
            ... on AppointmentEvent {
              status
              scheduledAt
              bookedAt
              isNewPatient
              provider
            }
            ... on ProcedureEvent {
              code
              description
              feeCents
              provider
            }
            ... on PaymentEvent {
              amountCents
              payer
              method
            }
          }
        }
        matches {
          id
          decision
          confidence
          method
          manual
          verdict
          matchedAt
          lead {
            id
            occurredAt
            kind
            channelDisplayName
            campaign
            name
            phone
            email
          }
          explanation {
            role
            comparisons {
              comparison
              outcome
              weight
            }
          }
        }
      }
    }
  }
`);

const DecidePairMutation = graphql(`
  mutation DecidePair($leadId: ID!, $patientId: ID!, $verdict: MatchVerdict!, $reason: String) {
    decideMatch(leadId: $leadId, patientId: $patientId, verdict: $verdict, reason: $reason) {
      id
    }
  }
`);

const AddTouchpointMutation = graphql(`
  mutation AddTouchpoint($patientId: ID!, $occurredOn: String!, $channel: Channel!, $campaign: String, $note: String) {
    addManualTouchpoint(patientId: $patientId, occurredOn: $occurredOn, channel: $channel, campaign: $campaign, note: $note) {
      id
    }
  }
`);

const RemoveTouchpointMutation = graphql(`
  mutation RemoveTouchpoint($id: ID!) {
    removeManualTouchpoint(id: $id)
  }
`);

const UndoDecisionMutation = graphql(`
  mutation UndoDecision($leadId: ID!, $patientId: ID!) {
    undoMatchDecision(leadId: $leadId, patientId: $patientId)
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const page = await loadPractice(args, args.params);
  if (!isId(args.params.patientId)) notFound("That patient does not exist, or is not yours to see.");
  const data = await loadQuery(args, PatientTimelineQuery, { id: toGlobalId("Patient", args.params.patientId!) });
  const patient = data.node && "sourceId" in data.node ? data.node : notFound("That patient does not exist, or is not yours to see.");
  return { ...page, patient };
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageTitle(data ? [data.patient.firstName, data.patient.lastName].filter(Boolean).join(" ") || `Chart ${data.patient.sourceId}` : "Patient", data?.practice.name);

type Patient = ReturnType<typeof useLoaderData<typeof loader>>["patient"];
type Match = Patient["matches"][number];

const ORIGIN_LABELS: Record<string, string> = { lead: "Lead", "referral-source": "Told the front desk", manual: "Entered by hand" };

export default function PatientPage() {
  const { practice, patient } = useLoaderData<typeof loader>();
  const name = [patient.firstName, patient.lastName].filter(Boolean).join(" ") || `Chart ${patient.sourceId}`;
  const attribution = patient.attribution;
  return (
    <>
      <Breadcrumbs items={[{ label: practice.agency.name, to: paths.agency(practice.agency.id) }, { label: practice.name, to: paths.practice(practice.agency.id, practice.id) }, { label: name }]} />
      <PageHeader
        eyebrow={`Patient · chart ${patient.sourceId}`}
        title={patient.preferredName ? `${name} (${patient.preferredName})` : name}
        description={[
          patient.birthDate ? `Born ${patient.birthDate}` : null,
          patient.createdOn ? `chart opened ${formatDate(patient.createdOn)}` : null,
          patient.firstVisitOn ? `first visit ${formatDate(patient.firstVisitOn)}` : "no visit yet",
          `production ${formatMoney(patient.productionCents)}`,
        ]
          .filter(Boolean)
          .join(" · ")}
      />
      <div className="space-y-6">
        <Card title="How this patient is credited" description={attribution?.summary ?? "Credit is given once the patient has a first visit."}>
          {attribution && attribution.touchpoints.length ? (
            <TableFrame label="Touchpoints and each model’s credit">
                <thead className="bg-slate-50 text-left">
                  <tr>
                    <th scope="col" className={th}>Touch</th>
                    <th scope="col" className={th}>Channel</th>
                    <th scope="col" className={th}>Campaign</th>
                    {ATTRIBUTION_MODELS.map((m) => (
                      <th key={m.value} scope="col" className={cx(th, "text-right")} title={m.hint}>
                        {m.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {attribution.touchpoints.map((t, i) => (
                    <tr key={`${t.day}-${i}`}>
                      <th scope="row" className={cx(td, "whitespace-nowrap text-left font-medium")}>
                        {formatDate(t.day)}
                        <span className="block text-xs font-normal text-slate-600">
                          {ORIGIN_LABELS[t.origin] ?? t.origin} · {t.daysBeforeFirstVisit === 0 ? "day of the visit" : `${t.daysBeforeFirstVisit} days before`}
                        </span>
                      </th>
                      <td className={td}>{CHANNELS.find((c) => c.value === t.channel)?.label ?? t.channel}</td>
                      <td className={td}>{[t.campaign, t.adGroup, t.keyword].filter(Boolean).join(" › ") || "—"}</td>
                      {ATTRIBUTION_MODELS.map((m) => (
                        <td key={m.value} className={cx(td, "text-right tabular-nums")}>
                          {formatPercent(t.credits.find((c) => c.model === m.value)?.weight ?? 0)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
            </TableFrame>
          ) : (
            <p className="text-sm text-slate-600">No marketing touch was recorded before the first visit.</p>
          )}
          {attribution ? (
            <dl className="mt-4 grid grid-cols-2 gap-3 text-sm md:grid-cols-4">
              <Figure label="First visit" value={formatMoney(attribution.productionLevel1Cents)} />
              <Figure label="Follow-on treatment" value={formatMoney(attribution.productionLevel2Cents)} />
              <Figure label="Major procedures" value={formatMoney(attribution.productionLevel3Cents)} />
              <Figure label="Collections" value={formatMoney(attribution.collectionsCents)} />
            </dl>
          ) : null}
        </Card>
        <Card title="Timeline" description="Marketing touches, visits, treatment and payments in the order they happened, in the practice’s time zone.">
          <PatientTimeline
            touches={{
              leads: patient.matches.flatMap((m) => (m.decision === "LINK" && m.lead ? [m.lead] : [])),
              manual: patient.manualTouchpoints,
              referrals: attribution?.touchpoints.filter((t) => t.origin === "referral-source") ?? [],
            }}
            chartOpenedOn={patient.createdOn ?? null}
            events={patient.chartEvents.items}
            totalEvents={patient.chartEvents.total}
            timeZone={practice.timeZone}
          />
        </Card>
        <Card
          title="Touches entered by hand"
          description="Marketing the sources could not record — a health fair, a mailer, a sign. They count like any other touch before the first visit."
        >
          <ManualTouchpoints patientId={patient.id} touchpoints={patient.manualTouchpoints} />
        </Card>
        <Card title="Leads matched to this patient" description="Why each lead was linked (or waits for review), comparison by comparison. A verdict you give holds on every later run.">
          {patient.matches.length === 0 ? (
            <p className="text-sm text-slate-600">No lead is linked to this patient.</p>
          ) : (
            <ul className="space-y-4">
              {patient.matches.map((match) => (
                <li key={match.id}>
                  <MatchCard match={match} patientId={patient.id} timeZone={practice.timeZone} />
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}

function ManualTouchpoints({ patientId, touchpoints }: { patientId: string; touchpoints: Patient["manualTouchpoints"] }) {
  const [added, add] = useMutation(AddTouchpointMutation);
  const [removed, remove] = useMutation(RemoveTouchpointMutation);
  const revalidator = useRevalidator();
  const hydrated = useHydrated();
  return (
    <div className="space-y-4">
      {touchpoints.length ? (
        <ul className="divide-y divide-slate-100 text-sm">
          {touchpoints.map((t) => (
            <li key={t.id} className="flex flex-wrap items-center justify-between gap-3 py-2">
              <span>
                {formatDate(t.occurredOn)} · {CHANNELS.find((c) => c.value === t.channel)?.label ?? t.channel}
                {t.campaign ? ` · ${t.campaign}` : ""}
                {t.hasNote ? <span className="text-slate-500"> · note kept</span> : null}
              </span>
              <Button
                size="sm"
                variant="ghost"
                disabled={!hydrated || removed.fetching}
                aria-label={`Remove the touch of ${formatDate(t.occurredOn)}`}
                onClick={async () => {
                  const result = await remove({ id: t.id });
                  if (!result.error) revalidator.revalidate();
                }}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">None.</p>
      )}
      <form
        method="post"
        className="grid gap-3 sm:grid-cols-4"
        onSubmit={async (event) => {
          event.preventDefault();
          const formElement = event.currentTarget;
          const form = new FormData(formElement);
          const result = await add({
            patientId,
            occurredOn: String(form.get("occurredOn")),
            channel: String(form.get("channel")) as Patient["manualTouchpoints"][number]["channel"],
            campaign: String(form.get("campaign") ?? "") || null,
            note: String(form.get("note") ?? "") || null,
          });
          if (!result.error) {
            formElement.reset();
            revalidator.revalidate();
          }
        }}
      >
        <TextField label="Date" name="occurredOn" type="date" required />
        <SelectField label="Channel" name="channel" defaultValue="OFFLINE_OTHER">
          {CHANNELS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <TextField label="Campaign (optional)" name="campaign" maxLength={200} />
        <TextField label="Note (optional, kept encrypted)" name="note" maxLength={500} />
        <div className="sm:col-span-4">
          <Button type="submit" size="sm" variant="secondary" disabled={!hydrated || added.fetching}>
            Add touch
          </Button>
        </div>
      </form>
      <FormErrors error={added.error ?? removed.error} />
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-slate-600">{label}</dt>
      <dd className="font-medium tabular-nums text-slate-900">{value}</dd>
    </div>
  );
}

function MatchCard({ match, patientId, timeZone }: { match: Match; patientId: string; timeZone: string }) {
  const [decision, decide] = useMutation(DecidePairMutation);
  const [undo, undoDecision] = useMutation(UndoDecisionMutation);
  const [unlinking, setUnlinking] = useState(false);
  const [reason, setReason] = useState("");
  const revalidator = useRevalidator();
  const hydrated = useHydrated();
  const lead = match.lead;
  if (!lead) return null;
  const busy = decision.fetching || undo.fetching || !hydrated;
  const verdict = async (value: MatchVerdict) => {
    const result = await decide({ leadId: lead.id, patientId, verdict: value, reason: reason.trim() || null });
    if (!result.error) {
      setUnlinking(false);
      revalidator.revalidate();
    }
  };
  return (
    <article aria-label={`Lead of ${formatDateTime(lead.occurredAt, timeZone)}`} className="rounded-lg p-4 ring-1 ring-slate-200">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="font-medium text-slate-900">
            {lead.name || "No name given"} · {lead.kind} on {formatDateTime(lead.occurredAt, timeZone)}
          </p>
          <p className="text-sm text-slate-600">
            {lead.channelDisplayName ?? "Channel pending"}
            {lead.campaign ? ` · ${lead.campaign}` : ""}
            {lead.phone ? ` · ${lead.phone}` : ""}
            {lead.email ? ` · ${lead.email}` : ""}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <Badge tone={match.decision === "LINK" ? "green" : "amber"}>{match.decision === "LINK" ? "Linked" : "Waiting for review"}</Badge>
          <Badge tone="neutral">{match.manual ? "by a person" : `${formatPercent(match.confidence)} · ${match.method.toLowerCase().replace("_", " + ")}`}</Badge>
        </div>
      </div>
      {match.explanation ? (
        <div className="mt-3 max-w-xl">
          <MatchEvidence comparisons={match.explanation.comparisons} />
        </div>
      ) : null}
      <div className="mt-3 flex flex-wrap items-end gap-2">
        {match.verdict ? (
          <Button
            size="sm"
            variant="secondary"
            disabled={busy}
            onClick={async () => {
              const result = await undoDecision({ leadId: lead.id, patientId });
              if (!result.error) revalidator.revalidate();
            }}
          >
            Undo the verdict
          </Button>
        ) : (
          <>
            {match.decision === "REVIEW" ? (
              <Button size="sm" variant="primary" disabled={busy} onClick={() => void verdict("LINK")}>
                Link
              </Button>
            ) : null}
            {unlinking ? (
              <>
                <TextField label="Why is this not a match? (optional)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} />
                <Button size="sm" variant="danger" disabled={busy} onClick={() => void verdict("NOT_A_MATCH")}>
                  Confirm: not a match
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setUnlinking(false)}>
                  Cancel
                </Button>
              </>
            ) : (
              <Button size="sm" variant="secondary" disabled={busy} onClick={() => setUnlinking(true)}>
                Not a match…
              </Button>
            )}
          </>
        )}
      </div>
      <FormErrors error={decision.error ?? undo.error} className="mt-2" />
    </article>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
