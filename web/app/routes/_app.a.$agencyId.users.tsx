import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { graphql } from "~/gql";
import { MembersPanel } from "~/components/members";
import { RouteErrorBoundary } from "~/components/route-error";
import { PageHeader } from "~/components/ui";
import { loadQuery } from "~/lib/graphql.server";
import { toGlobalId } from "~/lib/ids";
import { pageTitle } from "~/lib/meta";
import { useShell } from "~/lib/shell";
import { tenantGlobalId, tenantNotFound } from "~/lib/tenant.server";

const AgencyMembersQuery = graphql(`
  query AgencyMembers($id: ID!) {
    node(id: $id) {
      ... on Agency {
        id
        name
        memberships(first: 50) {
          edges {
            node {
              id
              role
              createdAt
              user {
                id
                email
                displayName
                mfaEnabled
              }
            }
          }
        }
        invitations(first: 50) {
          edges {
            node {
              id
              email
              role
              createdAt
              expiresAt
            }
          }
        }
      }
    }
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const data = await loadQuery(args, AgencyMembersQuery, { id: tenantGlobalId(args.params, "agencyId") });
  const agency = data.node && "memberships" in data.node ? data.node : tenantNotFound("agencyId");
  return {
    agency: { gid: agency.id, name: agency.name },
    members: agency.memberships.edges.map((e) => e.node),
    invitations: agency.invitations.edges.map((e) => e.node),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle("Users", data?.agency.name);

export default function AgencyUsersPage() {
  const { agency, members, invitations } = useLoaderData<typeof loader>();
  const shell = useShell();
  return (
    <>
      <PageHeader eyebrow={agency.name} title="Users" description="Agency-wide members reach every practice of the agency." />
      <MembersPanel
        scope={{ kind: "agency", gid: agency.gid, name: agency.name }}
        members={members}
        invitations={invitations}
        viewerId={toGlobalId("User", shell.viewer.id)}
        timeZone="UTC"
      />
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
