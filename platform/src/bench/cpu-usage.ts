import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of the processes a benchmark runs, and of the machine, from Linux's `/proc`: on shared cores a latency tail
 * is mostly other processes holding the CPU, and a figure without this beside it cannot tell that apart from a slow
 * path. Times are in clock ticks (USER_HZ, 100 per second on Linux).
 */
export interface CpuGroups {
  /** pid of the API process. */
  api: number;
  /** pid of the PostgreSQL postmaster: its backends are its children, reaped or alive. */
  postmaster: number;
}

export interface CpuSnapshot {
  at: number;
  machineBusy: number;
  machineTotal: number;
  api: number;
  /** Every child of this process but the API (workers, including killed ones once reaped). */
  workers: number;
  postgres: number;
  self: number;
}

const TICKS_PER_SECOND = 100;

/** The fields of a `/proc/<pid>/stat` line that matter here; the command name may hold spaces and parentheses. */
export function parseProcStat(line: string): { ppid: number; own: number; reapedChildren: number } {
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
  const n = (i: number) => Number(fields[i]);
  return { ppid: n(1), own: n(11) + n(12), reapedChildren: n(13) + n(14) };
}

/** Busy and total ticks of every CPU together, from the first line of `/proc/stat`. */
export function parseMachineStat(text: string): { busy: number; total: number } {
  const [, user, nice, system, idle, iowait, irq, softirq, steal] = text.slice(0, text.indexOf('\n')).trim().split(/\s+/).map(Number);
  const busy = user! + nice! + system! + irq! + softirq! + (steal ?? 0);
  return { busy, total: busy + idle! + iowait! };
}

/** A snapshot, or null where there is no `/proc` (not Linux). */
export function cpuSnapshot(groups: CpuGroups): CpuSnapshot | null {
  let machine: { busy: number; total: number };
  try {
    machine = parseMachineStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
  const stats = new Map<number, ReturnType<typeof parseProcStat>>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      stats.set(Number(entry), parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8')));
    } catch {
      // It exited between the listing and the read.
    }
  }
  const liveChildren = (parent: number) => [...stats].filter(([, s]) => s.ppid === parent);
  // A process and everything it has run: its own time, its reaped children's, and its live children's own.
  const family = (pid: number, except?: number) =>
    (stats.get(pid)?.reapedChildren ?? 0) + liveChildren(pid).reduce((sum, [child, s]) => sum + (child === except ? 0 : s.own), 0);
  return {
    at: performance.now(),
    machineBusy: machine.busy,
    machineTotal: machine.total,
    api: stats.get(groups.api)?.own ?? 0,
    workers: family(process.pid, groups.api),
    postgres: (stats.get(groups.postmaster)?.own ?? 0) + family(groups.postmaster),
    self: stats.get(process.pid)?.own ?? 0,
  };
}

/** CPU time each group used between two snapshots, in seconds of one core; `total` is the three together. */
export function cpuSeconds(start: CpuSnapshot, end: CpuSnapshot): { api: number; postgres: number; self: number; total: number } {
  const api = (end.api - start.api) / TICKS_PER_SECOND;
  const postgres = (end.postgres - start.postgres) / TICKS_PER_SECOND;
  const self = (end.self - start.self) / TICKS_PER_SECOND;
  return { api, postgres, self, total: api + postgres + self };
}

/** What the groups are in a benchmark's words; a group without a label is left out of the line. */
export interface CpuLabels {
  /** What the window was: "sent" for the ingest bench's sending. */
  window: string;
  api: string;
  workers: string | null;
  self: string;
}

const INGEST_LABELS: CpuLabels = { window: 'sent', api: 'API', workers: 'workers', self: 'this load generator' };

/** One line: each group's share of a core over the window, and how busy the whole machine was. */
export function describeCpu(start: CpuSnapshot | null, end: CpuSnapshot | null, cores: number, labels: CpuLabels = INGEST_LABELS): string {
  if (!start || !end) return 'CPU by process: not measured (needs Linux /proc)';
  const seconds = (end.at - start.at) / 1000;
  const share = (key: 'api' | 'workers' | 'postgres' | 'self') => `${Math.round(((end[key] - start[key]) / TICKS_PER_SECOND / seconds) * 100)} %`;
  const machine = (end.machineBusy - start.machineBusy) / (end.machineTotal - start.machineTotal);
  const groups = [
    `${labels.api} ${share('api')}`,
    ...(labels.workers ? [`${labels.workers} ${share('workers')}`] : []),
    `PostgreSQL ${share('postgres')}`,
    `${labels.self} ${share('self')}`,
  ];
  return `CPU over the ${seconds.toFixed(0)} s ${labels.window} (100 % = one core): ${groups.join(', ')}; the machine ${Math.round(machine * cores * 100)} % of ${cores * 100} %`;
}
