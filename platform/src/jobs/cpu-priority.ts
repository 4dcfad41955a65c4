import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Makes this process yield the CPU: sets its niceness to `niceness` unless it is already at least that nice (a
 * process started nicer stays so; only a privileged one could take it back). Linux sets niceness per thread, and
 * Node has started its thread pool and V8's helpers before any of our code runs, so every thread of the process is
 * set (threads started later inherit it). Says what it did, or why the system refused.
 */
export function lowerCpuPriority(niceness: number): { niceness: number } | { refused: string } {
  const current = getPriority();
  if (niceness <= current) return { niceness: current };
  try {
    setPriority(niceness);
    for (const thread of threadIds()) {
      try {
        setPriority(thread, niceness);
      } catch {
        // The thread ended meanwhile.
      }
    }
    return { niceness };
  } catch (error) {
    return { refused: error instanceof Error ? error.message : String(error) };
  }
}

function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return []; // Not Linux: the call above set the process.
  }
}
