import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { printedSchema } from '../src/graphql/print-schema.ts';

// `pnpm schema` (root) prints schema.graphql and regenerates the web's typed documents; `pnpm generate` does not print it.
it('keeps the checked-in schema.graphql identical to the schema the server builds (run `pnpm schema`)', async () => {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema.graphql');
  expect(await readFile(file, 'utf8'), 'schema.graphql is stale: run `pnpm schema` at the repository root and commit the result').toBe(printedSchema());
});
