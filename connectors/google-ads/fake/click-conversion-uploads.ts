import type { FakeRequest, FakeResponse } from '@sourceline/sdk/testkit';
import { failure as requestFailure, googleAdsFailure, type FakeGoogleAdsError } from './google-ads-failure.ts';
import type { FakeAdsAccount, FakeConversionAction } from './world-account.ts';

/** A conversion the fake accepted and keeps, as Google would report it. */
export interface FakeUploadedConversion {
  conversionActionId: string;
  clickId: { kind: 'gclid' | 'gbraid' | 'wbraid'; value: string };
  conversionDateTime: string;
  conversionValue: number;
  currencyCode: string;
  orderId: string | null;
  externalAttribution: { credit: number; model: string } | null;
  jobId: string;
}

type ErrorCode = Record<string, string>;
type RowError = FakeGoogleAdsError & { index: number };

interface ConversionBody {
  gclid?: unknown; gbraid?: unknown; wbraid?: unknown; conversionAction?: unknown; conversionDateTime?: unknown; conversionValue?: unknown;
  currencyCode?: unknown; orderId?: unknown; externalAttributionData?: { externalAttributionCredit?: unknown; externalAttributionModel?: unknown };
}

const MAX_CONVERSIONS = 2000;
const DAY_MS = 86_400_000;
const conversionError = (code: string): ErrorCode => ({ conversionUploadError: code });

/** `yyyy-mm-dd hh:mm:ss±hh:mm`, the zone required: the instant it names, or null. */
function instantOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})([+-]\d{2}:\d{2})$/.exec(value);
  if (!match) return null;
  const ms = Date.parse(`${match[1]}T${match[2]}${match[3]}`);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * `ConversionUploadService.UploadClickConversions` over one account, with Google's rules as the connector meets
 * them: `partialFailure` required, at most 2,000 conversions, one click id per conversion, UPLOAD_CLICKS actions only,
 * the click known to the account and before the conversion and inside the action's click-through window, external
 * attribution data exactly for EXTERNAL actions (which refuse order ids), and one conversion per order id per action
 * (and per click and time per action) — repeats answered as partial failures, never stored twice. `clicks` maps each
 * click id the account knows to when it happened.
 */
export function clickConversionUploads(account: FakeAdsAccount, clicks: ReadonlyMap<string, number>) {
  const uploaded: FakeUploadedConversion[] = [];
  /** Every request body received, dry runs included, for assertions on what the connector sent. */
  const requests: unknown[] = [];
  let nextJobId = 4_000_000_001;

  const actionOf = (resource: unknown): FakeConversionAction | undefined => {
    const match = typeof resource === 'string' ? /^customers\/(\d+)\/conversionActions\/(\d+)$/.exec(resource) : null;
    return match && match[1] === account.customer.id ? account.conversionActions.find((a) => a.id === match[2]) : undefined;
  };

  /** Google's first objection to one conversion, or null; `seen` holds the request's earlier keys. */
  const problemOf = (c: ConversionBody, seen: Set<string>): { code: ErrorCode; message: string } | null => {
    const action = actionOf(c.conversionAction);
    if (!action || action.status !== 'ENABLED' || action.type !== 'UPLOAD_CLICKS') {
      return { code: conversionError('INVALID_CONVERSION_ACTION'), message: 'The conversion action specified in the upload request cannot be found, or is not an enabled UPLOAD_CLICKS action.' };
    }
    const ids = (['gclid', 'gbraid', 'wbraid'] as const).filter((k) => typeof c[k] === 'string' && c[k] !== '');
    if (ids.includes('gbraid') && ids.includes('wbraid')) return { code: conversionError('GBRAID_WBRAID_BOTH_SET'), message: 'Both gbraid and wbraid are set.' };
    if (ids.length > 1) return { code: { fieldError: 'VALUE_MUST_BE_UNSET' }, message: 'A gbraid or wbraid conversion must not also carry a gclid.' };
    if (ids.length === 0) return { code: { fieldError: 'REQUIRED' }, message: 'A click id (gclid, gbraid or wbraid) is required.' };
    const at = instantOf(c.conversionDateTime);
    if (at === null) return { code: { dateError: 'INVALID_FIELD_VALUES_IN_DATE_TIME' }, message: 'conversion_date_time must be yyyy-mm-dd hh:mm:ss+|-hh:mm.' };
    const clickedAt = clicks.get(String(c[ids[0]!]));
    if (clickedAt === undefined) return { code: conversionError('EVENT_NOT_FOUND'), message: 'The imported event could not be attributed to a click.' };
    if (at < clickedAt) return { code: conversionError('CONVERSION_PRECEDES_EVENT'), message: 'The imported event has a conversion_date_time that precedes the click.' };
    if (at - clickedAt > action.clickThroughLookbackWindowDays * DAY_MS) {
      return { code: conversionError('EXPIRED_EVENT'), message: 'The click occurred before this conversion action’s click-through window.' };
    }
    const external = action.attributionModel === 'EXTERNAL';
    const credit = c.externalAttributionData?.externalAttributionCredit;
    if (external && (typeof credit !== 'number' || credit <= 0 || credit > 1)) {
      return { code: conversionError('EXTERNAL_ATTRIBUTION_DATA_NOT_SET_FOR_EXTERNALLY_ATTRIBUTED_CONVERSION_ACTION'), message: 'The conversion action uses external attribution: set a credit in (0, 1].' };
    }
    if (!external && c.externalAttributionData) {
      return { code: conversionError('EXTERNAL_ATTRIBUTION_DATA_SET_FOR_NON_EXTERNALLY_ATTRIBUTED_CONVERSION_ACTION'), message: 'The conversion action does not use external attribution.' };
    }
    if (external && c.orderId !== undefined) {
      return { code: conversionError('ORDER_ID_NOT_PERMITTED_FOR_EXTERNALLY_ATTRIBUTED_CONVERSION_ACTION'), message: 'Order IDs cannot be used with external attribution.' };
    }
    if (typeof c.orderId === 'string') {
      const key = `order:${action.id}:${c.orderId}`;
      if (seen.has(key)) return { code: conversionError('DUPLICATE_ORDER_ID'), message: 'The request holds several conversions with this order ID.' };
      seen.add(key);
      if (uploaded.some((u) => u.conversionActionId === action.id && u.orderId === c.orderId)) {
        return { code: conversionError('ORDER_ID_ALREADY_IN_USE'), message: 'A conversion with this order ID was already recorded.' };
      }
    }
    const clickKey = `click:${action.id}:${String(c[ids[0]!])}:${at}`;
    if (seen.has(clickKey)) return { code: conversionError('DUPLICATE_CLICK_CONVERSION_IN_REQUEST'), message: 'The request holds this click and conversion time twice.' };
    seen.add(clickKey);
    if (uploaded.some((u) => u.conversionActionId === action.id && u.clickId.value === String(c[ids[0]!]) && instantOf(u.conversionDateTime) === at)) {
      return { code: conversionError('CLICK_CONVERSION_ALREADY_EXISTS'), message: 'The click already has a conversion at this time.' };
    }
    return null;
  };

  const handle = (request: FakeRequest, version: string): FakeResponse => {
    let body: { conversions?: unknown; partialFailure?: unknown; validateOnly?: unknown };
    try {
      body = JSON.parse(request.body) as typeof body;
    } catch {
      return failure(400, { requestError: 'INVALID_INPUT' }, 'Invalid JSON payload received.', version);
    }
    requests.push(body);
    if (body.partialFailure !== true) return failure(400, { requestError: 'INVALID_INPUT' }, 'partial_failure must be true for UploadClickConversions.', version);
    if (!Array.isArray(body.conversions) || body.conversions.length === 0) return failure(400, { fieldError: 'REQUIRED' }, 'conversions are required.', version);
    if (body.conversions.length > MAX_CONVERSIONS) return failure(400, conversionError('TOO_MANY_CONVERSIONS_IN_REQUEST'), 'Upload fewer than 2001 events in a single request.', version);
    const jobId = String(nextJobId++);
    const seen = new Set<string>();
    const errors: RowError[] = [];
    const results = (body.conversions as ConversionBody[]).map((c, index) => {
      const problem = problemOf(c, seen);
      if (problem) {
        errors.push({ index, errorCode: problem.code, message: problem.message });
        return {};
      }
      const kind = (['gclid', 'gbraid', 'wbraid'] as const).find((k) => typeof c[k] === 'string')!;
      if (body.validateOnly !== true) {
        uploaded.push({
          conversionActionId: actionOf(c.conversionAction)!.id, clickId: { kind, value: String(c[kind]) }, conversionDateTime: String(c.conversionDateTime),
          conversionValue: Number(c.conversionValue ?? 0), currencyCode: String(c.currencyCode ?? ''), orderId: typeof c.orderId === 'string' ? c.orderId : null,
          externalAttribution: c.externalAttributionData
            ? { credit: Number(c.externalAttributionData.externalAttributionCredit), model: String(c.externalAttributionData.externalAttributionModel ?? '') }
            : null,
          jobId,
        });
      }
      return { [kind]: c[kind], conversionAction: c.conversionAction, conversionDateTime: c.conversionDateTime };
    });
    return {
      status: 200,
      body: {
        results,
        ...(errors.length ? { partialFailureError: partialFailureStatus(errors, version) } : {}),
        jobId,
      },
    };
  };

  return { uploaded, requests, handle };
}

/** Partial failures as Google sends them: a google.rpc.Status (INVALID_ARGUMENT) carrying one GoogleAdsFailure. */
function partialFailureStatus(errors: readonly RowError[], version: string) {
  const message = errors.map((e) => `${e.message}, at conversions[${e.index}]`).join(', ');
  return { code: 3, message, details: [googleAdsFailure(errors, version)] };
}

const failure = (status: number, errorCode: ErrorCode, message: string, version: string): FakeResponse =>
  requestFailure(status, 'INVALID_ARGUMENT', errorCode, message, version);
