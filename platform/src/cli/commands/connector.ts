import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { findEndpoint, type ParseResult } from '@sourceline/sdk';
import { scaffoldConnector } from '@sourceline/sdk/scaffold';
import { allConnectors, findConnector, listConnectors } from '../../connections/registry.ts';
import { UsageError } from '../usage-error.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The SDK a standalone connector depends on: the version this repository would publish. */
const SDK_VERSION = (JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'sdk', 'package.json'), 'utf8')) as { version: string }).version;

interface ParseFlags {
  settings?: string;
  timeZone?: string;
}

interface NewFlags {
  kind: string;
  dir: string;
  standalone?: boolean;
}

interface SimulatorFlags {
  port: string;
  host: string;
  seed: string;
  patients: string;
  months: string;
  mode: string;
  faults?: boolean;
  throttle: string;
  skewMinutes: string;
}

/**
 * `sourceline connector …` (list, parse, new) and `sourceline simulator open-dental`: the tools a connector author
 * and support use without a database.
 */
export function registerConnectorCommand(program: Command): void {
  const connector = program.command('connector').description('inspect, test and scaffold connectors');

  connector
    .command('list')
    .description('list installed connectors, their streams and webhooks')
    .action(() => {
      for (const c of listConnectors()) {
        process.stdout.write(`${c.id}\t${c.kind}\t${c.status}\t${c.displayName}\n`);
        for (const s of c.streams) process.stdout.write(`  stream  ${s.name} → ${s.emits.join(', ')}\n`);
        for (const w of c.webhooks) process.stdout.write(`  webhook ${w.name}\n`);
      }
    });

  connector
    .command('parse')
    .description('run a connector’s parser on a saved API response or webhook body (no network, no database) and print canonical records as JSON')
    .argument('<connector>', 'connector id, e.g. open-dental')
    .argument('<stream-or-webhook>', 'stream or webhook name, e.g. procedures')
    .argument('<file>', 'the saved response or body')
    .option('--settings <json>', 'settings the parser may need, as JSON (secrets are not needed)')
    .option('--time-zone <zone>', 'the practice’s IANA time zone (shorthand for --settings {"timeZone":…})')
    .action((id: string, name: string, file: string, flags: ParseFlags) => runParse(id, name, file, flags));

  connector
    .command('new')
    .description('scaffold a new connector package with settings, a stream, a fixture and test-kit tests')
    .argument('<name>', 'kebab-case connector id, e.g. acme-leads')
    .option('--kind <kind>', 'pms or lead-source', 'lead-source')
    .option('--dir <dir>', 'where connector packages live', 'connectors')
    .option('--standalone', 'a package outside this repository, depending on the published SDK (the default when --dir is outside it)')
    .action((name: string, flags: NewFlags) => runNew(name, flags));

  const simulator = program.command('simulator').description('run a source simulator for demos, tests and benchmarks');
  simulator
    .command('open-dental')
    .description('serve a seeded Open Dental office over HTTP (the real API’s paging, auth, quirks and, with --faults, its failures)')
    .option('--port <port>', 'port to listen on (0 picks one)', '8089')
    .option('--host <host>', 'address to bind (loopback by default)', '127.0.0.1')
    .option('--seed <seed>', 'demo-world seed: same seed, same office', '1')
    .option('--patients <n>', 'patients in the office', '2000')
    .option('--months <n>', 'months of history', '12')
    .option('--mode <mode>', 'remote (100-row pages) or service (1000-row pages)', 'remote')
    .option('--faults', '429 with Retry-After, intermittent 500s, slow pages, rows changing while paging, clock skew')
    .option('--throttle <mode>', 'off, hold or reject (Remote per-key throttling)', 'off')
    .option('--skew-minutes <n>', 'office clock minus ours, in minutes (default 7 behind with --faults)', '')
    .action((flags: SimulatorFlags) => runSimulator(flags));
}

async function runParse(id: string, name: string, file: string, flags: ParseFlags): Promise<void> {
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

async function runNew(name: string, flags: NewFlags): Promise<void> {
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

async function runSimulator(flags: SimulatorFlags): Promise<void> {
  // Loaded on demand: the simulator generates a world, which other commands should not pay for.
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
