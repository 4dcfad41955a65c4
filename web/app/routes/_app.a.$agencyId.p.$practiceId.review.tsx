import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useRef, useState, type KeyboardEvent } from "react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import type { MatchVerdict } from "~/gql/graphql";
import { MatchEvidence } from "~/components/match-evidence";
import { Breadcrumbs } from "~/components/practice-dashboard";
import { RouteErrorBoundary } from "~/components/route-error";
import { Badge, Button, EmptyState, FormErrors, PageHeader, buttonClass, cx } from "~/components/ui";
import { formatDate, formatDateTime } from "~/lib/format";
import { loadQuery } from "~/lib/graphql.server";
import { fromGlobalId } from "~/lib/ids";
import { pageTitle } from "~/lib/meta";
import { formatMoney, formatPercent } from "~/lib/metrics";
import { exportUrl, paths } from "~/lib/paths";
import { loadPractice } from "~/lib/practice.server";
import { useHydrated } from "~/lib/use-hydrated";

const PAGE_SIZE = 20;

const ReviewQueueQuery = graphql(`
  query ReviewQueue($id: ID!, $first: Int!, $offset: Int!) {
    node(id: $id) {
      ... on Practice {
        id
        reviewQueue(first: $first, offset: $offset) {
          total
          items {
            revenueAtStakeCents
            match {
              id
              confidence
              method
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
              patient {
                id
                sourceId
                firstName
                lastName
                preferredName
                birthDate
                email
                firstVisitOn
                createdOn
                phones {
                  kind
                  number
                }
              }
              explanation {
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
    }
  }
`);

const DecideMatchMutation = graphql(`
  mutation DecideMatch($leadId: ID!, $patientId: ID!, $verdict: MatchVerdict!) {
    decideMatch(leadId: $leadId, patientId: $patientId, verdict: $verdict) {
      id
      decision
    }
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const page = await loadPractice(args, args.params);
  const offset = Math.max(0, Number(new URL(args.request.url).searchParams.get("offset")) || 0);
  const data = await loadQuery(args, ReviewQueueQuery, { id: page.practice.gid, first: PAGE_SIZE, offset });
  const queue = data.node && "reviewQueue" in data.node ? data.node.reviewQueue : { total: 0, items: [] };
  return { ...page, queue, offset };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle("Review queue", data?.practice.name);

type Item = ReturnType<typeof useLoaderData<typeof loader>>["queue"]["items"][number];

export default function ReviewQueuePage() {
  const { practice, queue, offset } = useLoaderData<typeof loader>();
  const list = useRef<HTMLOListElement>(null);
  const focusItem = (index: number) => list.current?.querySelectorAll<HTMLElement>("article")[index]?.focus();
  return (
    <>
      <Breadcrumbs items={[{ label: practice.agency.name, to: paths.agency(practice.agency.id) }, { label: practice.name, to: paths.practice(practice.agency.id, practice.id) }, { label: "Review queue" }]} />
      <PageHeader
        eyebrow="Matching"
        title="Review queue"
        description="Leads the engine would not link on its own, most revenue at stake first. Compare the two sides and decide: your verdict holds on every later run."
      />
      {queue.total === 0 ? (
        <EmptyState title="Nothing to review">
          <p>Every lead is either linked with confidence or clearly no match. New pairs appear here as leads arrive.</p>
        </EmptyState>
      ) : (
        <>
          <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
            <p className="text-sm text-slate-600">
              {queue.total} {queue.total === 1 ? "pair waits" : "pairs wait"} for a decision. With a pair focused, press <kbd className="rounded border px-1">L</kbd> to link it or{" "}
              <kbd className="rounded border px-1">N</kbd> for not a match; <kbd className="rounded border px-1">J</kbd>/<kbd className="rounded border px-1">K</kbd> move between pairs.
            </p>
            <a href={exportUrl(practice.id, "review-queue")} className={buttonClass("secondary", "sm")} download>
              Export CSV
            </a>
          </div>
          <ol ref={list} className="space-y-4" aria-label="Pairs to review">
            {queue.items.map((item, index) => (
              <li key={item.match.id}>
                <ReviewItem item={item} timeZone={practice.timeZone} onMove={(step) => focusItem(index + step)} agencyId={practice.agency.id} practiceId={practice.id} />
              </li>
            ))}
          </ol>
          <nav aria-label="Pages" className="mt-6 flex justify-between text-sm">
            {offset > 0 ? (
              <Link to={`?offset=${Math.max(0, offset - PAGE_SIZE)}`} className={buttonClass("secondary", "sm")}>
                Previous
              </Link>
            ) : (
              <span />
            )}
            {offset + PAGE_SIZE < queue.total ? (
              <Link to={`?offset=${offset + PAGE_SIZE}`} className={buttonClass("secondary", "sm")}>
                Next
              </Link>
            ) : null}
          </nav>
        </>
      )}
    </>
  );
}

function ReviewItem({ item, timeZone, onMove, agencyId, practiceId }: { item: Item; timeZone: string; onMove: (step: number) => void; agencyId: string; practiceId: string }) {
  const { match } = item;
  const [{ fetching, error }, decide] = useMutation(DecideMatchMutation);
  const [decided, setDecided] = useState<MatchVerdict | null>(null);
  const revalidator = useRevalidator();
  const hydrated = useHydrated();
  const lead = match.lead;
  const patient = match.patient;
  if (!lead || !patient) return null;
  const patientName = [patient.firstName, patient.lastName].filter(Boolean).join(" ") || `Chart ${patient.sourceId}`;

  const submit = async (verdict: MatchVerdict) => {
    if (fetching || decided) return;
    const result = await decide({ leadId: lead.id, patientId: patient.id, verdict });
    if (!result.error) {
      setDecided(verdict);
      onMove(1);
      revalidator.revalidate();
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey) return;
    const key = event.key.toLowerCase();
    if (key === "l") void submit("LINK");
    else if (key === "n") void submit("NOT_A_MATCH");
    else if (key === "j") onMove(1);
    else if (key === "k") onMove(-1);
    else return;
    event.preventDefault();
  };

  return (
    <article
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-label={`${lead.name ?? "Unnamed lead"} and ${patientName}`}
      className={cx("rounded-xl bg-white shadow-sm ring-1 ring-slate-200 focus:outline-none focus:ring-2 focus:ring-indigo-600", decided && "opacity-60")}
    >
      <div className="grid gap-4 p-5 md:grid-cols-[1fr_1fr_1.4fr]">
        <section aria-label="The lead">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Lead</h3>
          <p className="mt-1 font-medium text-slate-900">{lead.name || "No name given"}</p>
          <div className="mt-2 space-y-1 text-sm text-slate-700">
            <div>{formatDateTime(lead.occurredAt, timeZone)} · {lead.kind}</div>
            <div>{lead.channelDisplayName ?? "Channel pending"}{lead.campaign ? ` · ${lead.campaign}` : ""}</div>
            {lead.phone ? <div>{lead.phone}</div> : null}
            {lead.email ? <div>{lead.email}</div> : null}
          </div>
        </section>
        <section aria-label="The patient">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Patient</h3>
          <p className="mt-1 font-medium text-slate-900">
            <Link to={paths.patient(agencyId, practiceId, fromGlobalId(patient.id))} className="text-indigo-700 hover:underline">
              {patientName}
            </Link>
            {patient.preferredName ? <span className="text-slate-600"> ({patient.preferredName})</span> : null}
          </p>
          <div className="mt-2 space-y-1 text-sm text-slate-700">
            <div>Chart {patient.sourceId}{patient.birthDate ? ` · born ${patient.birthDate}` : ""}</div>
            <div>
              {patient.createdOn ? `Opened ${formatDate(patient.createdOn)}` : "Opening date unknown"}
              {patient.firstVisitOn ? ` · first visit ${formatDate(patient.firstVisitOn)}` : " · no visit yet"}
            </div>
            {patient.phones.map((p) => (
              <div key={`${p.kind}-${p.number}`}>
                {p.number} <span className="text-slate-500">({p.kind})</span>
              </div>
            ))}
            {patient.email ? <div>{patient.email}</div> : null}
          </div>
        </section>
        <section aria-label="The evidence">
          <h3 className="flex items-center justify-between text-xs font-semibold uppercase tracking-wide text-slate-600">
            Evidence <Badge tone="amber">{formatPercent(match.confidence)} likely</Badge>
          </h3>
          <div className="mt-2">{match.explanation ? <MatchEvidence comparisons={match.explanation.comparisons} /> : null}</div>
        </section>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-5 py-3">
        <p className="text-sm text-slate-600">
          At stake: <span className="font-medium text-slate-900">{formatMoney(item.revenueAtStakeCents)}</span> of production
        </p>
        <div className="flex gap-2">
          {decided ? (
            <span role="status" className="text-sm font-medium text-slate-700">
              {decided === "LINK" ? "Linked" : "Marked not a match"}
            </span>
          ) : (
            <>
              <Button size="sm" variant="primary" disabled={!hydrated || fetching} onClick={() => void submit("LINK")}>
                Link
              </Button>
              <Button size="sm" variant="secondary" disabled={!hydrated || fetching} onClick={() => void submit("NOT_A_MATCH")}>
                Not a match
              </Button>
            </>
          )}
        </div>
      </div>
      <FormErrors error={error} className="mx-5 mb-3" />
    </article>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
