import { useEffect, useState, type ReactNode } from "react";
import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Link, Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Provider } from "urql";
import { buttonClass } from "~/components/ui";
import { createBrowserClient } from "~/lib/urql";
import styles from "./app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Sourceline" }];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className="h-full bg-slate-50">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="h-full font-sans text-slate-900">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  const [client] = useState(createBrowserClient);
  useEffect(() => {
    // Lets end-to-end tests (and anyone curious) see when the page has become interactive.
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <Provider value={client}>
      <Outlet />
    </Provider>
  );
}

/** Last-resort boundary: the route boundaries inside the app shell handle the usual 403/404 cases. */
export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : "Something went wrong on our side.";
  return (
    <main id="main" className="mx-auto flex min-h-full max-w-lg flex-col justify-center px-6 py-16">
      <p className="text-sm font-semibold text-indigo-700">Error {status}</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">{status === 404 ? "Page not found" : "This page could not be shown"}</h1>
      <p className="mt-3 text-slate-700">{message}</p>
      <div className="mt-6">
        <Link to="/" className={buttonClass("primary")}>
          Go to Sourceline
        </Link>
      </div>
    </main>
  );
}
