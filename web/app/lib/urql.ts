import { Client, cacheExchange, fetchExchange, type CombinedError } from "@urql/core";

function readCookie(name: string): string {
  if (typeof document === "undefined") return "";
  const match = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : "";
}

/**
 * The browser's client, for mutations and client-side refetches. Every POST echoes the readable `sl_csrf` cookie in
 * `x-csrf-token` (double-submit CSRF protection); queries go as GET and need none.
 */
export function createBrowserClient(): Client {
  return new Client({
    url: "/graphql",
    exchanges: [cacheExchange, fetchExchange],
    fetchOptions: () => ({ headers: { "x-csrf-token": readCookie("sl_csrf") } }),
  });
}

/** The messages of a failed request, as the API wrote them for end users. */
export function errorMessages(error: CombinedError | undefined | null): string[] {
  if (!error) return [];
  if (error.graphQLErrors.length) return error.graphQLErrors.map((e) => e.message);
  return ["Sourceline could not be reached. Check your connection and try again."];
}

/** The input an error is about (`extensions.field`), for marking that field invalid. */
export function errorField(error: CombinedError | undefined | null): string | undefined {
  const field = error?.graphQLErrors[0]?.extensions?.field;
  return typeof field === "string" ? field : undefined;
}
