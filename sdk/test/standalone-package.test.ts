import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The SDK is a package a third party depends on alone: packed as it would be published, installed into a folder
// outside the workspace, loaded by plain Node (no TypeScript loader), and used by a standalone scaffolded connector
// whose typecheck and test-kit tests pass against the packed build.
const SDK = fileURLToPath(new URL('..', import.meta.url));
const fromWorkspace = createRequire(join(SDK, 'package.json'));
/** Only the SDK comes from the pack; its dependency and the connector's tools are the registry's packages. */
const TOOLS = ['zod', 'vitest', 'typescript', '@types/node'];

let scratch: string;
let packed: string;

function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

/** A package folder whose node_modules hold the packed SDK and the named tools. */
function install(into: string): void {
  mkdirSync(join(into, 'node_modules', '@sourceline'), { recursive: true });
  symlinkSync(packed, join(into, 'node_modules', '@sourceline', 'sdk'), 'dir');
  for (const tool of TOOLS) {
    const target = join(into, 'node_modules', tool);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(dirname(fromWorkspace.resolve(`${tool}/package.json`)), target, 'dir');
  }
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'sourceline-sdk-pack-'));
  const pack = run('pnpm', ['pack', '--pack-destination', scratch], SDK);
  expect(pack.status, pack.output).toBe(0);
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'))!;
  expect(run('tar', ['xzf', tarball], scratch).status).toBe(0);
  packed = join(scratch, 'sdk');
  renameSync(join(scratch, 'package'), packed);
  // The SDK's own dependency, where a package manager would hoist it (beside the package, not inside a consumer).
  mkdirSync(join(scratch, 'node_modules'));
  symlinkSync(dirname(fromWorkspace.resolve('zod/package.json')), join(scratch, 'node_modules', 'zod'), 'dir');
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the SDK as a published package', () => {
  it('ships built JavaScript with declarations, and its exports point at them', () => {
    const files = filesUnder(packed);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/testkit/index.js');
    expect(files).toContain('README.md');
    // Sources and tests stay home: only JavaScript and declarations.
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.includes('.test.'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(packed, 'package.json'), 'utf8')) as { exports: Record<string, { default: string; types: string }>; dependencies: Record<string, string> };
    for (const [entry, target] of Object.entries(manifest.exports)) {
      expect(files, entry).toContain(target.default.replace(/^\.\//, ''));
      expect(files, entry).toContain(target.types.replace(/^\.\//, ''));
    }
    expect(Object.keys(manifest.dependencies)).toEqual(['zod']);
  });

  it('loads in plain Node and validates records', () => {
    const consumer = join(scratch, 'consumer');
    mkdirSync(consumer);
    install(consumer);
    writeFileSync(join(consumer, 'package.json'), '{ "type": "module", "private": true }\n');
    writeFileSync(join(consumer, 'check.mjs'), `
      import { defineConnector, validateRecords, FatalError } from '@sourceline/sdk';
      import { runStream } from '@sourceline/sdk/testkit';
      import { z } from 'zod';
      const connector = defineConnector({ id: 'plain-node', kind: 'lead-source', displayName: 'Plain Node', settings: z.object({}) });
      const { valid, issues } = validateRecords('spend', [{ id: 'x' }]);
      console.log(JSON.stringify({ id: connector.id, valid: valid.length, issues: issues.length, fatal: new FatalError('no').name, runStream: typeof runStream }));
    `);
    const result = run(process.execPath, ['check.mjs'], consumer);
    expect(result.status, result.output).toBe(0);
    expect(JSON.parse(result.output.trim())).toEqual({ id: 'plain-node', valid: 0, issues: expect.any(Number), fatal: 'FatalError', runStream: 'function' });
    expect(JSON.parse(result.output.trim()).issues).toBeGreaterThan(0);
  });

  it('scaffolds a standalone connector whose typecheck and test-kit tests pass against the packed build', async () => {
    const { scaffoldConnector } = (await import(join(packed, 'dist', 'scaffold', 'index.js'))) as typeof import('../src/scaffold/index.ts');
    const connector = join(scratch, 'acme-leads');
    for (const [path, content] of Object.entries(scaffoldConnector({ name: 'acme-leads', kind: 'lead-source', standaloneSdkVersion: '0.1.0' }))) {
      mkdirSync(dirname(join(connector, path)), { recursive: true });
      writeFileSync(join(connector, path), content);
    }
    expect(JSON.parse(readFileSync(join(connector, 'package.json'), 'utf8')).dependencies['@sourceline/sdk']).toBe('^0.1.0');
    install(connector);
    const typecheck = run(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], connector);
    expect(typecheck.status, typecheck.output).toBe(0);
    const tests = run(process.execPath, [join('node_modules', 'vitest', 'vitest.mjs'), 'run'], connector);
    expect(tests.status, tests.output).toBe(0);
    expect(tests.output).toMatch(/Tests\s+\d+ passed/);
  }, 120_000);
});
