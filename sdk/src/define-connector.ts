import { z } from 'zod';
import type { SyncContext, WebhookRequest } from './context.ts';
import type { HttpClient } from './http/http-client.ts';
import type { ConnectorLogger } from './logger.ts';
import type { EmittedRecord, ParseResult, RawPayload } from './parse-result.ts';
import type { RecordKind } from './records/index.ts';

export type ConnectorKind = 'pms' | 'lead-source';

/** `available` connectors work; `coming-soon` ones are declared stubs the UI lists but cannot sync. */
export type ConnectorStatus = 'available' | 'coming-soon';

export interface StreamCursor<Cursor> {
  /** Validates a stored cursor before it is handed back to `sync` (stored cursors outlive code versions). */
  schema: z.ZodType<Cursor>;
  /** Orders cursors: negative when `a` is before `b`. Each committed cursor must compare >= the previous one. */
  compare(a: Cursor, b: Cursor): number;
}

/** A pull stream: `sync` reads the source from the saved cursor and emits canonical records. */
export interface StreamDefinition<Settings, Cursor> {
  name: string;
  description: string;
  /** The record kinds this stream emits (the platform refreshes rollups for them). */
  emits: readonly RecordKind[];
  cursor: StreamCursor<Cursor>;
  /** How often the platform schedules the stream by default. */
  defaultIntervalMinutes?: number;
  sync(ctx: SyncContext<Settings, Cursor>): Promise<void>;
  /**
   * Maps one saved source response (e.g. a page of the API) to canonical records without network or database;
   * `sync` uses the same mapping, and `sourceline connector parse` runs it on a file.
   */
  parse(payload: RawPayload, settings: Partial<Settings>): ParseResult;
}

/** A push endpoint: the platform receives the request, `verify` authenticates it, `parse` turns it into records. */
export interface WebhookDefinition<Settings> {
  name: string;
  description: string;
  emits: readonly RecordKind[];
  /** Returns false when the signature (or shared secret) does not match; the platform answers 401 and stores nothing. */
  verify(request: WebhookRequest, settings: Settings): boolean | Promise<boolean>;
  parse(payload: RawPayload, settings: Partial<Settings>): ParseResult;
  /**
   * The records this webhook parses are placeholders for fuller ones that arrive later by another path (CallRail's
   * pre-call event before its post-call; Meta's id-only notification before the lead is fetched). The platform inserts
   * them when absent and never overwrites a stored record with them, so a late or repeated placeholder cannot erase
   * the full record.
   */
  provisional?: boolean;
  /**
   * For a provisional webhook whose source announces records by id only (Meta's `leadgen`): fetches the full records
   * behind placeholders the platform has just stored. The platform calls it from a background job, outside any
   * transaction, and upserts what it returns over the placeholders. Throw a retryable error to have the whole call
   * retried later; a placeholder whose record cannot be fetched is left out of the result (and logged) and stays a
   * placeholder until a stream reconciles it.
   */
  complete?(ctx: ConnectionCheckContext<Settings>, placeholders: readonly PlaceholderRef[]): Promise<EmittedRecord[]>;
  /**
   * Answers a source's GET verification handshake at the same address (Meta's `hub.challenge`). Absent: GET is 405.
   * Nothing is stored; the answer's body is sent as plain text.
   */
  challenge?(query: URLSearchParams, settings: Settings): { status: number; body: string };
}

/** A placeholder a provisional webhook stored: its kind and source id (no content: placeholders carry little). */
export interface PlaceholderRef {
  kind: RecordKind;
  id: string;
}

/** What "Test connection" (and a webhook's `complete`) gets: the settings and an HTTP client, nothing that writes. */
export interface ConnectionCheckContext<Settings> {
  settings: Settings;
  http: HttpClient;
  log: ConnectorLogger;
  signal: AbortSignal;
}

/**
 * Proves the settings work with one cheap request and returns a short sentence about what it reached ("Open Dental
 * answered: 4 providers"). Fails with a FatalError (or RetryableError) whose message says what to fix.
 */
export type ConnectionCheck<Settings> = (ctx: ConnectionCheckContext<Settings>) => Promise<string>;

export interface ConnectorDefinition<Settings extends z.ZodObject> {
  /** Stable identifier, kebab-case: stored with every connection. */
  id: string;
  kind: ConnectorKind;
  displayName: string;
  description?: string;
  status?: ConnectorStatus;
  settings: Settings;
  streams?: readonly StreamDefinition<z.infer<Settings>, unknown>[];
  webhooks?: readonly WebhookDefinition<z.infer<Settings>>[];
  testConnection?: ConnectionCheck<z.infer<Settings>>;
}

export interface Connector<Settings extends z.ZodObject = z.ZodObject> {
  readonly id: string;
  readonly kind: ConnectorKind;
  readonly displayName: string;
  readonly description: string;
  readonly status: ConnectorStatus;
  readonly settings: Settings;
  readonly streams: readonly StreamDefinition<z.infer<Settings>, unknown>[];
  readonly webhooks: readonly WebhookDefinition<z.infer<Settings>>[];
  readonly testConnection: ConnectionCheck<z.infer<Settings>> | undefined;
}

const connectorId = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Declares a connector. Checks the declaration once, at import time, so a broken package fails loudly and early. */
export function defineConnector<Settings extends z.ZodObject>(definition: ConnectorDefinition<Settings>): Connector<Settings> {
  if (!connectorId.test(definition.id)) throw new Error(`connector id "${definition.id}" must be kebab-case`);
  const streams = definition.streams ?? [];
  const webhooks = definition.webhooks ?? [];
  const names = [...streams.map((s) => s.name), ...webhooks.map((w) => w.name)];
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`connector "${definition.id}" declares "${duplicate}" twice`);
  const completesFull = webhooks.find((w) => w.complete && !w.provisional);
  if (completesFull) throw new Error(`connector "${definition.id}": webhook "${completesFull.name}" has complete() but is not provisional`);
  return {
    id: definition.id,
    kind: definition.kind,
    displayName: definition.displayName,
    description: definition.description ?? '',
    status: definition.status ?? 'available',
    settings: definition.settings,
    streams,
    webhooks,
    testConnection: definition.testConnection,
  };
}

/** Types one stream against its connector's settings and its own cursor; returns it unchanged. */
export function defineStream<Settings, Cursor>(stream: StreamDefinition<Settings, Cursor>): StreamDefinition<Settings, Cursor> {
  return stream;
}

export function defineWebhook<Settings>(webhook: WebhookDefinition<Settings>): WebhookDefinition<Settings> {
  return webhook;
}

/** Finds a stream or webhook by name, for the CLI and the platform's job registry. */
export function findEndpoint<S extends z.ZodObject>(
  connector: Connector<S>,
  name: string,
): { type: 'stream'; stream: StreamDefinition<z.infer<S>, unknown> } | { type: 'webhook'; webhook: WebhookDefinition<z.infer<S>> } | undefined {
  const stream = connector.streams.find((s) => s.name === name);
  if (stream) return { type: 'stream', stream };
  const webhook = connector.webhooks.find((w) => w.name === name);
  if (webhook) return { type: 'webhook', webhook };
  return undefined;
}
