import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { readServerState } from "./state";

interface GraphQLResponse<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * A tiny GraphQL client for seeding over HTTP, as a browser would: it keeps the cookies the server sets (session and
 * the double-submit CSRF cookie) and echoes `sl_csrf` in `x-csrf-token` on every POST.
 */
export class ApiClient {
  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  private remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=thu, 01 jan 1970/i.test(header) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    // Any response past the health check sets the CSRF cookie; a trivial GET query is the cheapest.
    if (!this.cookies.has("sl_csrf")) this.remember(await fetch(`${this.baseUrl}/graphql?query=${encodeURIComponent("{ __typename }")}`));
    const response = await fetch(`${this.baseUrl}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: this.cookieHeader(),
        "x-csrf-token": decodeURIComponent(this.cookies.get("sl_csrf") ?? ""),
      },
      body: JSON.stringify({ query, variables }),
    });
    this.remember(response);
    const body = (await response.json()) as GraphQLResponse<T>;
    if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => `${e.message} (${e.extensions?.code})`).join("; ")}`);
    return body.data as T;
  }

  async login(email: string, password: string): Promise<string> {
    const data = await this.request<{ login: string }>("mutation($e: String!, $p: String!) { login(email: $e, password: $p) }", { e: email, p: password });
    return data.login;
  }
}

/** The Relay global id's plain id, as the web app's URLs use it. */
export function plainId(globalId: string): string {
  const decoded = Buffer.from(globalId, "base64").toString("utf8");
  return decoded.slice(decoded.indexOf(":") + 1);
}

const claimed = new Set<string>();

/**
 * The newest e-mail to `to` whose subject contains `subject`, from the product's local outbox (`<DATA_DIR>/outbox`,
 * used when no SMTP_URL is set). Delivery is a background job that runs once a minute; queueing it directly makes
 * the message arrive now instead.
 */
export async function readMail(to: string, subject: string, timeoutMs = 15_000): Promise<string> {
  const { ownerUrl, dataDir } = readServerState();
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query("SELECT graphile_worker.add_job('deliver_outbox')");
  } finally {
    await client.end();
  }
  const outbox = path.join(dataDir, "outbox");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = await readdir(outbox).catch(() => [] as string[]);
    const candidates: Array<{ file: string; text: string; mtime: number }> = [];
    for (const name of files) {
      const file = path.join(outbox, name);
      if (claimed.has(file)) continue;
      const text = await readFile(file, "utf8");
      if (text.includes(`\nTo: ${to}\n`) && new RegExp(`\\nSubject: [^\\n]*${subject}`).test(text)) {
        candidates.push({ file, text, mtime: (await stat(file)).mtimeMs });
      }
    }
    const newest = candidates.sort((a, b) => b.mtime - a.mtime)[0];
    if (newest) {
      claimed.add(newest.file);
      return newest.text;
    }
    if (Date.now() > deadline) throw new Error(`no e-mail to ${to} about "${subject}" arrived in ${outbox}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function invitationToken(email: string): Promise<string> {
  const mail = await readMail(email, "invited");
  const token = /\/invitations\/(\S+)/.exec(mail)?.[1];
  if (!token) throw new Error(`no invitation link in the e-mail to ${email}`);
  return token;
}

/**
 * Creates a user the way the product does: an admin invites the address, the e-mailed link is accepted with a name
 * and password. Returns the new user's credentials.
 */
export async function inviteUser(
  admin: ApiClient,
  input: { email: string; displayName: string; password: string; role: "ADMIN" | "ANALYST" | "VIEWER"; agencyId?: string; practiceId?: string },
): Promise<{ email: string; password: string; displayName: string }> {
  await admin.request(
    "mutation($email: String!, $role: Role!, $agencyId: ID, $practiceId: ID) { createInvitation(email: $email, role: $role, agencyId: $agencyId, practiceId: $practiceId) { id } }",
    { email: input.email, role: input.role, agencyId: input.agencyId ?? null, practiceId: input.practiceId ?? null },
  );
  const token = await invitationToken(input.email);
  const invitee = new ApiClient(admin.baseUrl);
  await invitee.request("mutation($t: String!, $n: String, $p: String) { acceptInvitation(token: $t, displayName: $n, password: $p) }", {
    t: token,
    n: input.displayName,
    p: input.password,
  });
  return { email: input.email, password: input.password, displayName: input.displayName };
}

/** A unique address per call, so specs (and re-runs against one server) never collide. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.test`;
}

export async function adminClient(): Promise<ApiClient> {
  const state = readServerState();
  const client = new ApiClient(state.baseUrl);
  const status = await client.login(state.email, state.password);
  if (status !== "SIGNED_IN") throw new Error(`the administrator could not sign in: ${status}`);
  return client;
}
