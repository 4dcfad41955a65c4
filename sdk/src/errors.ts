/**
 * Connector failures come in two kinds so the platform knows what to do next:
 * - `RetryableError`: the source is busy, down or flaky; run the job again later (after `retryAfterMs` if known).
 * - `FatalError`: retrying cannot help (bad credentials, missing permission, broken settings); a person must act,
 *   so the message says what to fix, e.g. "Open Dental rejected the customer key (401) — check Settings → Integrations".
 * Messages name record ids and HTTP statuses, never a patient.
 */
export class RetryableError extends Error {
  override name = 'RetryableError';
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(message: string, options: { retryAfterMs?: number; status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

export class FatalError extends Error {
  override name = 'FatalError';
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

/** Thrown by the stub connectors (Dentrix, Eaglesoft) so nobody mistakes them for working integrations. */
export class NotImplementedError extends FatalError {
  override name = 'NotImplementedError';
}

export function isRetryable(error: unknown): error is RetryableError {
  return error instanceof RetryableError;
}
