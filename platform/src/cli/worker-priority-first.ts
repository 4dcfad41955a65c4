import { workerNiceOf } from '../config.ts';
import { lowerCpuPriority } from '../jobs/cpu-priority.ts';

// Imported first by the CLI, so that `sourceline worker` yields the CPU before the application loads: loading it
// takes ~1.5 s of CPU, which a worker restarting beside a busy API would otherwise spend at the API's priority. The
// worker command applies the setting again once the configuration is validated, and reports it.
const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const niceness = command === 'worker' ? workerNiceOf() : null;
if (niceness !== null) lowerCpuPriority(niceness);
