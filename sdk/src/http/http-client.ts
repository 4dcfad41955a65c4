import { FatalError, RetryableError } from '../errors.ts';
import type { ConnectorLogger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { parseRetryAfter } from './retry-after.ts';
import { sleep } from './sleep.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  url: string | URL;
  method?: HttpMethod;
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** Per-attempt timeout; defaults to the client's. */
  timeoutMs?: number;
  /** Statuses handed back to the caller instead of thrown (e.g. `[404]` when checking whether a record still exists). */
  acceptStatuses?: readonly number[];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The body as text; parse it yourself so the connector decides how to validate it. */
  text: string;
  url: string;
  attempts: number;
}

/** `ctx.http`: fetch with timeouts, retries with jittered exponential backoff, and `Retry-After`/429 handling. */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}

export interface HttpClientOptions {
  signal?: AbortSignal;
  log?: ConnectorLogger;
  timeoutMs?: number;
  /** Attempts per request including the first. */
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** A `Retry-After` longer than this is not slept through: the request fails retryably and the job is rescheduled. */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
  random?: () => number;
}

/** A non-retryable HTTP status (most 4xx). Connectors turn the ones they understand into friendlier `FatalError`s. */
export class HttpStatusError extends FatalError {
  override name = 'HttpStatusError';
  readonly bodyExcerpt: string;
  readonly url: string;

  constructor(status: number, url: string, bodyExcerpt: string) {
    super(`HTTP ${status} from ${redactUrl(url)}${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`, { status });
    this.bodyExcerpt = bodyExcerpt;
    this.url = url;
  }
}

const retryableStatuses = new Set([408, 425, 429, 500, 502, 503, 504]);

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const {
    signal,
    log = silentLogger,
    timeoutMs = 30_000,
    maxAttempts = 5,
    baseBackoffMs = 250,
    maxBackoffMs = 10_000,
    maxRetryAfterMs = 120_000,
    fetch: fetchImpl = fetch,
    random = Math.random,
  } = options;

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const url = buildUrl(req.url, req.query);
    let lastFailure: RetryableError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      signal?.throwIfAborted();
      const timeout = AbortSignal.timeout(req.timeoutMs ?? timeoutMs);
      const attemptSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let waitMs: number;
      try {
        const response = await fetchImpl(url, {
          method: req.method ?? 'GET',
          headers: req.headers,
          body: req.body,
          signal: attemptSignal,
        });
        const text = await response.text();
        if (response.ok || req.acceptStatuses?.includes(response.status)) {
          return { status: response.status, headers: response.headers, text, url, attempts: attempt };
        }
        if (!retryableStatuses.has(response.status)) {
          throw new HttpStatusError(response.status, url, excerpt(text));
        }
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
        lastFailure = new RetryableError(`HTTP ${response.status} from ${redactUrl(url)}`, {
          status: response.status,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
        if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) throw lastFailure;
        waitMs = retryAfterMs ?? backoff(attempt);
      } catch (error) {
        if (error instanceof HttpStatusError || error === lastFailure) throw error;
        if (signal?.aborted) throw signal.reason;
        if (!isTransportError(error)) throw error;
        const timedOut = timeout.aborted;
        lastFailure = new RetryableError(
          timedOut ? `timed out after ${req.timeoutMs ?? timeoutMs} ms: ${redactUrl(url)}` : `network error: ${redactUrl(url)}`,
          { cause: error },
        );
        waitMs = backoff(attempt);
      }
      if (attempt < maxAttempts) {
        log.debug('http retry', { attempt, waitMs, status: lastFailure.status ?? null });
        await sleep(waitMs, signal);
      }
    }
    throw lastFailure ?? new RetryableError(`request failed: ${redactUrl(url)}`);
  }

  function backoff(attempt: number): number {
    // Full jitter keeps many connections from retrying in lock-step against one throttled source.
    const ceiling = Math.min(maxBackoffMs, baseBackoffMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  return { request };
}

function buildUrl(base: string | URL, query: HttpRequest['query']): string {
  const url = new URL(base);
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
  }
  return url.toString();
}

function isTransportError(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
}

function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}

/** Query strings can carry search terms (names, phones); errors and logs show only the path. */
function redactUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
