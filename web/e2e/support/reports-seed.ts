import { startOpenDentalSimulator } from "@sourceline/connector-open-dental/simulator";
import { demoFieldMaps, renderGravityFormsDeliveries } from "@sourceline/connector-gravity-forms/fake";
import { generateWorld } from "@sourceline/sdk/testkit";
import pg from "pg";
import { plainId, type ApiClient } from "./api";
import { readServerState } from "./state";

/** The practice the report specs read, and what they need to know of its world. */
export interface ReportsSeed {
  practice: { id: string; gid: string; name: string };
  /** The first day of the world's history (YYYY-MM-DD). */
  startDate: string;
  /** Some patients' full names: a viewer's pages must show none of them. */
  patientNames: string[];
  /** Names and e-mail addresses people typed into the website's forms: nor these. */
  leadContacts: string[];
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The practice's pipeline, read as the system role: leads landed, leads waiting to be matched, and whether attribution
 * caught up — it has run, and no change it must take in is still noted (a run over the changes alone does not move the
 * full run's `computed_at`, so comparing that with the links' times waited forever whenever the first full run came
 * before the forms were matched).
 */
async function pipeline(practiceId: string) {
  const client = new pg.Client({ connectionString: readServerState().ownerUrl });
  await client.connect();
  try {
    await client.query("SET ROLE sourceline_system");
    const { rows } = await client.query<{ leads: number; pending: number; links: number; attributed: boolean }>(
      `SELECT (SELECT count(*)::int FROM leads WHERE practice_id = $1) AS leads,
              (SELECT count(*)::int FROM leads WHERE practice_id = $1 AND match_state IS DISTINCT FROM lead_settle_key(content_hash, deleted_at)) AS pending,
              (SELECT count(*)::int FROM lead_matches WHERE practice_id = $1 AND decision = 'link') AS links,
              EXISTS (SELECT 1 FROM attribution_runs WHERE practice_id = $1)
                AND NOT EXISTS (SELECT 1 FROM attribution_changes WHERE practice_id = $1) AS attributed`,
      [practiceId],
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

/**
 * A practice whose records flow in for real: an Open Dental office (simulator) synced once through the connector, and
 * the same world's website form entries delivered to the Gravity Forms webhook endpoint. Waits until the product's
 * worker has matched and attributed them, so the specs run against a quiet server.
 */
/** The simulated world of the reports' practice as of `asOf`: the same every time for the same day. */
export function reportsWorld(asOf: string) {
  return generateWorld({ seed: 41, asOf, practices: [{ name: "Meadowbrook Dental", timeZone: "America/Denver", locations: 1, patients: 200, months: 8 }] });
}

export async function seedReportsPractice(admin: ApiClient, agencyGid: string): Promise<ReportsSeed> {
  const today = new Date().toISOString().slice(0, 10);
  const generated = reportsWorld(today);
  const world = generated.practices[0]!;
  const simulator = await startOpenDentalSimulator({ world: generated, practiceIndex: 0, mode: "service" });
  try {
    const { createPractice } = await admin.request<{ createPractice: { id: string; name: string } }>(
      'mutation($a: ID!) { createPractice(agencyId: $a, name: "Meadowbrook Dental", timeZone: "America/Denver") { id name } }',
      { a: agencyGid },
    );
    const practice = { id: plainId(createPractice.id), gid: createPractice.id, name: createPractice.name };

    const settings = { baseUrl: simulator.baseUrl, developerKey: "sim-developer-key", customerKey: "sim-customer-key", mode: "service", timeZone: "America/Denver" };
    const od = await admin.request<{ createConnection: { id: string } }>(
      'mutation($p: ID!, $s: String!) { createConnection(practiceId: $p, connectorId: "open-dental", settings: $s) { id } }',
      { p: practice.gid, s: JSON.stringify(settings) },
    );
    // Paused so the scheduler leaves it alone once the simulator stops; synced once, now.
    await admin.request("mutation($id: ID!) { updateConnection(id: $id, paused: true) { id } }", { id: od.createConnection.id });
    await admin.request("mutation($id: ID!) { syncConnectionNow(id: $id) { id } }", { id: od.createConnection.id });
    const charts = () =>
      admin.request<{ node: { matching: { fittedAt: string | null; charts: number } } }>("query($id: ID!) { node(id: $id) { ... on Practice { matching { fittedAt charts } } } }", {
        id: practice.gid,
      });
    await waitFor("the charts to be synced and matched", charts, (d) => d.node.matching.charts > 0);

    const webhookSecret = "e2e-meadowbrook-gravity-secret";
    const forms = await admin.request<{ createConnection: { webhooks: Array<{ name: string; url: string | null }> } }>(
      'mutation($p: ID!, $s: String!) { createConnection(practiceId: $p, connectorId: "gravity-forms", settings: $s) { webhooks { name url } } }',
      { p: practice.gid, s: JSON.stringify({ siteUrl: world.website, webhookSecret, forms: demoFieldMaps }) },
    );
    const path = new URL(forms.createConnection.webhooks.find((w) => w.name === "entry")!.url!).pathname;
    const deliveries = renderGravityFormsDeliveries(world, { webhookSecret });
    for (const { request } of deliveries) {
      const response = await fetch(new URL(path, readServerState().baseUrl), { method: "POST", headers: request.headers, body: request.body });
      if (response.status !== 200) throw new Error(`a form entry was refused (${response.status}): ${await response.text()}`);
    }
    await waitFor(
      "the form leads to be matched and attributed",
      () => pipeline(practice.id),
      (p) => p.leads === deliveries.length && p.pending === 0 && p.links > 0 && p.attributed,
    );
    return {
      practice,
      startDate: world.startDate,
      patientNames: world.patients.slice(0, 40).map((p) => `${p.firstName} ${p.lastName}`),
      leadContacts: world.leads
        .filter((l) => l.kind === "form" && !l.isSpam)
        .flatMap((l) => [l.name, l.email])
        .filter((value): value is string => Boolean(value && value.length > 5))
        .slice(0, 60),
    };
  } finally {
    await simulator.close();
  }
}
