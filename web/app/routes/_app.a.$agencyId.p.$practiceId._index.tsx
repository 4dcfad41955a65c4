import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PracticeDashboard } from "~/components/practice-dashboard";
import { RouteErrorBoundary } from "~/components/route-error";
import { pageTitle } from "~/lib/meta";
import { loadDashboard } from "~/lib/performance.server";

export async function loader(args: LoaderFunctionArgs) {
  return loadDashboard(args);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle("Dashboard", data?.practice.name);

export default function PracticeDashboardPage() {
  return <PracticeDashboard {...useLoaderData<typeof loader>()} />;
}

export const ErrorBoundary = RouteErrorBoundary;
