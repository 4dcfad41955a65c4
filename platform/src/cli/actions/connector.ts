import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findEndpoint, type ParseResult } from '@sourceline/sdk';
import { scaffoldConnector } from '@sourceline/sdk/scaffold';
import { allConnectors, findConnector, listConnectors } from '../../connections/registry.ts';
import type { NewFlags, ParseFlags, SimulatorFlags } from '../commands/connector.ts';
import { UsageError } from '../usage-error.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The SDK a standalone connector depends on: the version this repository would publish. */
const SDK_VERSION = (JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'sdk', 'package.json'), 'utf8')) as { version: string }).version;

export function runList(): void {
  for (const c of listConnectors()) {
    process.stdout.write(`${c.id}\t${c.kind}\t${c.status}\t${c.displayName}\n`);
    for (const s of c.streams) process.stdout.write(`  stream  ${s.name} → ${s.emits.join(', ')}\n`);
    for (const w of c.webhooks) process.stdout.write(`  webhook ${w.name}\n`);
  }
}

export async function runParse(id: string, name: string, file: string, flags: ParseFlags): Promise<void> {
  const connector = findConnector(id);
  if (!connector) throw new UsageError(`no connector "${id}" (installed: ${allConnectors().map((c) => c.id).join(', ')})`);
  const endpoint = findEndpoint(connector, name);
  if (!endpoint) {
    const names = [...connector.streams.map((s) => s.name), ...connector.webhooks.map((w) => w.name)];
    throw new UsageError(`connector "${id}" has no stream or webhook "${name}" (it has: ${names.join(', ')})`);
  }
  let body: string;
  try {
    body = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  const settings = parseSettingsFlag(flags);
  const payload = { body, name: basename(file) };
  const result: ParseResult = endpoint.type === 'stream' ? endpoint.stream.parse(payload, settings) : endpoint.webhook.parse(payload, settings);
  process.stdout.write(`${JSON.stringify(result.records, null, 2)}\n`);
  for (const issue of result.issues) process.stderr.write(`${issue.record} — ${issue.field}: ${issue.message}\n`);
  process.stderr.write(`${result.records.length} record(s), ${result.issues.length} problem(s)\n`);
  if (result.issues.length > 0) process.exitCode = 1;
}

function parseSettingsFlag(flags: ParseFlags): Record<string, unknown> {
  let settings: Record<string, unknown> = {};
  if (flags.settings) {
    try {
      settings = JSON.parse(flags.settings) as Record<string, unknown>;
    } catch {
      throw new UsageError('--settings must be JSON, e.g. {"timeZone":"America/Chicago"}');
    }
  }
  return flags.timeZone ? { ...settings, timeZone: flags.timeZone } : settings;
}

export async function runNew(name: string, flags: NewFlags): Promise<void> {
  if (flags.kind !== 'pms' && flags.kind !== 'lead-source') throw new UsageError('--kind must be pms or lead-source');
  const root = resolve(flags.dir, name);
  const standalone = flags.standalone === true || relative(REPOSITORY_ROOT, root).startsWith('..');
  let files: Record<string, string>;
  try {
    files = scaffoldConnector({ name, kind: flags.kind, ...(standalone ? { standaloneSdkVersion: SDK_VERSION } : {}) });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (existsSync(root)) throw new UsageError(`${root} already exists`);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  process.stdout.write(standalone
    ? `created ${root} (standalone, @sourceline/sdk ^${SDK_VERSION})\nnext: cd ${root} && npm install && npx vitest run\n`
    : `created ${root}\nnext: pnpm install, then pnpm vitest run --project ${name}\n`);
}

export async function runSimulator(flags: SimulatorFlags): Promise<void> {
  // Loaded on demand: the simulator generates a world, which `connector parse` and `new` should not pay for.
  const { startOpenDentalSimulator, typicalFaults } = await import('@sourceline/connector-open-dental/simulator');
  const mode = flags.mode === 'service' ? 'service' : flags.mode === 'remote' ? 'remote' : undefined;
  const throttle = flags.throttle === 'hold' || flags.throttle === 'reject' || flags.throttle === 'off' ? flags.throttle : undefined;
  if (!mode) throw new UsageError('--mode must be remote or service');
  if (!throttle) throw new UsageError('--throttle must be off, hold or reject');
  const number = (value: string, flag: string) => {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number`);
    return n;
  };
  const skewMinutes = flags.skewMinutes === '' ? (flags.faults ? -7 : 0) : number(flags.skewMinutes, '--skew-minutes');
  const sim = await startOpenDentalSimulator({
    port: number(flags.port, '--port'), host: flags.host, seed: number(flags.seed, '--seed'), patients: number(flags.patients, '--patients'),
    months: number(flags.months, '--months'), mode, throttle, faults: flags.faults ? typicalFaults : {}, clockSkewMs: skewMinutes * 60_000,
  });
  const practice = sim.world.practices[0]!;
  process.stdout.write([
    `Open Dental simulator: ${practice.name} (${practice.patients.length} patients, ${practice.procedures.length} procedures, ${practice.timeZone})`,
    `  base URL      ${sim.baseUrl}`,
    '  developer key sim-developer-key',
    '  customer key  sim-customer-key (Full), sim-readall-key (Read All), sim-disabled-key (disabled)',
    `  faults        ${flags.faults ? 'on (429, 500, slow pages, page drift)' : 'off'}; clock skew ${skewMinutes} min; throttle ${throttle}`,
    'Ctrl-C to stop.',
  ].join('\n') + '\n');
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      void sim.close().then(() => resolveStop());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
