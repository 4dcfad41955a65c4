import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { buttonClass } from "~/components/ui";

function describe(error: unknown): { status: number; title: string; message: string } {
  if (isRouteErrorResponse(error)) {
    const message = typeof error.data === "string" ? error.data : "This page could not be shown.";
    const title =
      error.status === 404 ? "Not found" : error.status === 403 ? "No access" : error.status === 502 ? "Sourceline is unavailable" : "Something went wrong";
    return { status: error.status, title, message };
  }
  return { status: 500, title: "Something went wrong", message: "An unexpected error stopped this page. Try again, and tell us if it keeps happening." };
}

/** For pages inside the app shell: the sidebar stays, the error takes the page's place. */
export function RouteErrorBoundary() {
  const { status, title, message } = describe(useRouteError());
  return (
    <div className="rounded-xl bg-white px-6 py-10 shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-semibold text-indigo-700">Error {status}</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">{title}</h1>
      <p className="mt-3 max-w-xl text-slate-700">{message}</p>
      <div className="mt-6">
        <Link to="/" className={buttonClass("secondary")}>
          Back to your home page
        </Link>
      </div>
    </div>
  );
}

/** For the shell itself (its data could not load): a plain page with a way out. */
export function AppErrorBoundary() {
  const { status, title, message } = describe(useRouteError());
  return (
    <main id="main" className="mx-auto flex min-h-full max-w-lg flex-col justify-center px-6 py-16">
      <p className="text-sm font-semibold text-indigo-700">Error {status}</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">{title}</h1>
      <p className="mt-3 text-slate-700">{message}</p>
      <div className="mt-6 flex gap-3">
        <a href="/" className={buttonClass("primary")}>
          Try again
        </a>
        <a href="/login" className={buttonClass("secondary")}>
          Sign in
        </a>
      </div>
    </main>
  );
}
