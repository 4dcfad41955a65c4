import type { DemoWorld } from '@sourceline/sdk/testkit';

export type ApiMode = 'remote' | 'service' | 'local';
export type KeyPermission = 'ReadAll' | 'Full' | 'Enterprise';

export interface SimulatorKey {
  developerKey: string;
  customerKey: string;
  permission: KeyPermission;
  disabled?: boolean;
}

export interface SimulatorFaults {
  /** Share of requests answered 429 with `Retry-After` ("too many requests queued"). */
  rate429: number;
  /** Seconds sent in `Retry-After` (0 lets tests stay fast while still honouring the header). */
  retryAfterSeconds: number;
  /** Share of requests answered 500. */
  rate500: number;
  /** Share of pages served after `slowPageMs`. */
  slowPageRate: number;
  slowPageMs: number;
  /** Rows edited and inserted between page requests of one listing (page drift). */
  churnPerPage: number;
  /** Every request answers 400 "eConnector is not running". */
  officeOffline: boolean;
  /** Every request takes longer than the processing limit and answers 504. */
  slowOffice: boolean;
}

export interface SimulatorOptions {
  /** A world to serve; default: `generateWorld` with `seed` and a mid-sized practice. */
  world?: DemoWorld;
  practiceIndex?: number;
  seed?: number;
  /** Patients in the default world (ignored when `world` is given). */
  patients?: number;
  months?: number;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  mode?: ApiMode;
  /** Overrides the mode's maximum page size (100 remote, 1000 service/local). */
  pageSize?: number;
  keys?: readonly SimulatorKey[];
  /** Throttle per customer key on Remote: hold requests until their slot, or reject with 429. */
  throttle?: 'off' | 'hold' | 'reject';
  /** Overrides the permission-based throttle interval (5 s Read-All, 1 s other, 0.5 s Enterprise). */
  throttleIntervalMs?: number;
  faults?: Partial<SimulatorFaults>;
  faultSeed?: number;
  /** Server clock minus client clock. */
  clockSkewMs?: number;
  /** The office server's zone; defaults to the practice's. */
  timeZone?: string;
  /** OD's docs disagree whether the DateTStamp filter is inclusive; both must work. */
  stampComparison?: '>=' | '>';
  /** The office's Open Dental version (methods and parameters newer than it fail). */
  officeVersion?: string;
  /** How long before a slow office answers 504 (OD: 60 s). */
  processingLimitMs?: number;
}

export const defaultKeys: readonly SimulatorKey[] = [
  { developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', permission: 'Full' },
  { developerKey: 'sim-developer-key', customerKey: 'sim-readall-key', permission: 'ReadAll' },
  { developerKey: 'sim-developer-key', customerKey: 'sim-disabled-key', permission: 'Full', disabled: true },
];

export const noFaults: SimulatorFaults = {
  rate429: 0, retryAfterSeconds: 1, rate500: 0, slowPageRate: 0, slowPageMs: 0, churnPerPage: 0, officeOffline: false, slowOffice: false,
};

/** What `--faults` turns on: the spec's flaky office, tuned so a test run stays within seconds. */
export const typicalFaults: SimulatorFaults = {
  rate429: 0.04, retryAfterSeconds: 0, rate500: 0.04, slowPageRate: 0.05, slowPageMs: 150, churnPerPage: 2, officeOffline: false, slowOffice: false,
};
