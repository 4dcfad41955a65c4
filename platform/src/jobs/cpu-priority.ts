import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Makes this process yield the CPU: sets its niceness to `niceness` unless it is already at least that nice (a
 * process started nicer stays so; only a privileged one could take it back). Linux sets niceness per thread, and
 * Node has started its thread pool and V8's helpers before any of our code runs, so every thread of the process is
 * set (threads started later inherit it). A process that leads its own session (as a service manager starts it) also
 * lowers its session's scheduling group: under Linux's autogroup scheduling a niceness weighs only against processes
 * of the same session, and a worker in a session of its own would otherwise take as much CPU as the API's. A process
 * sharing a session (a terminal's job, `sourceline start`) leaves the group alone: it would lower the API with it.
 * Says what it did, or why the system refused.
 */
export function lowerCpuPriority(niceness: number): { niceness: number } | { refused: string } {
  const current = getPriority();
  try {
    if (niceness > current) {
      setPriority(niceness);
      for (const thread of threadIds()) {
        try {
          setPriority(thread, niceness);
        } catch {
          // The thread ended meanwhile.
        }
      }
    }
    if (leadsOwnSession()) lowerAutogroup('self', niceness);
    return { niceness: Math.max(niceness, current) };
  } catch (error) {
    return { refused: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Lowers the PostgreSQL backend serving one of this process's connections, when that backend runs on this machine:
 * the worker's queries then yield the processor to the API's as the worker itself does. PostgreSQL starts every
 * backend in a session of its own, so both its niceness and its autogroup's are set. The pid a server reports is
 * only trusted once `/proc` shows a PostgreSQL backend serving this very connection (its title names the client's
 * port): a server in a container or on another host reports pids of another namespace, which may name an
 * unrelated process here. Null when the backend is not ours to lower; otherwise what was done or refused.
 */
export function lowerBackendPriority(backend: { pid: number; clientPort: number }, niceness: number): { niceness: number } | { refused: string } | null {
  if (!servesConnection(backend)) return null;
  try {
    if (niceness > getPriority(backend.pid)) setPriority(backend.pid, niceness);
    // Checked again before a deferred change: the connection may have closed and its pid gone to another process.
    lowerAutogroup(String(backend.pid), niceness, () => servesConnection(backend));
    return { niceness };
  } catch (error) {
    return { refused: error instanceof Error ? error.message : String(error) };
  }
}

function servesConnection(backend: { pid: number; clientPort: number }): boolean {
  try {
    const title = readFileSync(`/proc/${backend.pid}/cmdline`, 'utf8');
    return title.startsWith('postgres: ') && title.includes(`(${backend.clientPort})`);
  } catch {
    return false;
  }
}

/** Raises the niceness of a process's autogroup (`/proc/<pid>/autogroup`), where the kernel has them. */
function lowerAutogroup(pid: string, niceness: number, stillTheProcess: () => boolean = () => true): void {
  const file = `/proc/${pid}/autogroup`;
  let current: string;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    return; // A kernel without autogroup scheduling: niceness alone decides.
  }
  // Empty for a process in no autogroup: one still in the boot session's group, or autogroups disabled at boot.
  const groupNiceness = / nice (-?\d+)/.exec(current)?.[1];
  if (groupNiceness === undefined || niceness <= Number(groupNiceness)) return;
  try {
    writeFileSync(file, String(niceness));
  } catch (error) {
    if (!isBusy(error)) throw error;
    queueAutogroupWrite(file, { niceness, stillTheProcess });
  }
}

/**
 * Linux lets an unprivileged process set an autogroup's niceness only once in 100 ms, counted across the whole system
 * (EAGAIN otherwise), and a worker's pools open several connections at once: a write refused so is made again later,
 * one every ~110 ms, until it is done or the process has ended or is no longer the one meant (the timer never
 * holds this process open).
 */
function queueAutogroupWrite(file: string, write: BusyWrite): void {
  busyWrites.set(file, write);
  busyTimer ??= setTimeout(writeNextBusy, AUTOGROUP_WRITE_INTERVAL_MS).unref();
}

function writeNextBusy(): void {
  busyTimer = null;
  const [file, { niceness, stillTheProcess }] = busyWrites.entries().next().value!;
  try {
    if (stillTheProcess()) writeFileSync(file, String(niceness));
    busyWrites.delete(file);
  } catch (error) {
    if (!isBusy(error)) busyWrites.delete(file); // The process ended meanwhile.
  }
  if (busyWrites.size) busyTimer = setTimeout(writeNextBusy, AUTOGROUP_WRITE_INTERVAL_MS).unref();
}

interface BusyWrite {
  niceness: number;
  stillTheProcess: () => boolean;
}

const busyWrites = new Map<string, BusyWrite>();
let busyTimer: NodeJS.Timeout | null = null;
const AUTOGROUP_WRITE_INTERVAL_MS = 110;
const isBusy = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EAGAIN';

/** Whether this process leads its session (field 6 of `/proc/self/stat`, after the command name, which may hold spaces). */
function leadsOwnSession(): boolean {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[3]) === process.pid;
  } catch {
    return false;
  }
}

function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return []; // Not Linux: the call above set the process.
  }
}
