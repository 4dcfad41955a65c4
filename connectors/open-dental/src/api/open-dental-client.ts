import { FatalError, HttpStatusError, RetryableError, type HttpClient } from '@sourceline/sdk';
import { pageSizeOf, type OpenDentalSettings } from '../settings.ts';

export type OpenDentalRow = Record<string, unknown>;

export interface OpenDentalPage {
  rows: OpenDentalRow[];
  /** The office server's clock when it answered, from the first element (`null` if the endpoint sends none). */
  serverDateTime: string | null;
}

const serverTimePattern = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * The Open Dental API as the connector uses it: the ODFHIR header, Content-Type on every request (GETs included),
 * Offset paging over bare JSON arrays, and Open Dental's status codes turned into errors a person can act on.
 */
export class OpenDentalClient {
  readonly pageSize: number;
  private readonly headers: Record<string, string>;
  private readonly baseUrl: string;

  constructor(private readonly http: HttpClient, settings: Pick<OpenDentalSettings, 'baseUrl' | 'developerKey' | 'customerKey' | 'mode' | 'pageSize'>) {
    this.pageSize = pageSizeOf(settings);
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
    this.headers = {
      authorization: `ODFHIR ${settings.developerKey}/${settings.customerKey}`,
      'content-type': 'application/json',
    };
  }

  /** One page of a list endpoint. A page shorter than the page size is the last one. */
  async listPage(path: string, query: Readonly<Record<string, string>>, offset: number): Promise<OpenDentalPage> {
    const text = (await this.get(path, { ...query, ...(offset > 0 ? { Offset: String(offset) } : {}) }, false)) ?? '[]';
    const rows = parseArray(text, path);
    const first = rows[0];
    const stamp = first && typeof first.serverDateTime === 'string' && serverTimePattern.test(first.serverDateTime) ? first.serverDateTime : null;
    return { rows, serverDateTime: stamp };
  }

  /** One record by id, or undefined if Open Dental says it is gone (404). */
  async getOne(path: string, id: string): Promise<OpenDentalRow | undefined> {
    const text = await this.get(`${path}/${encodeURIComponent(id)}`, {}, true);
    if (text === undefined) return undefined;
    const parsed: unknown = JSON.parse(text);
    return isRow(parsed) ? parsed : undefined;
  }

  /**
   * The office server's current time. Endpoints without serverDateTime (refattaches) and empty pages need it;
   * /providers answers with it and every office has at least one provider.
   */
  async serverTime(): Promise<string> {
    const page = await this.listPage('providers', { Limit: '1' }, 0);
    if (!page.serverDateTime) throw new FatalError('Open Dental did not report its server time (serverDateTime) on /providers');
    return page.serverDateTime;
  }

  /** The body, or undefined for a 404 when `notFoundIsAnswer`. */
  private async get(path: string, query: Readonly<Record<string, string>>, notFoundIsAnswer: boolean): Promise<string | undefined> {
    try {
      const response = await this.http.request({ url: `${this.baseUrl}/${path}`, query, headers: this.headers, acceptStatuses: notFoundIsAnswer ? [404] : [] });
      return response.status === 404 ? undefined : response.text;
    } catch (error) {
      throw error instanceof HttpStatusError ? explainStatus(error, path) : error;
    }
  }
}

/** The office's Open Dental predates an endpoint or one of its parameters ("Version not high enough"). */
export class OfficeVersionTooOld extends FatalError {
  override name = 'OfficeVersionTooOld';
}

/** Open Dental reuses 400 and 401 for very different problems; the explanation text is the only way to tell them apart. */
export function explainStatus(error: HttpStatusError, path: string): Error {
  const detail = error.bodyExcerpt.replace(/^"|"$/g, '');
  if (error.status === 401) {
    return new FatalError(`Open Dental rejected the customer key (401) — check Settings → Integrations (${detail || 'no detail'})`, { status: 401, cause: error });
  }
  if (error.status === 400 && /econnector|not running|offline|network|timed? ?out/i.test(detail)) {
    return new RetryableError(`the office's Open Dental is unreachable (eConnector offline) — will retry: ${detail}`, { status: 400, cause: error });
  }
  if (error.status === 400 && /version/i.test(detail)) {
    return new OfficeVersionTooOld(`the office's Open Dental version is too old for /${path} — ask the office to update (${detail})`, { status: 400, cause: error });
  }
  if (error.status === 410) return new FatalError(`Open Dental retired /${path} (410); the connector needs an update`, { status: 410, cause: error });
  return new FatalError(`Open Dental refused /${path} (${error.status}): ${detail}`, { status: error.status, cause: error });
}

function parseArray(text: string, path: string): OpenDentalRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RetryableError(`Open Dental sent /${path} a body that is not JSON`, { cause: error });
  }
  if (!Array.isArray(parsed)) throw new FatalError(`Open Dental answered /${path} with something other than a list`);
  return parsed as OpenDentalRow[];
}

function isRow(value: unknown): value is OpenDentalRow {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
