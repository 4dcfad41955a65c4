import { describe, expect, it } from 'vitest';
import { cpuSeconds, describeCpu, parseMachineStat, parseProcStat, type CpuSnapshot } from './cpu-usage.ts';

describe('CPU usage from /proc', () => {
  const start: CpuSnapshot = { at: 0, machineBusy: 0, machineTotal: 0, api: 100, workers: 0, postgres: 50, self: 10 };
  const end: CpuSnapshot = { at: 10_000, machineBusy: 1_500, machineTotal: 2_000, api: 400, workers: 450, postgres: 1_050, self: 110 };

  it('reads a process line whose command name holds spaces and parentheses', () => {
    const line = '4242 (node (worker) x) S 17 4242 4242 0 -1 4194304 1200 0 0 0 350 40 12 3 20 0 11 0 9000 1000000 5000 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ ppid: 17, own: 390, reapedChildren: 15 });
  });

  it('counts steal and interrupts as busy, idle and iowait as not', () => {
    expect(parseMachineStat('cpu  100 5 50 800 20 3 2 10 0 0\ncpu0 50 2 25 400 10 1 1 5 0 0\n')).toEqual({ busy: 170, total: 990 });
  });

  it('gives each group its share of a core over the window, and the machine its share of all cores', () => {
    expect(describeCpu(start, end, 2)).toBe(
      'CPU over the 10 s sent (100 % = one core): API 30 %, workers 45 %, PostgreSQL 100 %, this load generator 10 %; the machine 150 % of 200 %',
    );
    expect(describeCpu(null, end, 2)).toMatch(/not measured/);
    // In another bench's words, a group it has no use for left out.
    expect(describeCpu(start, end, 2, { window: 'of the sync', api: 'the simulator', workers: null, self: 'the sync' })).toBe(
      'CPU over the 10 s of the sync (100 % = one core): the simulator 30 %, PostgreSQL 100 %, the sync 10 %; the machine 150 % of 200 %',
    );
  });

  it('gives the CPU time of each group in seconds of one core, and their sum', () => {
    expect(cpuSeconds(start, end)).toEqual({ api: 3, postgres: 10, self: 1, total: 14 });
  });
});
