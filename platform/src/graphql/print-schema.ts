import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { printSchema } from 'graphql';
import { schema } from './schema.ts';

/** Writes the checked-in SDL that codegen and API consumers read; a test fails when it is stale. */
export function printedSchema(): string {
  return `${printSchema(schema)}\n`;
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const out = process.argv[2] ?? 'schema.graphql';
  await writeFile(out, printedSchema());
}
