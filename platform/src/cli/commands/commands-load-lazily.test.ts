import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// A command module that imports its implementation makes every `sourceline` invocation load it: through tsx, the
// API and worker alone took ~8 s of CPU before `--help` printed.
describe('sourceline command modules', () => {
  const dir = new URL('./', import.meta.url);
  const modules = readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));

  it.each(modules)('%s imports nothing at load time but commander’s types and its sibling declarations', (file) => {
    const source = readFileSync(new URL(file, dir), 'utf8');
    const loaded = [...source.matchAll(/^import (?!type )(?:[^;]*? from )?'([^']+)';$/gms)].map((m) => m[1]);
    expect(loaded.filter((specifier) => !/^\.\/[a-z-]+\.ts$/.test(specifier!))).toEqual([]);
  });
});
