import { graphql } from "~/gql";
import { loadQuery, type RequestScope } from "~/lib/graphql.server";
import { nextDay, startOfDay } from "~/lib/format";

const AuditEventsQuery = graphql(`
  query AuditEvents(
    $practiceId: ID
    $agencyId: ID
    $action: String
    $from: DateTime
    $to: DateTime
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    auditEvents(
      practiceId: $practiceId
      agencyId: $agencyId
      action: $action
      from: $from
      to: $to
      first: $first
      after: $after
      last: $last
      before: $before
    ) {
      edges {
        node {
          id
          action
          occurredAt
          actorLabel
          actor {
            id
            displayName
            email
          }
          viaApiToken
          practice {
            id
            name
          }
          targetType
          targetId
          fields
          ip
          details
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);

export const AUDIT_PAGE_SIZE = 25;

export interface AuditFilters {
  action: string;
  from: string;
  to: string;
}

/**
 * Reads the audit page's filters from the URL (shareable, and the back button works) and loads one page of events.
 * Dates are whole days in `timeZone`; `to` includes its day.
 */
export async function loadAuditEvents(
  requestScope: RequestScope,
  scope: { practiceId: string } | { agencyId: string },
  timeZone: string,
) {
  const search = new URL(requestScope.request.url).searchParams;
  const filters: AuditFilters = {
    action: (search.get("action") ?? "").trim(),
    from: search.get("from") ?? "",
    to: search.get("to") ?? "",
  };
  const after = search.get("after");
  const before = search.get("before");
  const from = filters.from ? startOfDay(filters.from, timeZone) : null;
  const to = filters.to ? startOfDay(nextDay(filters.to), timeZone) : null;
  const problem =
    (filters.from && !from) || (filters.to && !to)
      ? "Enter dates as YYYY-MM-DD."
      : from && to && from >= to
        ? "The start date must be on or before the end date."
        : null;
  const data = await loadQuery(requestScope, AuditEventsQuery, {
    ...scope,
    action: filters.action || null,
    from: problem ? null : (from?.toISOString() ?? null),
    to: problem ? null : (to?.toISOString() ?? null),
    ...(before ? { last: AUDIT_PAGE_SIZE, before } : { first: AUDIT_PAGE_SIZE, after: after || null }),
  });
  const { edges, pageInfo } = data.auditEvents;
  const backwards = !!before;
  return {
    filters,
    problem,
    timeZone,
    events: edges.map((e) => e.node),
    // Relay only promises the flag for the direction travelled; the other side is known from where we came from.
    newerCursor: (backwards ? pageInfo.hasPreviousPage : !!after) && edges.length ? pageInfo.startCursor : null,
    olderCursor: (backwards ? true : pageInfo.hasNextPage) && edges.length ? pageInfo.endCursor : null,
  };
}

export type AuditPage = Awaited<ReturnType<typeof loadAuditEvents>>;
