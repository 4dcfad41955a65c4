import { graphql } from "~/gql";
import type { AttributionModel } from "~/gql/graphql";
import { loadQuery, type RequestScope } from "~/lib/graphql.server";
import { loadPractice } from "~/lib/practice.server";
import { ATTRIBUTION_MODELS, rangeFromSearch } from "~/lib/report-range";

const PracticePerformanceQuery = graphql(`
  query PracticePerformance($id: ID!, $from: String!, $to: String!, $model: AttributionModel, $locationId: ID, $month: String!, $wholeMonth: Boolean!) {
    node(id: $id) {
      ... on Practice {
        id
        monthSnapshot(month: $month) @include(if: $wholeMonth) {
          frozenAt
          model
          totals {
            newPatients
            productionCents
          }
          drift {
            leads
            newPatients
            productionCents
            spendCents
          }
        }
        attributionSettings {
          defaultModel
        }
        matching {
          links
          review
          pendingLeads
          fittedAt
        }
        dataQuality(from: $from, to: $to, locationId: $locationId) {
          kind
          severity
          count
          title
          action
        }
        performance(from: $from, to: $to, model: $model, locationId: $locationId) {
          from
          to
          previousFrom
          previousTo
          model
          totals {
            ...Figures
          }
          previous {
            ...Figures
          }
          channels {
            channel
            name
            figures {
              ...Figures
            }
          }
        }
      }
    }
  }

  fragment Figures on PerformanceFigures {
    leads
    newPatients
    creditedPatients
    productionCents
    collectionsCents
    spendCents
    costPerLeadCents
    costPerPatientCents
    returnOnSpend
  }
`);

/** The dashboard's figures for the range and model the URL asks for (the practice's defaults otherwise). */
export async function loadPerformance(scope: RequestScope, practice: { gid: string; timeZone: string }, locationGid: string | null) {
  const search = new URL(scope.request.url).searchParams;
  const range = rangeFromSearch(search, practice.timeZone);
  const askedModel = search.get("model");
  const model = ATTRIBUTION_MODELS.find((m) => m.value === askedModel)?.value ?? null;
  // A closed month is practice-wide: a location's dashboard shows its live figures only.
  const month = locationGid ? null : wholeMonthOf(range);
  const data = await loadQuery(scope, PracticePerformanceQuery, {
    id: practice.gid,
    from: range.from,
    to: range.to,
    model,
    locationId: locationGid,
    month: month ?? "",
    wholeMonth: month !== null,
  });
  const node = data.node && "performance" in data.node ? data.node : null;
  if (!node) throw new Response("Practice not found", { status: 404 });
  return {
    range,
    performance: node.performance,
    matching: node.matching,
    dataQuality: node.dataQuality,
    defaultModel: node.attributionSettings.defaultModel,
    monthSnapshot: node.monthSnapshot ?? null,
  };
}

/** `YYYY-MM` when the range is exactly one calendar month, the unit month-end closes. */
function wholeMonthOf(range: { from: string; to: string }): string | null {
  const [y, m] = range.from.split("-").map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return range.from.endsWith("-01") && range.to === lastDay ? range.from.slice(0, 7) : null;
}

export type PerformancePage = Awaited<ReturnType<typeof loadPerformance>>;

/** A practice or location dashboard: the practice (checked against the URL) and its figures. */
export async function loadDashboard(scope: RequestScope & { params: Record<string, string | undefined> }) {
  const page = await loadPractice(scope, scope.params);
  return { ...page, ...(await loadPerformance(scope, page.practice, page.location?.gid ?? null)) };
}
