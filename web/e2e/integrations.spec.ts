import type { Page } from "@playwright/test";
import { startOpenDentalSimulator, type OpenDentalSimulator } from "@sourceline/connector-open-dental/simulator";
import { adminClient, inviteUser, plainId, uniqueEmail, type ApiClient } from "./support/api";
import { expect, expectNoSeriousA11yViolations, open, signIn, test } from "./support/fixtures";
import { seed } from "./support/state";

// A small Open Dental office on a loopback port, in this worker's process: the product's worker syncs from it.
let simulator: OpenDentalSimulator;
test.beforeAll(async () => {
  simulator = await startOpenDentalSimulator({ mode: "service", patients: 60, months: 3, seed: 11 });
});
test.afterAll(async () => {
  await simulator?.close();
});

const KEYS = { developerKey: "sim-developer-key", customerKey: "sim-customer-key" };

/** A practice of its own (in the Northside agency, whose lists no other spec counts), so tests never share connections. */
async function newPractice(admin: ApiClient, name: string) {
  const { agencies } = seed();
  const { createPractice } = await admin.request<{ createPractice: { id: string } }>(
    "mutation($a: ID!, $n: String!) { createPractice(agencyId: $a, name: $n, timeZone: \"America/Los_Angeles\") { id } }",
    { a: agencies.northside.gid, n: `${name} ${Date.now().toString(36)}` },
  );
  return { gid: createPractice.id, url: `/a/${agencies.northside.id}/p/${plainId(createPractice.id)}/integrations` };
}

/**
 * Connects Open Dental through the API, paused: the product's scheduler would otherwise sync it in the background (and
 * keep retrying once this worker's simulator has stopped), competing with other specs for the CPU.
 */
async function connectOpenDental(admin: ApiClient, practiceGid: string, customerKey: string) {
  const settings = { baseUrl: simulator.baseUrl, ...KEYS, customerKey, mode: "service", timeZone: "America/Los_Angeles" };
  const { createConnection } = await admin.request<{ createConnection: { id: string } }>(
    "mutation($p: ID!, $s: String!) { createConnection(practiceId: $p, connectorId: \"open-dental\", settings: $s) { id } }",
    { p: practiceGid, s: JSON.stringify(settings) },
  );
  await admin.request("mutation($id: ID!) { updateConnection(id: $id, paused: true) { id } }", { id: createConnection.id });
  return plainId(createConnection.id);
}

const statusCard = (page: Page) => page.getByRole("region", { name: "Status" });
const runs = (page: Page) => page.getByRole("region", { name: "Sync runs" });

test.describe("integrations", () => {
  test("an admin connects Open Dental, tests it, syncs now and watches every run finish", async ({ page }) => {
    test.setTimeout(90_000);
    const admin = await adminClient();
    const practice = await newPractice(admin, "Seaside Smiles");
    await signIn(page, seed().admin);
    await open(page, practice.url);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Integrations");
    await expect(page.getByText("Nothing is connected yet")).toBeVisible();
    // Declared stubs are listed, but only as coming soon.
    const catalogue = page.getByRole("region", { name: "Add an integration" });
    for (const stub of ["Dentrix", "Eaglesoft"]) {
      const item = catalogue.getByRole("listitem").filter({ hasText: stub });
      await expect(item).toContainText("Coming soon");
      await expect(item.getByRole("link")).toHaveCount(0);
    }

    await catalogue.getByRole("link", { name: "Connect Open Dental" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Connect Open Dental");
    await page.locator('html[data-hydrated="true"]').waitFor();
    const address = page.getByLabel("API address");
    await expect(address).toHaveValue("https://api.opendental.com/api/v1");
    await page.getByLabel("API Service").check();
    await expect(address).toHaveValue("http://office-server:30223/api/v1");
    await address.fill(simulator.baseUrl);
    await page.getByLabel("Developer key").fill(KEYS.developerKey);
    await page.getByLabel("Customer key").fill(KEYS.customerKey);
    await expect(page.getByLabel("Office server's time zone")).toHaveValue("America/Los_Angeles");
    await page.getByRole("button", { name: "Connect Open Dental" }).click();

    await expect(page).toHaveURL(/\/integrations\/[0-9a-f-]{36}\?connected=1$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Open Dental");
    await expect(statusCard(page)).toContainText("Not checked yet");
    await page.locator('html[data-hydrated="true"]').waitFor();

    await statusCard(page).getByRole("button", { name: "Test connection" }).click();
    await expect(statusCard(page).getByRole("status").filter({ hasText: "The connection works" })).toContainText(
      "Connected: Open Dental answered, its server clock reads",
    );
    await expect(statusCard(page).getByText("Connected", { exact: true })).toBeVisible();

    // The page polls while runs are running (or the requested ones have not all started) and stops afterwards.
    const polls: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/graphql") && (request.postData() ?? request.url()).includes("ConnectionRuns")) polls.push(request.url());
    });
    await statusCard(page).getByRole("button", { name: "Sync now" }).click();
    // Each data set runs in turn; the status line follows them until the last one has finished.
    await expect(statusCard(page).getByRole("status").filter({ hasText: /Sync requested|Syncing|Waiting|Sync finished/ })).toBeVisible();
    await expect(statusCard(page).getByRole("status").filter({ hasText: "Sync finished" })).toHaveText(/Sync finished: \d+ data sets synced\./, {
      timeout: 60_000,
    });
    const finished = runs(page).getByRole("row").filter({ hasText: "Succeeded" });
    await expect.poll(() => finished.count()).toBeGreaterThanOrEqual(7);
    await expect(runs(page).getByRole("row").filter({ hasText: "Running" })).toHaveCount(0);
    expect(polls.length).toBeGreaterThan(0);

    // The scheduler may have started a first sync of the new connection before "Sync now": then the manual runs find
    // little new. Somewhere in the history, though, every record kind arrived.
    const rowsOf = (stream: string) => runs(page).getByRole("row").filter({ has: page.getByRole("cell", { name: stream, exact: true }) });
    await expect(runs(page).getByRole("row").filter({ hasText: "Sync now" }).first()).toBeVisible();
    for (const stream of ["Patients", "Appointments", "Procedures", "Payments", "Providers"]) {
      await expect(rowsOf(stream).filter({ hasText: /[1-9]\d* inserted · 0 updated · 0 deleted · 0 skipped/ })).toHaveCount(1);
    }
    await expect(statusCard(page)).toContainText(/Last synced (just now|\d+ minutes? ago)/);
    await expect(statusCard(page).locator("time")).toHaveAttribute("title", /\(America\/Los Angeles\)$/);

    const settled = polls.length;
    await page.waitForTimeout(2_200);
    expect(polls.length, "polling stopped once nothing runs").toBe(settled);
    await expectNoSeriousA11yViolations(page, "connection with run history");

    // The overview shows it connected, with the admin controls.
    await page.getByRole("link", { name: "Integrations" }).first().click();
    const card = page.getByRole("article", { name: "Open Dental" });
    await expect(card.getByText("Connected", { exact: true })).toBeVisible();
    await expect(card).toContainText(/Last synced (just now|\d+ minutes? ago)/);
    await expect(card.getByRole("button", { name: "Pause syncing" })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "integrations overview");
  });

  test("a wrong customer key: the test names the 401, the badge says to check credentials; fixing the key clears it", async ({ page }) => {
    const admin = await adminClient();
    const practice = await newPractice(admin, "Wrongkey Dental");
    const connectionId = await connectOpenDental(admin, practice.gid, "not-the-customer-key");
    await signIn(page, seed().admin);
    await open(page, `${practice.url}/${connectionId}`);

    await statusCard(page).getByRole("button", { name: "Test connection" }).click();
    const failure = statusCard(page).getByRole("alert").filter({ hasText: "The connection test failed" });
    await expect(failure).toContainText("Open Dental rejected the customer key (401)");
    await expect(statusCard(page)).toContainText("Check credentials");
    await expect(statusCard(page)).toContainText("customer key (401)");

    // Secrets are never shown back; a blank key keeps the stored one, so only the customer key is retyped.
    const settings = page.getByRole("region", { name: "Settings" });
    await expect(settings.getByLabel("Developer key")).toHaveValue("");
    await expect(settings.getByLabel("API address")).toHaveValue(simulator.baseUrl);
    await expect(settings.getByLabel("API Service")).toBeChecked();
    await settings.getByLabel("Customer key").fill(KEYS.customerKey);
    await settings.getByRole("button", { name: "Save settings" }).click();
    await expect(settings.getByRole("status")).toContainText("Saved.");
    await expect(statusCard(page)).toContainText("Not checked yet");
    await statusCard(page).getByRole("button", { name: "Test connection" }).click();
    await expect(statusCard(page).getByRole("status").filter({ hasText: "The connection works" })).toBeVisible();
    await expect(statusCard(page).getByText("Connected", { exact: true })).toBeVisible();

    // Resuming, pausing and the interval are saved and shown back (the helper connected it paused).
    await expect(statusCard(page).getByText("Paused", { exact: true })).toBeVisible();
    await statusCard(page).getByRole("button", { name: "Resume syncing" }).click();
    await expect(statusCard(page).getByText("Paused", { exact: true })).toHaveCount(0);
    await statusCard(page).getByRole("button", { name: "Pause syncing" }).click();
    await expect(statusCard(page).getByText("Paused", { exact: true })).toBeVisible();
    await statusCard(page).getByLabel("Sync every").selectOption("60");
    await statusCard(page).getByRole("button", { name: "Save", exact: true }).click();
    await expect(statusCard(page).getByRole("button", { name: /^(Save|Saving…)$/ })).toHaveCount(0);
    await page.reload();
    await expect(statusCard(page).getByLabel("Sync every")).toHaveValue("60");
    await expect(statusCard(page).getByRole("button", { name: "Resume syncing" })).toBeVisible();
  });

  test("other connectors take JSON settings: the API's complaints show at the field; webhook addresses are shown once", async ({ page }) => {
    const admin = await adminClient();
    const practice = await newPractice(admin, "Fieldcheck Dental");
    await signIn(page, seed().admin);
    await open(page, `${practice.url}/new/pms-csv`);
    // No typed form for this connector: JSON settings, which the API validates.
    const json = page.getByLabel("Settings (JSON)");
    await json.fill('{ "timeZone": "Mars/Olympus_Mons" }');
    await page.getByRole("button", { name: /^Connect / }).click();
    await expect(json).toHaveAttribute("aria-invalid", "true");
    await expect(json).toBeFocused();
    const problem = page.locator(`[id="${await json.getAttribute("id")}-error"]`);
    await expect(problem).toContainText("source:");
    await expect(problem).toContainText("timeZone: not an IANA time zone");
    await json.fill("not json");
    await page.getByRole("button", { name: /^Connect / }).click();
    await expect(problem).toContainText("Enter a JSON object");

    // A source that pushes: its secret webhook address is shown this once, with a copy button.
    await open(page, `${practice.url}/new/website`);
    await page.getByLabel("Settings (JSON)").fill('{ "allowedOrigins": ["https://www.fieldcheck.example"] }');
    await page.getByRole("button", { name: /^Connect / }).click();
    await expect(page.getByRole("heading", { name: "Copy the webhook address now" })).toBeFocused();
    await expect(page.getByText(/You won.t see this address again/)).toBeVisible();
    const first = (await page.getByTestId("webhook-url").textContent())!;
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/\S+\/collect$/);
    await expect(page.getByRole("button", { name: "Copy the collect address" })).toBeVisible();
    // The website connector is pasted into the practice's pages: the script tag comes ready, pointing at this address.
    const origin = new URL(first).origin;
    await expect(page.getByTestId("capture-snippet")).toHaveText(`<script async src="${origin}/s.js" data-collect="${first}"></script>`);
    await expect(page.getByRole("button", { name: "Copy the website snippet" })).toBeVisible();
    expect((await page.request.get(`${origin}/s.js`)).headers()["content-type"]).toMatch(/javascript/);
    await page.getByRole("button", { name: /^I have copied it/ }).click();
    await expect(page).toHaveURL(/\/integrations\/[0-9a-f-]{36}\?connected=1$/);
    const webhooks = page.getByRole("region", { name: "Webhooks" });
    await expect(webhooks).toContainText("Collect");
    await expect(page.getByTestId("webhook-url")).toHaveCount(0);
    // Nothing to sync or schedule for a source that only pushes.
    await expect(statusCard(page).getByRole("button", { name: "Sync now" })).toHaveCount(0);
    await expect(statusCard(page).getByLabel("Sync every")).toHaveCount(0);
    await page.locator('html[data-hydrated="true"]').waitFor();
    await webhooks.getByRole("button", { name: "Make new webhook addresses" }).click();
    await webhooks.getByRole("button", { name: "Yes, make new addresses" }).click();
    await expect(webhooks.getByTestId("webhook-url")).toHaveText(/\/hooks\/\S+\/collect$/);
    expect(await webhooks.getByTestId("webhook-url").textContent()).not.toBe(first);
    await webhooks.getByRole("button", { name: "I have copied them" }).click();
    await expect(page.getByTestId("webhook-url")).toHaveCount(0);
  });

  test("viewers see status and history, but no settings and no admin buttons", async ({ page, consoleErrors }) => {
    const admin = await adminClient();
    const practice = await newPractice(admin, "Viewonly Dental");
    const connectionId = await connectOpenDental(admin, practice.gid, KEYS.customerKey);
    const viewer = await inviteUser(admin, {
      email: uniqueEmail("integrations.viewer"),
      displayName: "Val Viewer",
      password: "correct horse battery staple",
      role: "VIEWER",
      practiceId: practice.gid,
    });
    await signIn(page, viewer);
    await open(page, practice.url);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Integrations" })).toBeVisible();
    const card = page.getByRole("article", { name: "Open Dental" });
    await expect(card).toContainText("Not checked yet");
    await expect(card).toContainText("Paused: no scheduled syncs");
    await expect(card.getByRole("button")).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Available integrations" }).getByRole("link")).toHaveCount(0);
    await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);

    await card.getByRole("link", { name: "Run history of Open Dental" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Open Dental");
    await expect(page.getByRole("region", { name: "Run history" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Settings" })).toHaveCount(0);
    await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);
    await expect(page.getByLabel("Customer key")).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, "connection page as a viewer");
    expect(connectionId).toBeTruthy();

    consoleErrors.allow(/status of 403/);
    await open(page, `${practice.url}/new/open-dental`);
    await expect(page.getByText("Only practice admins can connect integrations.")).toBeVisible();
  });
});
