import { fileURLToPath } from "node:url";
import type { CodegenConfig } from "@graphql-codegen/cli";

// Paths are resolved from this file, not the working directory, so the repository's root codegen.ts can re-export
// this config unchanged and both `pnpm --filter @sourceline/web codegen` and a root run write the same files.
const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

const config = {
  // The checked-in SDL, printed from the platform's Pothos schema by `pnpm --filter @sourceline/platform generate`.
  schema: here("../schema.graphql"),
  documents: [here("app/**/*.{ts,tsx}"), `!${here("app/gql/**")}`],
  ignoreNoDocuments: true,
  generates: {
    [here("app/gql/")]: {
      preset: "client",
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: "string" } },
      presetConfig: { fragmentMasking: false },
    },
  },
} satisfies CodegenConfig;

export default config;
