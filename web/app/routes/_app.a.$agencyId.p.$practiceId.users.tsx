import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { graphql } from "~/gql";
import { MembersPanel } from "~/components/members";
import { RouteErrorBoundary } from "~/components/route-error";
import { PageHeader } from "~/components/ui";
import { loadQuery } from "~/lib/graphql.server";
import { toGlobalId } from "~/lib/ids";
import { pageTitle } from "~/lib/meta";
import { paths } from "~/lib/paths";
import { useTenant } from "~/lib/shell";
import { tenantGlobalId, tenantNotFound } from "~/lib/tenant.server";

const PracticeMembersQuery = graphql(`
  query PracticeMembers($id: ID!) {
    node(id: $id) {
      ... on Practice {
        id
        name
        timeZone
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
  const data = await loadQuery(args, PracticeMembersQuery, { id: tenantGlobalId(args.params, "practiceId") });
  const practice = data.node && "memberships" in data.node ? data.node : tenantNotFound("practiceId");
  return {
    practice: { gid: practice.id, name: practice.name, timeZone: practice.timeZone },
    members: practice.memberships.edges.map((e) => e.node),
    invitations: practice.invitations.edges.map((e) => e.node),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle("Users", data?.practice.name);

export default function PracticeUsersPage() {
  const { practice, members, invitations } = useLoaderData<typeof loader>();
  const { shell, agency } = useTenant(useParams());
  return (
    <>
      <PageHeader
        eyebrow={practice.name}
        title="Users"
        description={
          agency?.role === "ADMIN" ? (
            <>
              Members of {agency.name} also reach this practice;{" "}
              <Link to={paths.agencyUsers(agency.id)} className="font-medium text-indigo-700 hover:underline">
                manage them on the agency's Users page
              </Link>
              .
            </>
          ) : (
            "People with access to this practice."
          )
        }
      />
      <MembersPanel
        scope={{ kind: "practice", gid: practice.gid, name: practice.name }}
        members={members}
        invitations={invitations}
        viewerId={toGlobalId("User", shell.viewer.id)}
        timeZone={practice.timeZone}
      />
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
