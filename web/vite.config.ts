import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  // tsconfig `paths` alone does not reach Rollup: "~/…" imports need the alias here too.
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  // `remix vite:dev` only: the API runs in the platform process (`pnpm sourceline start`).
  server: {
    proxy: Object.fromEntries(["/graphql", "/exports"].map((path) => [path, process.env.GRAPHQL_ORIGIN ?? "http://127.0.0.1:3000"])),
  },
  // Pre-bundled up front, so the first page load in dev does not reload mid-way.
  optimizeDeps: { include: ["urql", "@urql/core", "qrcode", "recharts"] },
  plugins: [
    tailwindcss(),
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
});
