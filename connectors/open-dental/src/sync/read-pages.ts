import type { OpenDentalClient, OpenDentalPage } from '../api/open-dental-client.ts';

/**
 * Yields the pages of a listing from `offset` on, requesting the next page while the caller maps, emits and commits
 * the current one: the network and the platform's writes overlap instead of taking turns. A page shorter than the
 * page size is the last — unless `confirmEnd`: then only an empty page ends the listing. A listing that decides
 * what was deleted asks for that proof: an office serving smaller pages than the `pageSize` setting says (a key
 * without the Enterprise page size) would otherwise end after one page and have every later row marked deleted.
 */
export async function* readPages(
  client: OpenDentalClient,
  path: string,
  query: Readonly<Record<string, string>>,
  offset: number,
  signal: AbortSignal,
  options: { confirmEnd?: boolean } = {},
): AsyncGenerator<OpenDentalPage & { offset: number }> {
  // A request is awaited only when its page is wanted: if the caller stops early or the run is aborted first (a
  // crash, a worker stopping), its failure must not go unhandled, which would take the whole process down.
  const request = (at: number) => {
    const page = client.listPage(path, query, at);
    page.catch(() => undefined);
    return page;
  };
  let next = request(offset);
  for (;;) {
    signal.throwIfAborted();
    const page = await next;
    const isLast = options.confirmEnd ? page.rows.length === 0 : page.rows.length < client.pageSize;
    if (!isLast) next = request(offset + page.rows.length);
    yield { ...page, offset };
    if (isLast) return;
    offset += page.rows.length;
  }
}
