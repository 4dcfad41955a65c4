import { redirect } from "@remix-run/node";
import { graphql } from "~/gql";
import { loadQuery, type RequestScope } from "~/lib/graphql.server";
import { fromGlobalId, isId } from "~/lib/ids";
import { tenantGlobalId, tenantNotFound } from "~/lib/tenant.server";

const PracticeQuery = graphql(`
  query PracticeBasics($id: ID!) {
    node(id: $id) {
      ... on Practice {
        id
        name
        timeZone
        areaCode
        viewerRole
        agency {
          id
          name
        }
        locations(first: 100) {
          edges {
            node {
              id
              name
              timeZone
            }
          }
        }
      }
    }
  }
`);

/**
 * Loads the practice named by the URL and checks the URL is its canonical one: a practice under the wrong agency id
 * redirects to the right address instead of showing a page whose switcher disagrees with its content.
 */
export async function loadPractice(scope: RequestScope, params: Record<string, string | undefined>) {
  const { request } = scope;
  const data = await loadQuery(scope, PracticeQuery, { id: tenantGlobalId(params, "practiceId") });
  const practice = data.node && "timeZone" in data.node ? data.node : tenantNotFound("practiceId");
  const agencyId = fromGlobalId(practice.agency.id);
  if (agencyId !== params.agencyId) {
    const url = new URL(request.url);
    throw redirect(url.pathname.replace(/^\/a\/[^/]+/, `/a/${agencyId}`) + url.search);
  }
  const locations = practice.locations.edges.map(({ node }) => ({ id: fromGlobalId(node.id), gid: node.id, name: node.name, timeZone: node.timeZone }));
  let location = null;
  if (params.locationId !== undefined) {
    location = (isId(params.locationId) && locations.find((l) => l.id === params.locationId)) || tenantNotFound("locationId");
  }
  return {
    practice: {
      id: fromGlobalId(practice.id),
      gid: practice.id,
      name: practice.name,
      timeZone: practice.timeZone,
      areaCode: practice.areaCode ?? null,
      role: practice.viewerRole ?? null,
      agency: { id: agencyId, gid: practice.agency.id, name: practice.agency.name },
      locations,
    },
    location,
  };
}

export type PracticePage = Awaited<ReturnType<typeof loadPractice>>;
