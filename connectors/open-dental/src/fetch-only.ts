import { createHttpClient } from '@sourceline/sdk';
import { OpenDentalClient } from './api/open-dental-client.ts';
import type { OpenDentalSettings } from './settings.ts';

export interface FetchOnlyReport {
  rows: Record<string, number>;
  pages: number;
  elapsedMs: number;
}

/**
 * Reads every page of the given endpoints exactly as a full sync does (same client, headers, paging, retries, JSON
 * parsing) but maps and emits nothing: the baseline `pnpm bench sync` compares a real sync against.
 */
export async function fetchOnlyPass(
  settings: Pick<OpenDentalSettings, 'baseUrl' | 'developerKey' | 'customerKey' | 'mode' | 'pageSize'>,
  paths: readonly string[] = ['patients/Simple', 'procedurelogs'],
  signal?: AbortSignal,
): Promise<FetchOnlyReport> {
  const client = new OpenDentalClient(createHttpClient(signal ? { signal } : {}), settings);
  const started = performance.now();
  const rows: Record<string, number> = {};
  let pages = 0;
  for (const path of paths) {
    rows[path] = 0;
    for (let offset = 0; ; ) {
      const page = await client.listPage(path, {}, offset);
      pages++;
      rows[path] += page.rows.length;
      offset += page.rows.length;
      if (page.rows.length < client.pageSize) break;
    }
  }
  return { rows, pages, elapsedMs: performance.now() - started };
}
