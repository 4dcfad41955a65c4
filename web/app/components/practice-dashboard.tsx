import { Link } from "@remix-run/react";
import { ChannelChart } from "~/components/channel-chart";
import { PlugIcon } from "~/components/icons";
import { Kpi } from "~/components/kpi";
import { ReportControls } from "~/components/report-controls";
import { Alert, Badge, Card, EmptyState, PageHeader, TableFrame, buttonClass, cx, td, th } from "~/components/ui";
import { formatDateTime } from "~/lib/format";
import { formatCount, formatMoney, formatRatio } from "~/lib/metrics";
import { exportUrl, paths } from "~/lib/paths";
import type { PerformancePage } from "~/lib/performance.server";
import type { PracticePage } from "~/lib/practice.server";
import { describeRange, modelLabel, type ReportRange } from "~/lib/report-range";

export function Breadcrumbs({ items }: { items: Array<{ label: string; to?: string }> }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2">
      <ol className="flex flex-wrap items-center gap-1.5 text-sm text-slate-600">
        {items.map((item, index) => (
          <li key={`${item.label}-${index}`} className="flex items-center gap-1.5">
            {index > 0 ? <span aria-hidden="true">/</span> : null}
            {item.to ? (
              <Link to={item.to} className="hover:text-slate-900 hover:underline">
                {item.label}
              </Link>
            ) : (
              <span aria-current="page" className="font-medium text-slate-800">
                {item.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The practice (or location) dashboard: headline figures against the previous period, and channel by channel. */
export function PracticeDashboard({ practice, location, range, performance, matching, dataQuality, monthSnapshot }: PracticePage & PerformancePage) {
  const isAdmin = practice.role === "admin";
  const canReview = practice.role === "admin" || practice.role === "analyst";
  const { totals, previous } = performance;
  const empty = totals.leads === 0 && totals.newPatients === 0 && totals.spendCents === 0;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: practice.agency.name, to: paths.agency(practice.agency.id) },
          location ? { label: practice.name, to: paths.practice(practice.agency.id, practice.id) } : { label: practice.name },
          ...(location ? [{ label: location.name }] : []),
        ]}
      />
      <PageHeader
        eyebrow={location ? "Location dashboard" : "Practice dashboard"}
        title={location ? `${practice.name} — ${location.name}` : practice.name}
        description={
          location
            ? `Only ${location.name}. Days in ${location.timeZone.replace(/_/g, " ")}; compared with ${describeRange(performance.previousFrom, performance.previousTo)}.`
            : `All locations. Days in ${practice.timeZone.replace(/_/g, " ")}; compared with ${describeRange(performance.previousFrom, performance.previousTo)}.`
        }
      />
      <div className="mb-6">
        <ReportControls range={range} model={performance.model} />
      </div>
      {monthSnapshot ? <ClosedMonth practice={practice} snapshot={monthSnapshot} /> : null}
      <div className="grid items-start gap-6 xl:grid-cols-[1fr_18rem]">
        <div className="min-w-0 space-y-6">
          {empty ? (
            <EmptyState
              icon={<PlugIcon />}
              title="Nothing in this range yet"
              action={
                isAdmin ? (
                  <Link to={paths.integrations(practice.agency.id, practice.id)} className={buttonClass("secondary")}>
                    Set up integrations
                  </Link>
                ) : null
              }
            >
              <p>No leads, new patients or spend between these dates. Choose a longer range, or connect Open Dental and your lead sources.</p>
            </EmptyState>
          ) : null}
          <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <Kpi label="Leads" value={formatCount(totals.leads)} current={totals.leads} previous={previous.leads} hint="New leads: the first contact of each person within the episode window." />
            <Kpi
              label="New patients"
              value={formatCount(totals.creditedPatients, true)}
              current={totals.creditedPatients}
              previous={previous.creditedPatients}
              hint="Patients whose first visit fell in the range, credited under the model."
            />
            <Kpi label="Attributed revenue" value={formatMoney(totals.productionCents)} current={totals.productionCents} previous={previous.productionCents} hint="Production of new patients: first visit and follow-on treatment." />
            <Kpi label="Spend" value={formatMoney(totals.spendCents)} current={totals.spendCents} previous={previous.spendCents} better="down" />
            <Kpi label="Cost per lead" value={formatMoney(totals.costPerLeadCents)} current={totals.costPerLeadCents} previous={previous.costPerLeadCents} better="down" />
            <Kpi label="Cost per patient" value={formatMoney(totals.costPerPatientCents)} current={totals.costPerPatientCents} previous={previous.costPerPatientCents} better="down" />
            <Kpi label="Return on spend" value={formatRatio(totals.returnOnSpend)} current={totals.returnOnSpend} previous={previous.returnOnSpend} hint="Attributed revenue per dollar of spend." />
            <Kpi label="Collections" value={formatMoney(totals.collectionsCents)} current={totals.collectionsCents} previous={previous.collectionsCents} />
          </dl>
          <Card
            title="By channel"
            description={`Credited under ${modelLabel(performance.model)}. Unattributed: new patients no recorded touch explains.`}
            actions={
              <div className="flex gap-2">
                <a href={exportUrl(practice.id, "channels", { ...range, model: performance.model, location: location?.id ?? null })} className={buttonClass("secondary", "sm")} download>
                  Channels CSV
                </a>
                <a href={exportUrl(practice.id, "campaigns", { ...range, model: performance.model, location: location?.id ?? null })} className={buttonClass("secondary", "sm")} download>
                  Campaigns CSV
                </a>
              </div>
            }
          >
            <ChannelChart channels={performance.channels.map((c) => ({ name: c.name, productionCents: c.figures.productionCents, creditedPatients: c.figures.creditedPatients }))} />
            <div className="mt-4">
              <TableFrame label="Channels">
                <thead className="bg-slate-50 text-left">
                  <tr>
                    <th scope="col" className={th}>
                      Channel
                    </th>
                    {["Leads", "New patients", "Revenue", "Spend", "Cost per patient", "Return"].map((label) => (
                      <th key={label} scope="col" className={cx(th, "text-right")}>
                        {label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {performance.channels.map((c) => (
                    <tr key={c.channel}>
                      <th scope="row" className={cx(td, "whitespace-nowrap text-left font-medium")}>
                        {canReview ? (
                          <Link
                            to={
                              paths.channel(practice.agency.id, practice.id, c.channel.toLowerCase().replace(/_/g, "-")) +
                              keepReportParams(range, performance.model) +
                              (location ? `&location=${location.id}` : "")
                            }
                            className="text-indigo-700 hover:underline"
                          >
                            {c.name}
                          </Link>
                        ) : (
                          c.name
                        )}
                      </th>
                      <td className={cx(td, "text-right tabular-nums")}>{formatCount(c.figures.leads)}</td>
                      <td className={cx(td, "text-right tabular-nums")}>{formatCount(c.figures.creditedPatients, true)}</td>
                      <td className={cx(td, "text-right tabular-nums")}>{formatMoney(c.figures.productionCents)}</td>
                      <td className={cx(td, "text-right tabular-nums")}>{c.figures.spendCents ? formatMoney(c.figures.spendCents) : "—"}</td>
                      <td className={cx(td, "text-right tabular-nums")}>{formatMoney(c.figures.costPerPatientCents)}</td>
                      <td className={cx(td, "text-right tabular-nums")}>{formatRatio(c.figures.returnOnSpend)}</td>
                    </tr>
                  ))}
                </tbody>
              </TableFrame>
            </div>
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Data quality" description={dataQuality.length ? undefined : "Nothing stands out in this range."}>
            {dataQuality.length ? (
              <ul className="space-y-3 text-sm">
                {dataQuality.map((issue) => {
                  const to = issueLink(issue.kind, practice, canReview);
                  return (
                    <li key={issue.kind}>
                      <p className="flex items-start gap-2 font-medium text-slate-900">
                        <Badge tone={issue.severity === "critical" ? "red" : issue.severity === "warning" ? "amber" : "neutral"}>{issue.severity}</Badge>
                        <span>{issue.title}</span>
                      </p>
                      <p className="mt-1 text-slate-600">{issue.action}</p>
                      {to ? (
                        <Link to={to.href} className="mt-1 inline-block text-indigo-700 hover:underline">
                          {to.label}
                        </Link>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            ) : null}
          </Card>
          <Card title="Matching">
            <dl className="space-y-2 text-sm">
              <div className="flex justify-between gap-3">
                <dt className="text-slate-600">Leads linked to patients</dt>
                <dd className="font-medium tabular-nums text-slate-900">{formatCount(matching.links)}</dd>
              </div>
              <div className="flex justify-between gap-3">
                <dt className="text-slate-600">Waiting for review</dt>
                <dd className="font-medium tabular-nums text-slate-900">{formatCount(matching.review)}</dd>
              </div>
              <div className="flex justify-between gap-3">
                <dt className="text-slate-600">Leads not matched yet</dt>
                <dd className="font-medium tabular-nums text-slate-900">{formatCount(matching.pendingLeads)}</dd>
              </div>
            </dl>
            <p className="mt-3 text-xs text-slate-600">
              {matching.fittedAt ? `Model fitted ${formatDateTime(matching.fittedAt, practice.timeZone)}.` : "Matching starts once charts and leads arrive."}
            </p>
            {canReview && matching.review > 0 ? (
              <Link to={paths.reviewQueue(practice.agency.id, practice.id)} className={cx(buttonClass("secondary", "sm"), "mt-3")}>
                Review {formatCount(matching.review)} {matching.review === 1 ? "pair" : "pairs"}
              </Link>
            ) : null}
          </Card>
          <Card title="Locations">
            {practice.locations.length === 0 ? (
              <p className="text-sm text-slate-600">No locations yet.</p>
            ) : (
              <ul className="space-y-1 text-sm">
                <li>
                  <Link
                    to={paths.practice(practice.agency.id, practice.id) + keepReportParams(range, performance.model)}
                    aria-current={!location ? "page" : undefined}
                    className={cx("block rounded px-2 py-1.5 hover:bg-slate-100", !location ? "font-semibold text-indigo-700" : "text-slate-800")}
                  >
                    All locations
                  </Link>
                </li>
                {practice.locations.map((l) => (
                  <li key={l.id}>
                    <Link
                      to={paths.location(practice.agency.id, practice.id, l.id) + keepReportParams(range, performance.model)}
                      aria-current={location?.id === l.id ? "page" : undefined}
                      className={cx(
                        "block rounded px-2 py-1.5 hover:bg-slate-100",
                        location?.id === l.id ? "font-semibold text-indigo-700" : "text-slate-800",
                      )}
                    >
                      {l.name}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}

/** "+2 patients, +$3,400": what late data changed since a month was closed, the changes only. */
function driftPhrase(drift: NonNullable<PerformancePage["monthSnapshot"]>["drift"]): string | null {
  const signed = (value: number, text: string) => `${value > 0 ? "+" : "−"}${text}`;
  const parts = [
    drift.newPatients ? signed(drift.newPatients, `${formatCount(Math.abs(drift.newPatients))} ${Math.abs(drift.newPatients) === 1 ? "patient" : "patients"}`) : null,
    drift.productionCents ? signed(drift.productionCents, formatMoney(Math.abs(drift.productionCents))) : null,
    drift.leads ? signed(drift.leads, `${formatCount(Math.abs(drift.leads))} ${Math.abs(drift.leads) === 1 ? "lead" : "leads"}`) : null,
    drift.spendCents ? signed(drift.spendCents, `${formatMoney(Math.abs(drift.spendCents))} spend`) : null,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : null;
}

/** A closed month on the dashboard: its frozen figures, and what late data moved since, beside the live ones. */
function ClosedMonth({ practice, snapshot }: { practice: PracticePage["practice"]; snapshot: NonNullable<PerformancePage["monthSnapshot"]> }) {
  const drift = driftPhrase(snapshot.drift);
  return (
    <Alert tone={drift ? "warning" : "info"} title={`This month was closed on ${formatDateTime(snapshot.frozenAt, practice.timeZone)}`} className="mb-6">
      <p>
        Frozen under {modelLabel(snapshot.model)}: {formatCount(snapshot.totals.newPatients)} new patients, {formatMoney(snapshot.totals.productionCents)} attributed revenue.{" "}
        {drift ? `Since the close, late data changed it by ${drift}; the figures below are live.` : "Nothing has changed since."}{" "}
        <Link to={paths.months(practice.agency.id, practice.id)} className="font-medium underline">
          Month-end
        </Link>
      </p>
    </Alert>
  );
}

/** Where to act on a data-quality finding, for those who may. */
function issueLink(kind: string, practice: PracticePage["practice"], canReview: boolean): { href: string; label: string } | null {
  const { agency, id } = practice;
  switch (kind) {
    case "review-queue":
      return canReview ? { href: paths.reviewQueue(agency.id, id), label: "Open the review queue" } : null;
    case "unmatched-leads":
      return { href: `${paths.leads(agency.id, id)}?status=UNMATCHED`, label: "See the unmatched leads" };
    case "leads-without-source":
    case "lead-drop":
    case "lead-spike":
      return { href: paths.leads(agency.id, id), label: "See the leads" };
    case "sync-problem":
    case "lead-gap":
      return { href: paths.integrations(agency.id, id), label: "Open Integrations" };
    case "unattributed-patients":
      return canReview ? { href: paths.channel(agency.id, id, "unattributed"), label: "See them" } : null;
    default:
      return null;
  }
}

/** The range and model, carried to another view of the same report. */
function keepReportParams(range: ReportRange, model: string): string {
  const params = new URLSearchParams(range.preset === "custom" ? { range: "custom", from: range.from, to: range.to } : { range: range.preset });
  params.set("model", model);
  return `?${params}`;
}
