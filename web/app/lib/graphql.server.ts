import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { Client, fetchExchange, type AnyVariables, type CombinedError } from "@urql/core";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Where this very server accepted the request (set by server/handler.mjs): the API is served there too. */
    apiOrigin?: string;
  }
}

/** What a loader knows about its request: the request itself and the server's load context. */
export interface RequestScope {
  request: Request;
  context: AppLoadContext;
}

/**
 * A GraphQL client for one incoming request: it forwards the browser's cookies (the session) to the API in the same
 * process, so loaders see exactly what the signed-in user may see. No cache, so nothing is shared between users.
 *
 * The API is reached where the server itself listens (never at the request's Host header, which the client
 * controls); GRAPHQL_ORIGIN overrides it, and `remix vite:dev` (no handler, no context) falls back to its own origin,
 * whose proxy forwards /graphql.
 */
export function serverClient({ request, context }: RequestScope): Client {
  const origin = process.env.GRAPHQL_ORIGIN ?? context.apiOrigin ?? new URL(request.url).origin;
  const cookie = request.headers.get("cookie") ?? "";
  const csrf = /(?:^|;\s*)sl_csrf=([^;]*)/.exec(cookie)?.[1];
  const headers: Record<string, string> = { cookie };
  const userAgent = request.headers.get("user-agent");
  if (userAgent) headers["user-agent"] = userAgent;
  if (csrf) headers["x-csrf-token"] = decodeURIComponent(csrf);
  return new Client({
    url: new URL("/graphql", origin).toString(),
    exchanges: [fetchExchange],
    // Queries always go as GET: they need no CSRF token, however long the document is.
    preferGetMethod: "force",
    requestPolicy: "network-only",
    fetchOptions: { headers },
  });
}

export function errorCode(error: CombinedError | undefined): string | undefined {
  const code = error?.graphQLErrors[0]?.extensions?.code;
  return typeof code === "string" ? code : undefined;
}

const STATUS_BY_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_ATTEMPTS: 429,
};

/** Where a signed-out (or half-signed-in) visitor of `request` is sent, remembering where they were going. */
export function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  const next = url.pathname + url.search;
  return redirect(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
}

/**
 * Turns a GraphQL error into what a loader should do: sign-in gates become redirects, everything else a thrown
 * response whose message (written by the API for end users) the nearest error boundary shows as it is.
 */
export function throwForError(request: Request, error: CombinedError): never {
  const code = errorCode(error);
  if (code === "UNAUTHENTICATED" || code === "MFA_REQUIRED") throw signInRedirect(request);
  if (code === "MFA_ENROLLMENT_REQUIRED") throw redirect("/mfa-setup");
  if (error.networkError || !error.graphQLErrors.length) {
    throw data("Sourceline could not reach its API. Try again in a moment.", { status: 502 });
  }
  throw data(error.graphQLErrors[0]!.message, { status: (code ? STATUS_BY_CODE[code] : undefined) ?? 500 });
}

/** Runs a query for a loader and returns its data, or redirects/throws as {@link throwForError} says. */
export async function loadQuery<TData, TVariables extends AnyVariables>(
  scope: RequestScope,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<TData> {
  const result = await serverClient(scope).query(document, variables).toPromise();
  if (result.error) throwForError(scope.request, result.error);
  if (!result.data) throw data("The API returned no data.", { status: 502 });
  return result.data;
}

export function notFound(message: string): never {
  throw data(message, { status: 404 });
}
