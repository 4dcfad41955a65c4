import {
  buildUploadClickConversionsRequest, GoogleAdsClient, googleAdsSettings, MAX_CONVERSIONS_PER_REQUEST, type ApiClickConversion, type ClickConversionOutcome,
  type GoogleAdsSettings,
} from '@sourceline/connector-google-ads';
import { createHttpClient, FatalError, isRetryable, silentLogger, type HttpClientOptions } from '@sourceline/sdk';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { openSettings } from '../connections/connection-settings.ts';
import { connectorOrThrow } from '../connections/connections.ts';
import { withTenant, type Tx } from '../db/tenant-transaction.ts';
import type { GoogleAdsConversionUpload } from '../generated/prisma/client.ts';
import type { Platform } from '../platform.ts';
import { externalModelName, GOOGLE_MAX_CLICK_WINDOW_DAYS, type AdConversion, type ConversionAttribution, type ConversionSkip } from './patient-ad-conversion.ts';
import { addSkips, adConversionPages, conversionBasis, type ConversionBasis } from './select-ad-conversions.ts';

const Payload = z.object({ practiceId: z.uuid() });

/** Rejections kept per upload: enough to act on, bounded whatever the range. */
const MAX_STORED_REJECTIONS = 500;

/** Google's answers that mean "this conversion is already there": the upload was sent before. Not failures. */
const ALREADY_UPLOADED = new Set(['ORDER_ID_ALREADY_IN_USE', 'CLICK_CONVERSION_ALREADY_EXISTS']);

export interface AdConversionUploadOptions {
  signal?: AbortSignal;
  /** The job's last attempt: a failure Google may recover from is then final instead of retried. */
  finalAttempt?: boolean;
  /** Retry and timeout tuning of the HTTP client (tests shorten the backoff). */
  http?: Omit<HttpClientOptions, 'signal' | 'log'>;
  now?: () => Date;
}

interface Tally {
  selected: number;
  sent: number;
  accepted: number;
  alreadyUploaded: number;
  rejected: number;
  skipped: Partial<Record<ConversionSkip, number>>;
  rejections: { orderId: string; code: string }[];
  googleJobIds: string[];
}

/** A refusal a person must fix (the action, the account, the credentials): recorded, not retried. */
class UploadRefused extends Error {
  override name = 'UploadRefused';
}

export function adConversionUploadTask(platform: Platform): Task {
  return async (payload, helpers) => {
    const { practiceId } = Payload.parse(payload);
    const done = await runQueuedAdConversionUploads(platform, practiceId, { signal: helpers.abortSignal, finalAttempt: helpers.job.attempts >= helpers.job.max_attempts });
    for (const upload of done) {
      platform.logger.info({ practiceId, uploadId: upload.id, status: upload.status, accepted: upload.accepted, rejected: upload.rejected }, 'uploaded conversions to Google Ads');
    }
  };
}

/**
 * Runs the practice's queued uploads, oldest first, until none is left. An upload a worker was cut off in the middle
 * of is queued again: resending is safe, Google answers what it already has as duplicates.
 */
export async function runQueuedAdConversionUploads(platform: Platform, practiceId: string, options: AdConversionUploadOptions = {}): Promise<GoogleAdsConversionUpload[]> {
  const inPractice = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(platform.db.prisma, { practiceIds: [practiceId] }, fn);
  await inPractice((tx) => tx.googleAdsConversionUpload.updateMany({ where: { practiceId, status: 'running' }, data: { status: 'queued' } }));
  const done: GoogleAdsConversionUpload[] = [];
  for (;;) {
    const upload = await inPractice(async (tx) => {
      const next = await tx.googleAdsConversionUpload.findFirst({ where: { practiceId, status: 'queued' }, orderBy: { requestedAt: 'asc' } });
      return next && tx.googleAdsConversionUpload.update({ where: { id: next.id }, data: { status: 'running', startedAt: new Date(), finishedAt: null, failure: null } });
    });
    if (!upload) return done;
    done.push(await runUpload(platform, upload, options));
  }
}

/** What an upload sends to, read once: the account's client, the action and how Google attributes it, the currency. */
interface UploadTarget {
  client: GoogleAdsClient;
  settings: GoogleAdsSettings;
  basis: ConversionBasis;
  actionId: string;
  actionName: string;
  attribution: ConversionAttribution;
  clickWindowDays: number;
  currency: string;
}

/** Opens the connection's settings and asks Google about the action; a wrong action is refused with what to fix. */
async function openTarget(platform: Platform, upload: GoogleAdsConversionUpload, options: AdConversionUploadOptions): Promise<UploadTarget> {
  const { settings, basis } = await withTenant(platform.db.prisma, { practiceIds: [upload.practiceId] }, async (tx) => {
    const connection = await tx.connection.findUniqueOrThrow({ where: { id: upload.connectionId } });
    const cipher = await platform.keys.cipherFor(tx, upload.practiceId);
    // Parsed again for its type: the settings were validated against the Google Ads schema when opened.
    const settings = googleAdsSettings.parse(openSettings(cipher, connectorOrThrow(connection.connectorId), connection.settingsSealed));
    return { settings, basis: await conversionBasis(tx, upload.practiceId) };
  });
  const client = new GoogleAdsClient(createHttpClient({ ...options.http, signal: options.signal, log: silentLogger }), settings);
  const action = await client.conversionAction(upload.conversionActionId);
  if (!action) throw new UploadRefused(`Google Ads account ${settings.customerId} has no conversion action ${upload.conversionActionId} — check the id under Goals → Conversions`);
  if (action.type !== 'UPLOAD_CLICKS') {
    throw new UploadRefused(`Conversion action ${action.id} is a ${action.type} action; offline conversions need an "Import from clicks" (UPLOAD_CLICKS) action`);
  }
  if (action.status !== 'ENABLED') throw new UploadRefused(`Conversion action ${action.id} is ${action.status}; enable it in Google Ads first`);
  return {
    client, settings, basis, actionId: action.id, actionName: action.name,
    attribution: action.attributionModelSettings?.attributionModel === 'EXTERNAL' ? 'external' : 'google',
    clickWindowDays: Math.min(GOOGLE_MAX_CLICK_WINDOW_DAYS, Number(action.clickThroughLookbackWindowDays ?? GOOGLE_MAX_CLICK_WINDOW_DAYS)),
    // The account's currency: conversion values are in the money the practice bills, which is the one it advertises in.
    currency: (await client.customer()).currencyCode,
  };
}

async function runUpload(platform: Platform, upload: GoogleAdsConversionUpload, options: AdConversionUploadOptions): Promise<GoogleAdsConversionUpload> {
  const inPractice = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(platform.db.prisma, { practiceIds: [upload.practiceId] }, fn);
  const tally: Tally = { selected: 0, sent: 0, accepted: 0, alreadyUploaded: 0, rejected: 0, skipped: {}, rejections: [], googleJobIds: [] };
  let target: UploadTarget | null = null;
  try {
    target = await openTarget(platform, upload, options);
    const { client, settings, basis, actionId, attribution, currency } = target;
    const model = externalModelName(basis.model);
    const toApi = (c: AdConversion): ApiClickConversion => ({
      ...clickField(c.click), conversionActionId: actionId, conversionTime: c.conversionTime, valueCents: c.valueCents, currency,
      // Externally attributed actions refuse order ids; Google dedupes them by click and time, which stay the same.
      ...(c.credit === null ? { orderId: c.orderId } : { externalAttribution: { credit: c.credit, model } }),
    });
    const send = async (batch: AdConversion[]) => {
      const request = buildUploadClickConversionsRequest(settings, { conversions: batch.map(toApi), timeZone: basis.timeZone, validateOnly: upload.validateOnly });
      const result = await client.uploadClickConversions(request);
      if (result.jobId) tally.googleJobIds.push(result.jobId);
      result.outcomes.forEach((outcome, i) => count(tally, batch[i]!, outcome));
      tally.sent += batch.length;
    };
    const selection = {
      practiceId: upload.practiceId, range: { from: isoDate(upload.rangeFrom), to: isoDate(upload.rangeTo) }, attribution,
      clickWindowDays: target.clickWindowDays, now: options.now?.() ?? new Date(),
    };
    let batch: AdConversion[] = [];
    for await (const page of adConversionPages(inPractice, selection, basis)) {
      addSkips(tally.skipped, page.skipped);
      tally.selected += page.conversions.length + Object.values(page.skipped).reduce((a, b) => a + b, 0);
      for (const conversion of page.conversions) {
        batch.push(conversion);
        if (batch.length === MAX_CONVERSIONS_PER_REQUEST) {
          await send(batch);
          batch = [];
        }
      }
    }
    if (batch.length) await send(batch);
    return await finish(platform, upload, { status: 'succeeded', target, failure: null, tally });
  } catch (error) {
    const refused = error instanceof UploadRefused || error instanceof FatalError;
    // Our refusals and the SDK's errors name ids, statuses and Google's codes (URLs redacted); anything else only its class.
    const known = refused || isRetryable(error);
    const failure = known ? (error as Error).message.slice(0, 1_000) : `unexpected ${(error as Error).name}: see the server log by upload id`;
    if (!known) platform.logger.error({ err: error, uploadId: upload.id }, 'a Google Ads conversion upload failed');
    if (refused || options.finalAttempt) return finish(platform, upload, { status: 'failed', target, failure, tally });
    // Google may answer later (5xx, a timeout, a pause): queued again, and the job retried with backoff.
    await inPractice((tx) => tx.googleAdsConversionUpload.update({ where: { id: upload.id }, data: { status: 'queued', failure: `will retry: ${failure}` } }));
    throw error;
  }
}

function count(tally: Tally, conversion: AdConversion, outcome: ClickConversionOutcome): void {
  if (outcome.accepted) tally.accepted += 1;
  else if (ALREADY_UPLOADED.has(outcome.code)) tally.alreadyUploaded += 1;
  else {
    tally.rejected += 1;
    // The order id, not the click id or the patient: Sourceline can find the conversion again, nobody else can.
    if (tally.rejections.length < MAX_STORED_REJECTIONS) tally.rejections.push({ orderId: conversion.orderId, code: outcome.code });
  }
}

/** Records the outcome, and audits what left Sourceline (counts only) in the same transaction. */
async function finish(
  platform: Platform,
  upload: GoogleAdsConversionUpload,
  outcome: { status: 'succeeded' | 'failed'; target: UploadTarget | null; failure: string | null; tally: Tally },
): Promise<GoogleAdsConversionUpload> {
  const { tally, target } = outcome;
  return withTenant(platform.db.prisma, { practiceIds: [upload.practiceId] }, async (tx) => {
    const stored = await tx.googleAdsConversionUpload.update({
      where: { id: upload.id },
      data: {
        status: outcome.status, attribution: target?.attribution ?? null, conversionActionName: target?.actionName ?? null, failure: outcome.failure,
        finishedAt: new Date(),
        selected: tally.selected, sent: tally.sent, accepted: tally.accepted, alreadyUploaded: tally.alreadyUploaded, rejected: tally.rejected,
        skipped: tally.skipped, rejections: tally.rejections, googleJobIds: tally.googleJobIds,
      },
    });
    await recordAuditEvent(tx, {
      action: 'google_ads.conversions_uploaded',
      practiceId: upload.practiceId,
      actor: { label: 'worker' },
      target: { type: 'connection', id: upload.connectionId },
      fields: tally.sent > 0 ? ['lead.gclid'] : [],
      details: {
        uploadId: upload.id, status: outcome.status, validateOnly: upload.validateOnly, sent: tally.sent, accepted: tally.accepted,
        alreadyUploaded: tally.alreadyUploaded, rejected: tally.rejected,
      },
    });
    return stored;
  });
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

const clickField = (click: AdConversion['click']) =>
  click.kind === 'gclid' ? { gclid: click.id } : click.kind === 'gbraid' ? { gbraid: click.id } : { wbraid: click.id };

