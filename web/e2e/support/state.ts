import { existsSync, readFileSync } from "node:fs";
import type { ReportsSeed } from "./reports-seed";

/** Written by scripts/e2e-server.mjs once the product has started on its fresh data directory. */
export interface ServerState {
  baseUrl: string;
  dataDir: string;
  pgPort: number;
  email: string;
  password: string;
  ownerUrl: string;
}

export function stateFile(): string {
  const file = process.env.E2E_STATE_FILE;
  if (!file) throw new Error("E2E_STATE_FILE is not set: run the tests through playwright.config.ts");
  return file;
}

export async function waitForServerState(timeoutMs = 15_000): Promise<ServerState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(stateFile())) return readServerState();
    if (Date.now() > deadline) throw new Error(`the e2e server did not write ${stateFile()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function readServerState(): ServerState {
  return JSON.parse(readFileSync(stateFile(), "utf8")) as ServerState;
}

/** What global-setup created, handed to the workers through the environment. */
export interface Seed {
  admin: { email: string; password: string };
  agencies: Record<"harbor" | "northside", { id: string; gid: string; name: string }>;
  practices: Record<"brightSmiles" | "lakeside" | "northsidePeds", { id: string; gid: string; name: string; agencyKey: "harbor" | "northside" }>;
  locations: Record<"downtown" | "uptown" | "mainStreet" | "cherryCreek", { id: string; gid: string; name: string; practiceKey: string }>;
  reports: ReportsSeed;
}

export function seed(): Seed {
  const raw = process.env.E2E_SEED;
  if (!raw) throw new Error("E2E_SEED is not set: global-setup did not run");
  return JSON.parse(raw) as Seed;
}
