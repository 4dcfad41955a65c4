import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { buttonClass } from "~/components/ui";

export function AuthErrorBoundary() {
  const error = useRouteError();
  const message =
    isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : "This page could not be shown. Try again in a moment.";
  return (
    <main id="main" className="mx-auto flex min-h-full max-w-md flex-col justify-center px-6 py-16">
      <h1 className="text-2xl font-semibold text-slate-900">Something went wrong</h1>
      <p className="mt-3 text-slate-700">{message}</p>
      <div className="mt-6">
        <Link to="/login" className={buttonClass("primary")}>
          Go to sign-in
        </Link>
      </div>
    </main>
  );
}
