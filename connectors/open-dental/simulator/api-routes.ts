import type { OpenDentalRow } from '@sourceline/sdk/testkit';
import type { SimulatorState, TableName } from './simulator-state.ts';
import type { ServerTimePosition, Table } from './table.ts';

export interface ApiRequest {
  method: string;
  /** Path after `/api/v1/`, without a trailing slash. */
  path: string;
  query: URLSearchParams;
  permission: 'ReadAll' | 'Full' | 'Enterprise';
  serverNow: string;
}

export interface ApiResponse {
  status: number;
  body: string;
  /** The listing served, so the server can apply page drift between requests. */
  listed?: TableName;
}

export interface RouteConfig {
  pageSize: number;
  stampComparison: '>=' | '>';
  officeVersion: string;
}

const dateTStampPattern = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

class BadRequest extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Error bodies are short human-readable text, sent as a JSON string (the connector must not depend on either). */
export function errorBody(message: string): string {
  return JSON.stringify(message);
}

/** Serves one authenticated API request from the simulator's tables. */
export function routeApiRequest(state: SimulatorState, config: RouteConfig, req: ApiRequest): ApiResponse {
  try {
    return route(state, config, req);
  } catch (error) {
    if (error instanceof BadRequest) return { status: error.status, body: errorBody(error.message) };
    throw error;
  }
}

function route(state: SimulatorState, config: RouteConfig, req: ApiRequest): ApiResponse {
  const [resource = '', sub] = req.path.split('/');
  const t = state.tables;
  if (req.method === 'PUT' && req.path === 'queries/ShortQuery') {
    if (req.permission === 'ReadAll') throw new BadRequest(401, 'This API key does not have permission for Queries.');
    throw new BadRequest(400, 'The simulator does not run SQL.');
  }
  if (req.method !== 'GET') throw new BadRequest(404, 'Resource not found.');

  if (sub !== undefined && sub !== 'Simple' && /^\d+$/.test(sub)) {
    const table = singleTable(state, resource);
    const row = table?.get(Number(sub));
    if (!table || !row) throw new BadRequest(404, `${singular(resource)} not found.`);
    return { status: 200, body: table.element(row, '', 'none') };
  }

  switch (req.path) {
    case 'patients/Simple':
      return list(t.patients, req, config, { stamps: true, filters: { PatStatus: eq('PatStatus'), ClinicNum: eqNum('ClinicNum'), Guarantor: eqNum('Guarantor') } });
    case 'patients':
      return list(t.patients, req, config, { stamps: false, filters: { ClinicNum: eqNum('ClinicNum') }, project: searchFields, position: 'none' });
    case 'appointments':
      return list(t.appointments, req, config, {
        stamps: true,
        filters: { PatNum: eqNum('PatNum'), AptStatus: eq('AptStatus'), ClinicNum: eqNum('ClinicNum'), date: onDate('AptDateTime'), dateStart: fromDate('AptDateTime'), dateEnd: toDate('AptDateTime') },
      });
    case 'histappointments':
      requireVersion(config, '23.1.30', 'histappointments');
      return list(t.histappointments, req, config, { stamps: false, filters: { HistApptAction: eq('HistApptAction'), AptNum: eqNum('AptNum'), PatNum: eqNum('PatNum') } });
    case 'procedurelogs':
      if (req.query.has('ProcStatus')) requireVersion(config, '25.2.21', 'the ProcStatus parameter');
      return list(t.procedurelogs, req, config, { stamps: true, filters: { PatNum: eqNum('PatNum'), AptNum: eqNum('AptNum'), ProcStatus: eq('ProcStatus'), ClinicNum: eqNum('ClinicNum') } });
    case 'payments':
      return list(t.payments, req, config, { stamps: false, filters: { PatNum: eqNum('PatNum'), DateEntry: fromDate('DateEntry') } });
    case 'providers':
      // With ClinicNum, Open Dental answers serverDateTime "" (the connector must not take that as a cursor).
      return list(t.providers, req, config, { stamps: true, filters: {}, position: req.query.has('ClinicNum') ? 'last' : undefined, blankServerTime: req.query.has('ClinicNum') });
    case 'clinics':
      return list(t.clinics, req, config, { stamps: false, filters: {}, visible: (row) => row.IsHidden !== 'true' });
    case 'referrals':
      return list(t.referrals, req, config, { stamps: false, filters: { IsHidden: eq('IsHidden'), NotPerson: eq('NotPerson'), IsDoctor: eq('IsDoctor') } });
    case 'refattaches':
      if (req.query.has('DateTStamp')) requireVersion(config, '25.2.10', 'the DateTStamp parameter');
      return list(t.refattaches, req, config, { stamps: true, filters: { PatNum: eqNum('PatNum'), ReferralNum: eqNum('ReferralNum') } });
    case 'adjustments':
      if (!req.query.has('PatNum')) throw new BadRequest(400, 'PatNum is required.');
      return { status: 200, body: '[]' };
    default:
      throw new BadRequest(404, 'Resource not found.');
  }
}

type RowFilter = (row: OpenDentalRow, value: string) => boolean;

interface ListOptions {
  stamps: boolean;
  filters: Record<string, RowFilter>;
  position?: ServerTimePosition;
  blankServerTime?: boolean;
  visible?: (row: OpenDentalRow) => boolean;
  project?: (row: OpenDentalRow) => OpenDentalRow;
}

const viewCache = new WeakMap<Table, { key: string; rows: readonly OpenDentalRow[] }>();

function list(table: Table, req: ApiRequest, config: RouteConfig, options: ListOptions): ApiResponse {
  const offset = integerParam(req.query, 'Offset') ?? 0;
  const limit = Math.min(config.pageSize, integerParam(req.query, 'Limit') ?? config.pageSize);
  const stamp = req.query.get('DateTStamp');
  if (stamp !== null && (!options.stamps || !dateTStampPattern.test(stamp))) {
    throw new BadRequest(400, 'DateTStamp format must be yyyy-MM-dd HH:mm:ss');
  }
  const active = Object.entries(options.filters).filter(([name]) => req.query.has(name));
  for (const [name] of active) {
    const value = req.query.get(name)!;
    if (['date', 'dateStart', 'dateEnd', 'DateEntry'].includes(name) && !datePattern.test(value)) throw new BadRequest(400, `${name} format must be yyyy-MM-dd`);
  }
  const key = `${table.version}|${stamp}|${active.map(([n]) => `${n}=${req.query.get(n)}`).join('&')}`;
  let rows: readonly OpenDentalRow[];
  const cached = viewCache.get(table);
  if (cached && cached.key === key) {
    rows = cached.rows;
  } else if (stamp === null && active.length === 0 && !options.visible) {
    rows = table.all();
  } else {
    const stampField = table.stampField ?? 'DateTStamp';
    const inclusive = config.stampComparison === '>=';
    rows = table.all().filter((row) => {
      if (options.visible && !options.visible(row)) return false;
      if (stamp !== null) {
        const rowStamp = String(row[stampField] ?? '');
        if (inclusive ? rowStamp < stamp : rowStamp <= stamp) return false;
      }
      return active.every(([name, filter]) => filter(row, req.query.get(name)!));
    });
    viewCache.set(table, { key, rows });
  }
  const page = rows.slice(offset, offset + limit);
  const serverTime = options.blankServerTime ? '' : req.serverNow;
  const position = options.position ?? table.serverTime;
  const body = options.project
    ? JSON.stringify(page.map(options.project))
    : `[${page.map((row) => table.element(row, serverTime, position)).join(',')}]`;
  return { status: 200, body, listed: table.name as TableName };
}

function integerParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new BadRequest(400, `${name} must be a whole number.`);
  return Number(value);
}

const eq = (field: string): RowFilter => (row, value) => String(row[field]) === value;
const eqNum = (field: string): RowFilter => (row, value) => Number(row[field]) === Number(value);
const onDate = (field: string): RowFilter => (row, value) => String(row[field]).slice(0, 10) === value;
const fromDate = (field: string): RowFilter => (row, value) => String(row[field]).slice(0, 10) >= value;
const toDate = (field: string): RowFilter => (row, value) => String(row[field]).slice(0, 10) <= value;

const searchFieldNames = ['PatNum', 'LName', 'FName', 'MiddleI', 'Preferred', 'PatStatus', 'Birthdate', 'SSN', 'Address', 'Address2', 'City', 'State', 'Zip', 'HmPhone', 'WkPhone', 'WirelessPhone', 'Email', 'priProvAbbr', 'secProvAbbr', 'BillingType', 'ClinicNum', 'clinicAbbr', 'TxtMsgOk'];
/** `GET /patients` (search) returns a reduced field set with no DateTStamp. */
function searchFields(row: OpenDentalRow): OpenDentalRow {
  return Object.fromEntries(searchFieldNames.filter((f) => f in row).map((f) => [f, row[f]!]));
}

function singleTable(state: SimulatorState, resource: string): Table | undefined {
  const tables: Record<string, Table> = {
    patients: state.tables.patients, appointments: state.tables.appointments, procedurelogs: state.tables.procedurelogs,
    providers: state.tables.providers, referrals: state.tables.referrals,
  };
  return tables[resource];
}

function singular(resource: string): string {
  const names: Record<string, string> = { patients: 'Patient', appointments: 'Appointment', procedurelogs: 'Procedure', providers: 'Provider', referrals: 'Referral' };
  return names[resource] ?? 'Item';
}

function requireVersion(config: RouteConfig, needed: string, what: string): void {
  if (compareVersions(config.officeVersion, needed) < 0) {
    throw new BadRequest(400, `Version not high enough: ${what} requires Open Dental ${needed} or later.`);
  }
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
