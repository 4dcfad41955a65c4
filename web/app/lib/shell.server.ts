import { redirect } from "@remix-run/node";
import { graphql } from "~/gql";
import { serverClient, signInRedirect, throwForError, type RequestScope } from "~/lib/graphql.server";
import { fromGlobalId, isId, toGlobalId } from "~/lib/ids";
import type { Role, Shell } from "~/lib/shell";

const ViewerGateQuery = graphql(`
  query ViewerGate {
    me {
      platformAdmin
      mfaPending
      mfaEnrollmentRequired
      viaApiToken
      user {
        id
        email
        displayName
        mfaEnabled
      }
    }
  }
`);

const ShellQuery = graphql(`
  query Shell {
    me {
      memberships {
        id
        role
        agency {
          id
        }
      }
    }
    agencies(first: 100) {
      edges {
        node {
          id
          name
          mfaRequired
        }
      }
    }
    practices(first: 200) {
      edges {
        node {
          id
          name
          timeZone
          viewerRole
          agency {
            id
          }
        }
      }
    }
  }
`);

// Locations only for the practice in the URL: nesting them under every practice would multiply the query's cost
// (the API limits what one query may cost) for lists nobody is looking at.
const ShellLocationsQuery = graphql(`
  query ShellLocations($id: ID!) {
    node(id: $id) {
      ... on Practice {
        id
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

export type Viewer = NonNullable<Awaited<ReturnType<typeof loadViewer>>>;

/** Who is signed in (and which sign-in gates remain), or null; never throws for a signed-out visitor. */
export async function loadViewer(scope: RequestScope) {
  const result = await serverClient(scope).query(ViewerGateQuery, {}).toPromise();
  if (result.error && !result.data?.me) {
    if (result.error.networkError) throwForError(scope.request, result.error);
    return null;
  }
  return result.data?.me ?? null;
}

const ROLES: Record<string, Role> = { ADMIN: "ADMIN", ANALYST: "ANALYST", VIEWER: "VIEWER", admin: "ADMIN", analyst: "ANALYST", viewer: "VIEWER" };

/**
 * Everything the app shell needs: the viewer, and the agencies, practices and locations they can reach, with their
 * roles. Signed-out and half-signed-in visitors are redirected to the gate they still have to pass.
 */
export async function loadShell(scope: RequestScope, params: Record<string, string | undefined> = {}): Promise<Shell> {
  const { request } = scope;
  const client = serverClient(scope);
  const practiceId = isId(params.practiceId) ? params.practiceId : null;
  const [viewer, shell, locations] = await Promise.all([
    loadViewer(scope),
    client.query(ShellQuery, {}).toPromise(),
    practiceId ? client.query(ShellLocationsQuery, { id: toGlobalId("Practice", practiceId) }).toPromise() : null,
  ]);
  if (!viewer || viewer.mfaPending) throw signInRedirect(request);
  if (viewer.mfaEnrollmentRequired) throw redirect("/mfa-setup");
  if (shell.error) throwForError(request, shell.error);
  // An unknown practice is the page's 404 to report, not the shell's: its locations are simply empty.
  const locationNode = locations?.data?.node && "locations" in locations.data.node ? locations.data.node : null;
  const data = shell.data!;
  const agencyRoles = new Map<string, Role>();
  for (const m of data.me?.memberships ?? []) {
    if (m.agency) agencyRoles.set(m.agency.id, ROLES[m.role]!);
  }
  return {
    viewer: {
      id: fromGlobalId(viewer.user.id),
      email: viewer.user.email,
      displayName: viewer.user.displayName,
      mfaEnabled: viewer.user.mfaEnabled,
      platformAdmin: viewer.platformAdmin,
    },
    agencies: data.agencies.edges.map(({ node }) => ({
      id: fromGlobalId(node.id),
      gid: node.id,
      name: node.name,
      mfaRequired: node.mfaRequired,
      role: agencyRoles.get(node.id) ?? null,
    })),
    practices: data.practices.edges.map(({ node }) => ({
      id: fromGlobalId(node.id),
      gid: node.id,
      name: node.name,
      timeZone: node.timeZone,
      role: node.viewerRole ? (ROLES[node.viewerRole] ?? null) : null,
      agencyId: fromGlobalId(node.agency.id),
    })),
    locations: (locationNode?.locations.edges ?? []).map(({ node: l }) => ({ id: fromGlobalId(l.id), gid: l.id, name: l.name, timeZone: l.timeZone })),
  };
}

/** The first place worth showing: an agency the viewer manages, else their first practice, else the welcome page. */
export function homePath(shell: Shell): string {
  const agency = shell.agencies.find((a) => a.role);
  if (agency) return `/a/${agency.id}`;
  const practice = shell.practices[0];
  if (practice) return `/a/${practice.agencyId}/p/${practice.id}`;
  return "/welcome";
}
