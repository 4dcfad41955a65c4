import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Migrations are plain SQL (../migrations); Prisma only generates the typed client. Its native schema engine cannot be
// downloaded offline and is never needed, so point it at a script that says so instead of letting it try.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve(import.meta.dirname, '../tools/no-schema-engine.sh');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/sourceline' },
});
