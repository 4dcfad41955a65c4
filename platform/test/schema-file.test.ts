import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { printedSchema } from '../src/graphql/print-schema.ts';

it('keeps the checked-in schema.graphql identical to the schema the server builds (run `pnpm generate`)', async () => {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema.graphql');
  expect(await readFile(file, 'utf8')).toBe(printedSchema());
});
