// GraphQL Code Generator for the repository. The schema is the checked-in SDL the platform prints (`pnpm schema`);
// each package's config resolves its own paths, so this file composes them. `pnpm codegen` (and so `pnpm generate`
// and `pnpm schema`) runs it with the web package's graphql-codegen.
import type { CodegenConfig } from '@graphql-codegen/cli';
import web from './web/codegen.ts';

export default {
  ...web,
  generates: { ...web.generates },
} satisfies CodegenConfig;
