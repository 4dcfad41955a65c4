import type { OpenDentalClient, OpenDentalPage } from '../api/open-dental-client.ts';

/**
 * Yields the pages of a listing from `offset` on, requesting the next page while the caller maps, emits and commits
 * the current one: the network and the platform's writes overlap instead of taking turns. A page shorter than the
 * page size is the last.
 */
export async function* readPages(
  client: OpenDentalClient,
  path: string,
  query: Readonly<Record<string, string>>,
  offset: number,
  signal: AbortSignal,
): AsyncGenerator<OpenDentalPage & { offset: number }> {
  let next = client.listPage(path, query, offset);
  for (;;) {
    signal.throwIfAborted();
    const page = await next;
    const isLast = page.rows.length < client.pageSize;
    if (!isLast) {
      next = client.listPage(path, query, offset + page.rows.length);
      // If the caller stops early (a crash, a cancelled run) this request's failure must not go unhandled.
      next.catch(() => undefined);
    }
    yield { ...page, offset };
    if (isLast) return;
    offset += page.rows.length;
  }
}
