import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import { ConfirmButton } from "~/components/confirm-button";
import { Breadcrumbs } from "~/components/practice-dashboard";
import { RouteErrorBoundary } from "~/components/route-error";
import { Badge, Card, FormErrors, PageHeader, TableFrame, buttonClass, cx, td, th } from "~/components/ui";
import { formatDate } from "~/lib/format";
import { loadQuery } from "~/lib/graphql.server";
import { pageTitle } from "~/lib/meta";
import { formatCount, formatMoney } from "~/lib/metrics";
import { exportUrl, paths } from "~/lib/paths";
import { loadPractice } from "~/lib/practice.server";

const MonthEndQuery = graphql(`
  query MonthEnd($id: ID!) {
    node(id: $id) {
      ... on Practice {
        id
        monthEnd(last: 12) {
          month
          over
          live {
            leads
            creditedPatients
            productionCents
            spendCents
          }
          snapshot {
            contentHash
            intact
            frozenAt
            model
            totals {
              leads
              creditedPatients
              productionCents
              spendCents
            }
            drift {
              leads
              newPatients
              productionCents
              spendCents
            }
          }
        }
      }
    }
  }
`);

const FreezeMonthMutation = graphql(`
  mutation FreezeMonth($practiceId: ID!, $month: String!) {
    freezeMonth(practiceId: $practiceId, month: $month) {
      month
    }
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const page = await loadPractice(args, args.params);
  const data = await loadQuery(args, MonthEndQuery, { id: page.practice.gid });
  const months = data.node && "monthEnd" in data.node ? data.node.monthEnd : [];
  return { ...page, months };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle("Month-end", data?.practice.name);

const monthName = (month: string) => new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));

/** "+2 patients, +$3,400" — what late data changed since close, or null when nothing did. */
function driftText(drift: { leads: number; newPatients: number; productionCents: number; spendCents: number }): string | null {
  const sign = (n: number, text: string) => `${n > 0 ? "+" : "−"}${text}`;
  const parts = [
    drift.newPatients ? sign(drift.newPatients, `${formatCount(Math.abs(drift.newPatients))} ${Math.abs(drift.newPatients) === 1 ? "patient" : "patients"}`) : null,
    drift.productionCents ? sign(drift.productionCents, formatMoney(Math.abs(drift.productionCents))) : null,
    drift.leads ? sign(drift.leads, `${formatCount(Math.abs(drift.leads))} leads`) : null,
    drift.spendCents ? sign(drift.spendCents, `${formatMoney(Math.abs(drift.spendCents))} spend`) : null,
  ].filter(Boolean);
  return parts.length ? `${parts.join(", ")} since close` : null;
}

export default function MonthEndPage() {
  const { practice, months } = useLoaderData<typeof loader>();
  const [{ fetching, error }, freeze] = useMutation(FreezeMonthMutation);
  const revalidator = useRevalidator();
  const isAdmin = practice.role === "admin";
  return (
    <>
      <Breadcrumbs items={[{ label: practice.agency.name, to: paths.agency(practice.agency.id) }, { label: practice.name, to: paths.practice(practice.agency.id, practice.id) }, { label: "Month-end" }]} />
      <PageHeader
        eyebrow="Reports"
        title="Month-end"
        description="Close a month once it is over: its figures are frozen for good, so what you reported stays what you reported. Late data shows as drift beside it. Each month's PDF report names the practice and the period on every page."
      />
      <FormErrors error={error} className="mb-4" />
      <Card
        actions={
          <a href={exportUrl(practice.id, "month-snapshots")} className={buttonClass("secondary", "sm")} download>
            Export frozen months (CSV)
          </a>
        }
      >
        <TableFrame label="Months">
          <thead className="bg-slate-50 text-left">
            <tr>
              <th scope="col" className={th}>Month</th>
              <th scope="col" className={th}>Status</th>
              <th scope="col" className={cx(th, "text-right")}>New patients</th>
              <th scope="col" className={cx(th, "text-right")}>Revenue</th>
              <th scope="col" className={cx(th, "text-right")}>Spend</th>
              <th scope="col" className={th}>Since close</th>
              <th scope="col" className={th}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 bg-white">
            {months.map((row) => {
              const figures = row.snapshot?.totals ?? row.live;
              const drift = row.snapshot ? driftText(row.snapshot.drift) : null;
              return (
                <tr key={row.month}>
                  <th scope="row" className={cx(td, "whitespace-nowrap text-left font-medium")}>
                    {monthName(row.month)}
                  </th>
                  <td className={td}>
                    {row.snapshot ? (
                      <span className="flex flex-col gap-1">
                        <Badge tone={row.snapshot.intact ? "green" : "red"}>{row.snapshot.intact ? `Frozen ${formatDate(row.snapshot.frozenAt)}` : "Frozen figures altered!"}</Badge>
                        <span className="font-mono text-xs text-slate-500" title={row.snapshot.contentHash}>
                          {row.snapshot.contentHash.slice(0, 12)}…
                        </span>
                      </span>
                    ) : row.over ? (
                      <Badge tone="amber">Open</Badge>
                    ) : (
                      <Badge tone="neutral">In progress</Badge>
                    )}
                  </td>
                  <td className={cx(td, "text-right tabular-nums")}>{formatCount(figures.creditedPatients, true)}</td>
                  <td className={cx(td, "text-right tabular-nums")}>{formatMoney(figures.productionCents)}</td>
                  <td className={cx(td, "text-right tabular-nums")}>{formatMoney(figures.spendCents)}</td>
                  <td className={cx(td, "text-sm")}>{row.snapshot ? (drift ?? <span className="text-slate-500">No change</span>) : "—"}</td>
                  <td className={cx(td, "whitespace-nowrap")}>
                    <span className="flex items-center justify-end gap-2">
                      <a href={`/exports/${practice.id}/month-report.pdf?month=${row.month}`} className={buttonClass("secondary", "sm")} download aria-label={`PDF report for ${monthName(row.month)}`}>
                        PDF
                      </a>
                      {isAdmin && row.over && !row.snapshot ? (
                        <ConfirmButton
                          label="Freeze"
                          accessibleName={`Freeze ${monthName(row.month)}`}
                          prompt={`Freeze ${monthName(row.month)} for good?`}
                          confirmLabel="Yes, freeze"
                          pending={fetching}
                          onConfirm={async () => {
                            const result = await freeze({ practiceId: practice.gid, month: row.month });
                            if (!result.error) revalidator.revalidate();
                          }}
                        />
                      ) : null}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </TableFrame>
      </Card>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
