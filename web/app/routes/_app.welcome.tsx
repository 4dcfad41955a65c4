import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { EmptyState, PageHeader, buttonClass } from "~/components/ui";
import { RouteErrorBoundary } from "~/components/route-error";
import { pageTitle } from "~/lib/meta";
import { paths } from "~/lib/paths";
import { useShell } from "~/lib/shell";

export const meta: MetaFunction = () => pageTitle("Welcome");

/** Where people land who cannot reach any agency or practice yet. */
export default function WelcomePage() {
  const shell = useShell();
  return (
    <>
      <PageHeader eyebrow="Welcome" title={`Hello, ${shell.viewer.displayName}`} />
      {shell.viewer.platformAdmin ? (
        <EmptyState
          title="Create the first agency"
          action={
            <Link to={paths.newAgency()} className={buttonClass("primary")}>
              Create an agency
            </Link>
          }
        >
          You administer this Sourceline installation. Start with an agency (the marketing company or practice group), then add its
          practices and invite their people.
        </EmptyState>
      ) : (
        <EmptyState title="You don't have access to a practice yet">
          Ask an admin of your agency or practice to invite {shell.viewer.email}. The invitation e-mail has a link that adds the access
          to this account.
        </EmptyState>
      )}
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
