import { startOpenDentalSimulator, type OpenDentalSimulator } from "@sourceline/connector-open-dental/simulator";
import { demoFieldMaps, renderGravityFormsDeliveries } from "@sourceline/connector-gravity-forms/fake";
import { generateWorld, type DemoPractice } from "@sourceline/sdk/testkit";
import pg from "pg";
import { adminClient, inviteUser, plainId, uniqueEmail, type ApiClient } from "./support/api";
import { expect, expectNoSeriousA11yViolations, open, signIn, test } from "./support/fixtures";
import { readServerState, seed } from "./support/state";

/**
 * A practice with its records flowing in for real: an Open Dental office (simulator) synced through the connector, and
 * its website's form entries delivered to the Gravity Forms webhook endpoint. Matching and attribution run in the
 * product's worker; the reports read what they stored.
 */
const WORLD_SEED = 41;
let simulator: OpenDentalSimulator;
let world: DemoPractice;
let practice: { gid: string; id: string; name: string };

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function seedPractice(admin: ApiClient): Promise<void> {
  const { agencies } = seed();
  const name = `Meadowbrook Dental ${Date.now().toString(36)}`;
  const { createPractice } = await admin.request<{ createPractice: { id: string } }>(
    'mutation($a: ID!, $n: String!) { createPractice(agencyId: $a, name: $n, timeZone: "America/Denver") { id } }',
    { a: agencies.northside.gid, n: name },
  );
  practice = { gid: createPractice.id, id: plainId(createPractice.id), name };

  const settings = { baseUrl: simulator.baseUrl, developerKey: "sim-developer-key", customerKey: "sim-customer-key", mode: "service", timeZone: "America/Denver" };
  const od = await admin.request<{ createConnection: { id: string } }>(
    'mutation($p: ID!, $s: String!) { createConnection(practiceId: $p, connectorId: "open-dental", settings: $s) { id } }',
    { p: practice.gid, s: JSON.stringify(settings) },
  );
  // Paused so the scheduler leaves it alone once this worker's simulator stops; synced once, now.
  await admin.request("mutation($id: ID!) { updateConnection(id: $id, paused: true) { id } }", { id: od.createConnection.id });
  await admin.request("mutation($id: ID!) { syncConnectionNow(id: $id) { id } }", { id: od.createConnection.id });
  await waitFor(
    "the charts to be matched",
    () => matchingOf(admin),
    (m) => m.fittedAt !== null && m.charts > 0,
  );

  const webhookSecret = "e2e-meadowbrook-gravity-secret";
  const forms = await admin.request<{ createConnection: { webhooks: Array<{ name: string; url: string | null }> } }>(
    'mutation($p: ID!, $s: String!) { createConnection(practiceId: $p, connectorId: "gravity-forms", settings: $s) { webhooks { name url } } }',
    { p: practice.gid, s: JSON.stringify({ siteUrl: world.website, webhookSecret, forms: demoFieldMaps }) },
  );
  const url = forms.createConnection.webhooks.find((w) => w.name === "entry")!.url!;
  const deliveries = renderGravityFormsDeliveries(world, { webhookSecret });
  for (const { request } of deliveries) {
    const response = await fetch(new URL(new URL(url).pathname, readServerState().baseUrl), { method: "POST", headers: request.headers, body: request.body });
    expect(response.status).toBe(200);
  }
  await waitFor(
    "the leads to be matched and attributed",
    async () => ({ matching: await matchingOf(admin), newPatients: await newPatientsOf(admin) }),
    (s) => s.matching.pendingLeads === 0 && s.matching.leads >= deliveries.length && s.matching.links > 0 && s.newPatients > 0,
  );
}

async function matchingOf(admin: ApiClient) {
  const { node } = await admin.request<{ node: { matching: { fittedAt: string | null; charts: number; leads: number; links: number; pendingLeads: number } } }>(
    "query($id: ID!) { node(id: $id) { ... on Practice { matching { fittedAt charts leads links pendingLeads } } } }",
    { id: practice.gid },
  );
  return node.matching;
}

async function newPatientsOf(admin: ApiClient) {
  const { node } = await admin.request<{ node: { markovModel: { practiceJourneys: number } | null } }>(
    "query($id: ID!) { node(id: $id) { ... on Practice { markovModel { practiceJourneys } } } }",
    { id: practice.gid },
  );
  return node.markovModel?.practiceJourneys ?? 0;
}

/** One pair left for a person, as the engine leaves the pairs it cannot decide: the queue's screens need one. */
async function queuePairForReview(): Promise<void> {
  const client = new pg.Client({ connectionString: readServerState().ownerUrl });
  await client.connect();
  try {
    await client.query("SET ROLE sourceline_system");
    await client.query(
      `INSERT INTO lead_matches (lead_id, patient_id, practice_id, decision, confidence, method, explanation)
       SELECT l.id, p.id, l.practice_id, 'review', 0.31, 'name_date',
              '{"role":"contact","alternative":"stranger","priorWeight":-3,"totalWeight":-0.8,"confidence":0.31,"comparisons":[{"comparison":"surname","outcome":"exact","weight":2.2}]}'
         FROM leads l JOIN patients p ON p.practice_id = l.practice_id AND p.first_visit_on IS NOT NULL
        WHERE l.practice_id = $1 AND NOT EXISTS (SELECT 1 FROM lead_matches m WHERE m.lead_id = l.id AND m.patient_id = p.id)
        ORDER BY l.id, p.id LIMIT 1`,
      [practice.id],
    );
  } finally {
    await client.end();
  }
}

test.describe.serial("reports", () => {
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    const today = new Date().toISOString().slice(0, 10);
    const generated = generateWorld({ seed: WORLD_SEED, asOf: today, practices: [{ name: "Meadowbrook Dental", timeZone: "America/Denver", locations: 1, patients: 300, months: 8 }] });
    world = generated.practices[0]!;
    simulator = await startOpenDentalSimulator({ world: generated, practiceIndex: 0, mode: "service" });
    await seedPractice(await adminClient());
  });
  test.afterAll(async () => {
    await simulator?.close();
  });

  test("the agency console lists the practice with its figures; it sorts and filters", async ({ page }) => {
    const { admin, agencies } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.northside.id}`);
    const table = page.getByRole("region", { name: "Practices" });
    const row = table.getByRole("row", { name: new RegExp(practice.name) });
    await expect(row).toBeVisible();
    await expect(row.getByRole("cell").nth(2)).not.toHaveText("$0");
    await expect(row.getByRole("img", { name: /New patients in/ })).toBeVisible();

    await page.getByLabel("Filter practices").fill("Meadowbrook");
    await expect(table.getByRole("row")).toHaveCount(1 + (await table.getByRole("row", { name: /Meadowbrook/ }).count()));
    await table.getByRole("button", { name: "Leads" }).click();
    await expect(table.getByRole("columnheader", { name: /Leads/ })).toHaveAttribute("aria-sort", "descending");
    await expectNoSeriousA11yViolations(page, "agency console");

    await row.getByRole("link", { name: practice.name }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(practice.name);
  });

  test("the practice dashboard shows the range's figures by channel; range and model change them", async ({ page }) => {
    const { admin, agencies } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.northside.id}/p/${practice.id}`);
    const kpis = page.locator("dl").first();
    await expect(kpis.getByText("New patients")).toBeVisible();
    const byChannel = page.getByRole("region", { name: "By channel" });
    await expect(byChannel.getByRole("table")).toContainText("Unattributed");
    await expect(byChannel.locator("svg.recharts-surface")).toBeVisible();
    await expectNoSeriousA11yViolations(page, "practice dashboard");

    await page.getByLabel("Attribution model").selectOption("FIRST_TOUCH");
    await expect(page).toHaveURL(/model=FIRST_TOUCH/);
    await expect(byChannel).toContainText("Credited under First touch");

    await page.getByLabel("Date range").selectOption("last-month");
    await expect(page).toHaveURL(/range=last-month/);
    await page.getByLabel("Date range").selectOption("custom");
    await page.getByLabel("From").fill(world.startDate);
    await page.getByLabel("To").fill(new Date().toISOString().slice(0, 10));
    await expect(page).toHaveURL(/range=custom/);
    await expect(byChannel.getByRole("row")).not.toHaveCount(1);
  });

  test("an analyst follows a review pair to the patient's timeline, then resolves it with one key", async ({ page }) => {
    await queuePairForReview();
    const { admin, agencies } = seed();
    await signIn(page, admin);
    const queueUrl = `/a/${agencies.northside.id}/p/${practice.id}/review`;
    await open(page, queueUrl);
    const pairs = page.getByRole("list", { name: "Pairs to review" }).getByRole("article");
    await expect(pairs.first()).toBeVisible();
    // The engine may leave pairs of its own besides the one queued above.
    const waiting = await pairs.count();
    await expect(pairs.first().getByRole("region", { name: "The evidence" })).toContainText("%");
    await expectNoSeriousA11yViolations(page, "review queue");

    await pairs.first().getByRole("region", { name: "The patient" }).getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("");
    await expect(page.getByRole("region", { name: "How this patient is credited" })).toBeVisible();
    const matched = page.getByRole("region", { name: "Leads matched to this patient" });
    await expect(matched.getByText("Waiting for review")).toBeVisible();
    await expectNoSeriousA11yViolations(page, "patient timeline");

    await open(page, queueUrl);
    for (let left = waiting; left > 0; left -= 1) {
      await pairs.first().focus();
      await page.keyboard.press("n");
      if (left > 1) await expect(pairs).toHaveCount(left - 1);
    }
    await expect(page.getByText("Nothing to review")).toBeVisible();
    await open(page, `/a/${agencies.northside.id}/p/${practice.id}`);
    await expect(page.getByRole("region", { name: "Matching" }).getByRole("link", { name: /^Review/ })).toHaveCount(0);
  });

  test("a viewer sees the figures, and neither the review queue nor any patient", async ({ page, consoleErrors }) => {
    const { agencies } = seed();
    const admin = await adminClient();
    const viewer = await inviteUser(admin, { email: uniqueEmail("meadowbrook.viewer"), displayName: "Vera Viewer", password: "just looking at numbers", role: "VIEWER", practiceId: practice.gid });
    await signIn(page, viewer);
    await open(page, `/a/${agencies.northside.id}/p/${practice.id}`);
    await expect(page.getByRole("region", { name: "By channel" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Review queue" })).toHaveCount(0);
    const html = await page.content();
    for (const patient of world.patients.slice(0, 40)) expect(html).not.toContain(`${patient.firstName} ${patient.lastName}`);
    consoleErrors.allow(/403/);
    await page.goto(`/a/${agencies.northside.id}/p/${practice.id}/review`);
    await expect(page.getByText("You do not have permission to do this.")).toBeVisible();
  });
});
