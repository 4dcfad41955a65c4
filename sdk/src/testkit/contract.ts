import type { z } from 'zod';
import type { WebhookRequest } from '../context.ts';
import type { Connector } from '../define-connector.ts';
import { MemoryStore } from './memory-store.ts';
import { ContractViolation, runStream, type RunReport, type RunStreamOptions } from './run-stream.ts';

type StreamRunOptions<S extends z.ZodObject> = Omit<RunStreamOptions<S>, 'store' | 'crashAfterCommits'>;

/**
 * Re-running a stream is idempotent: a second run over an unchanged source changes nothing in the store, and a
 * fresh store synced from scratch ends up equal to it. Returns both reports so callers can assert more.
 */
export async function checkIdempotentRerun<S extends z.ZodObject>(
  options: StreamRunOptions<S>,
): Promise<{ first: RunReport; second: RunReport }> {
  const store = new MemoryStore();
  const first = await runStream({ ...options, store });
  const before = store.snapshot();
  const second = await runStream({ ...options, store });
  const changed = sum(second.changed) + sum(second.deleted);
  if (changed > 0) {
    throw new ContractViolation(`re-running "${options.stream}" changed ${changed} record(s): ${JSON.stringify(second.changed)} deleted ${JSON.stringify(second.deleted)}`);
  }
  if (store.snapshot() !== before) throw new ContractViolation(`re-running "${options.stream}" altered the store`);
  return { first, second };
}

/**
 * Cursors are monotonic: every commit compares >= the previous one, within a run (enforced by the runner on each
 * `cursor.set`) and across runs (checked here over `runs` consecutive runs).
 */
export async function checkMonotonicCursors<S extends z.ZodObject>(options: StreamRunOptions<S> & { runs?: number }): Promise<unknown[]> {
  const { connector } = options;
  const stream = connector.streams.find((s) => s.name === options.stream);
  if (!stream) throw new Error(`no stream "${options.stream}"`);
  const store = new MemoryStore();
  const cursors: unknown[] = [];
  for (let run = 0; run < (options.runs ?? 2); run++) {
    const report = await runStream({ ...options, store });
    cursors.push(...report.cursors);
  }
  for (let i = 1; i < cursors.length; i++) {
    if (stream.cursor.compare(cursors[i - 1], cursors[i]) > 0) {
      throw new ContractViolation(`cursor went backwards between commits ${i - 1} and ${i}`);
    }
  }
  if (cursors.length === 0) throw new ContractViolation(`stream "${options.stream}" never committed a cursor`);
  return cursors;
}

/**
 * A crash after any batch resumes without gaps or duplicates: for each crash point, crash after that many commits,
 * resume in the same store, and require the store to equal a clean run's. `maxCrashPoints` samples evenly when a
 * run has many batches.
 */
export async function checkCrashResume<S extends z.ZodObject>(
  options: StreamRunOptions<S> & { maxCrashPoints?: number; compare?: (clean: MemoryStore, resumed: MemoryStore) => void },
): Promise<{ crashPoints: number[] }> {
  const clean = await runStream({ ...options, store: new MemoryStore() });
  if (clean.commits < 1) throw new ContractViolation(`stream "${options.stream}" committed nothing, so a crash cannot be tested`);
  const crashPoints = sampleCrashPoints(clean.commits, options.maxCrashPoints ?? 5);
  const compare = options.compare ?? ((a: MemoryStore, b: MemoryStore) => {
    if (a.snapshot() !== b.snapshot()) {
      throw new ContractViolation('the store after crash + resume differs from a clean run');
    }
  });
  for (const crashAfterCommits of crashPoints) {
    const store = new MemoryStore();
    const crashed = await runStream({ ...options, store, crashAfterCommits });
    if (!crashed.crashed) throw new ContractViolation(`expected a crash after ${crashAfterCommits} commit(s)`);
    const resumed = await runStream({ ...options, store });
    if (resumed.crashed) throw new ContractViolation('resume crashed');
    try {
      compare(clean.store, store);
    } catch (error) {
      throw new ContractViolation(`crash after ${crashAfterCommits} commit(s): ${(error as Error).message}`);
    }
  }
  return { crashPoints };
}

/**
 * Webhooks reject bad signatures: a correctly signed request verifies, and the same request with a tampered body,
 * without its signature headers, or checked against another secret does not.
 */
export async function checkWebhookRejectsBadSignatures<S extends z.ZodObject>(options: {
  connector: Connector<S>;
  webhook: string;
  settings: z.input<S>;
  /** The same settings with a different secret. */
  otherSettings: z.input<S>;
  signedRequest: WebhookRequest;
  signatureHeaders: readonly string[];
  /**
   * Whether the signature covers the body. A shared secret in a header (Gravity Forms) or in the body (Google Ads lead
   * forms) authenticates the sender but not the content; TLS protects that. Default true: tampering must fail.
   */
  bodySigned?: boolean;
  /** How to strip the signature when it is not in headers (a key inside the body); default drops `signatureHeaders`. */
  removeSignature?: (request: WebhookRequest) => WebhookRequest;
}): Promise<void> {
  const webhook = options.connector.webhooks.find((w) => w.name === options.webhook);
  if (!webhook) throw new Error(`no webhook "${options.webhook}"`);
  const settings = options.connector.settings.parse(options.settings) as z.infer<S>;
  const other = options.connector.settings.parse(options.otherSettings) as z.infer<S>;
  const request = options.signedRequest;
  if (!(await webhook.verify(request, settings))) throw new ContractViolation('a correctly signed request was rejected');
  if (options.bodySigned ?? true) {
    const body = tamper(request.body);
    const tampered = { ...request, body, ...(request.rawBody ? { rawBody: Buffer.from(body, 'utf8') } : {}) };
    if (await webhook.verify(tampered, settings)) throw new ContractViolation('a request with a tampered body was accepted');
  }
  const unsigned = options.removeSignature?.(request) ?? {
    ...request,
    headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => !options.signatureHeaders.includes(name.toLowerCase()))),
  };
  if (await webhook.verify(unsigned, settings)) {
    throw new ContractViolation('a request without its signature was accepted');
  }
  if (await webhook.verify(request, other)) throw new ContractViolation('a request signed with another secret was accepted');
}

function tamper(body: string): string {
  if (body.length === 0) return 'x';
  const last = body.at(-2) === '1' ? '2' : '1';
  return body.length > 1 ? `${body.slice(0, -2)}${last}${body.slice(-1)}` : `${body}x`;
}

function sampleCrashPoints(commits: number, max: number): number[] {
  // Crash after 0..commits-1 commits: the crash hits the batch in flight. After the final commit there is nothing
  // left to lose, so that point is the same as a clean finish.
  const candidates = Array.from({ length: commits }, (_, i) => i);
  if (candidates.length <= max) return candidates;
  return Array.from({ length: max }, (_, i) => candidates[Math.round((i * (candidates.length - 1)) / (max - 1))]!);
}

function sum(counts: Partial<Record<string, number>>): number {
  return Object.values(counts).reduce<number>((a, b) => a + (b ?? 0), 0);
}
