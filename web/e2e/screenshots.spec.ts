import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { startOpenDentalSimulator } from "@sourceline/connector-open-dental/simulator";
import { adminClient, invitationToken, inviteUser, plainId, uniqueEmail, type ApiClient } from "./support/api";
import { expect, open, signIn, test, totp } from "./support/fixtures";
import { reportsWorld } from "./support/reports-seed";
import { queueReviewPair } from "./support/review-pair";
import { seed } from "./support/state";

// Not part of the normal run (see testIgnore in playwright.config.ts): refreshes the screenshots in docs/screens.
const SCREENS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/screens");
// The viewport only: the sidebar is fixed, which a full-page capture would draw mid-page.
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENS, `${name}.png`) });
const VIEWPORT = { width: 1280, height: 960 };

test.use({ viewport: VIEWPORT });

test("screenshots for docs/screens", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const s = seed();
  const a = s.agencies.harbor.id;
  const p = s.practices.brightSmiles.id;
  const admin = await adminClient();
  for (const [name, role] of [["Avery Chen", "ADMIN"], ["Jordan Patel", "ANALYST"], ["Sam Rivera", "VIEWER"]] as const) {
    await inviteUser(admin, { email: uniqueEmail(name.split(" ")[0]!.toLowerCase()), displayName: name, password: "correct horse battery staple", role, practiceId: s.practices.brightSmiles.gid });
  }
  await admin.request("mutation($e: String!, $p: ID!) { createInvitation(email: $e, role: ANALYST, practiceId: $p) { id } }", { e: "office.manager@brightsmiles.example", p: s.practices.brightSmiles.gid });

  const signedOut = await browser.newPage({ viewport: VIEWPORT });
  await open(signedOut, "/login");
  await shot(signedOut, "login");
  const inviteeEmail = uniqueEmail("new.dentist");
  await admin.request("mutation($e: String!, $p: ID!) { createInvitation(email: $e, role: ANALYST, practiceId: $p) { id } }", { e: inviteeEmail, p: s.practices.brightSmiles.gid });
  await open(signedOut, `/invitations/${await invitationToken(inviteeEmail)}`);
  await shot(signedOut, "invitation");
  await signedOut.close();

  await signIn(page, s.admin);

  await open(page, `/a/${a}/p/${p}`);
  await page.getByRole("button", { name: /^Location / }).click();
  await shot(page, "practice-dashboard-switcher");
  await page.keyboard.press("Escape");

  await open(page, `/a/${a}/p/${p}/users`);
  await shot(page, "practice-users");

  await open(page, "/account/api-tokens");
  await page.getByLabel("Name").fill("Looker export");
  await page.getByRole("checkbox", { name: "Bright Smiles Dental" }).check();
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token-secret")).toBeVisible();
  await shot(page, "api-tokens");

  await open(page, `/a/${a}/p/${p}/audit`);
  await shot(page, "practice-audit-log");

  await open(page, `/a/${a}/settings`);
  await shot(page, "agency-settings");

  // Integrations: Open Dental synced from a simulated office, and a second office whose customer key is wrong.
  const simulator = await startOpenDentalSimulator({ mode: "service", seed: 5 });
  try {
    const settings = (customerKey: string) =>
      JSON.stringify({ baseUrl: simulator.baseUrl, developerKey: "sim-developer-key", customerKey, mode: "service", timeZone: "America/New_York" });
    const connect = async (displayName: string, customerKey: string, locationId: string | null) => {
      const { createConnection } = await admin.request<{ createConnection: { id: string } }>(
        "mutation($p: ID!, $n: String, $s: String!, $l: ID) { createConnection(practiceId: $p, connectorId: \"open-dental\", displayName: $n, settings: $s, locationId: $l) { id } }",
        { p: s.practices.brightSmiles.gid, n: displayName, s: settings(customerKey), l: locationId },
      );
      return createConnection.id;
    };
    const main = await connect("Open Dental — Downtown office", "sim-customer-key", s.locations.downtown.gid);
    const uptown = await connect("Open Dental — Uptown office", "not-the-customer-key", s.locations.uptown.gid);
    // Paused while "Sync now" runs, so the scheduler's first pass does not mix into the history shown.
    const pause = (id: string, paused: boolean) => admin.request("mutation($id: ID!, $p: Boolean) { updateConnection(id: $id, paused: $p) { id } }", { id, p: paused });
    await pause(main, true);
    await pause(uptown, true);
    await admin.request("mutation($id: ID!) { testConnection(id: $id) { ok } }", { id: uptown });
    await admin.request("mutation($id: ID!) { testConnection(id: $id) { ok } }", { id: main });
    await admin.request("mutation($id: ID!) { syncConnectionNow(id: $id) { id } }", { id: main });
    await waitForSync(admin, main, 7);
    await pause(main, false);

    await open(page, `/a/${a}/p/${p}/integrations`);
    await shot(page, "integrations");
    await open(page, `/a/${a}/p/${p}/integrations/${plainId(main)}`);
    await page.getByRole("region", { name: "Run history" }).evaluate((el) => el.scrollIntoView({ block: "start" }));
    await shot(page, "integrations-runs");
  } finally {
    await simulator.close();
  }

  const mfaUser = await inviteUser(admin, { email: uniqueEmail("screens.mfa"), displayName: "Casey Morgan", password: "correct horse battery staple", role: "VIEWER", practiceId: s.practices.lakeside.gid });
  const mfaPage = await browser.newPage({ viewport: VIEWPORT });
  await signIn(mfaPage, mfaUser);
  await open(mfaPage, "/account");
  await mfaPage.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(mfaPage.getByRole("img", { name: /QR code/ })).toBeVisible();
  await shot(mfaPage, "account-mfa-setup");
  const secret = (await mfaPage.getByTestId("mfa-secret").textContent())!;
  await mfaPage.getByLabel("Six-digit code").fill(totp(secret));
  await mfaPage.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(mfaPage.getByTestId("recovery-codes")).toBeVisible();
  await shot(mfaPage, "account-recovery-codes");
  await mfaPage.getByLabel("I have saved my recovery codes").check();
  await mfaPage.getByRole("button", { name: "Done" }).click();
  await mfaPage.getByRole("button", { name: "Sign out" }).click();
  await mfaPage.getByLabel("E-mail address").fill(mfaUser.email);
  await mfaPage.getByLabel("Password").fill(mfaUser.password);
  await mfaPage.getByRole("button", { name: "Sign in" }).click();
  await expect(mfaPage.getByRole("heading", { level: 1 })).toHaveText("Two-factor authentication");
  await shot(mfaPage, "login-mfa-step");
  await mfaPage.close();

  // The screens that show data: the practice whose records flowed in from an office and a website (global setup).
  const n = s.agencies.northside.id;
  const r = s.reports.practice.id;
  await open(page, `/a/${n}`);
  await shot(page, "agency-overview");
  // A pair for the queue's screen, with an explanation shaped as the engine writes them.
  await queueReviewPair(r, {
    role: "contact",
    alternative: "stranger",
    priorWeight: -5.8,
    comparisons: [
      { comparison: "phone", outcome: "disagree", weight: -1.9 },
      { comparison: "email", outcome: "missing", weight: 0 },
      { comparison: "given_name", outcome: "alias", weight: 2.4 },
      { comparison: "surname", outcome: "exact_rare", weight: 3.6 },
      { comparison: "timing", outcome: "adult_weeks", weight: 0.9 },
    ],
    totalWeight: -0.8,
    confidence: 0.31,
  });
  await open(page, `/a/${n}/p/${r}`);
  await expect(page.getByRole("region", { name: "By channel" }).locator("svg.recharts-surface")).toBeVisible();
  await shot(page, "practice-dashboard");
  await page.getByRole("region", { name: "Data quality" }).evaluate((el) => el.scrollIntoView({ block: "start" }));
  await shot(page, "data-quality");
  const channels = page.getByRole("region", { name: "By channel" }).getByRole("region", { name: "Channels" });
  // The channel with the most revenue that a touch explains: Unattributed is not a channel one drills into to learn.
  await channels.getByRole("row").filter({ hasNot: page.getByText("Unattributed") }).nth(1).getByRole("link").click();
  const patients = page.getByRole("region", { name: "Patients" });
  await expect(patients.getByRole("row").nth(1)).toBeVisible();
  await shot(page, "channel-drilldown");
  await patients.getByRole("row").nth(1).getByRole("link").click();
  await expect(page.getByRole("region", { name: "How this patient is credited" })).toBeVisible();
  await shot(page, "patient-timeline");
  await open(page, `/a/${n}/p/${r}/review`);
  await shot(page, "review-queue");
  await open(page, `/a/${n}/p/${r}/leads`);
  await shot(page, "leads");
  await open(page, `/a/${n}/p/${r}/months`);
  await shot(page, "month-end");
  await open(page, `/a/${n}/p/${r}/settings`);
  await shot(page, "practice-settings");
  // Spend: the practice's ad spend and its radio and directory bills, imported as one file; then one row added by hand.
  const { importSpendCsv } = await admin.request<{ importSpendCsv: { problems: Array<{ line: number; message: string }> } }>(
    "mutation($p: ID!, $csv: String!) { importSpendCsv(practiceId: $p, csv: $csv) { problems { line message } } }",
    { p: s.reports.practice.gid, csv: spendFile() },
  );
  expect(importSpendCsv.problems, "the screenshots' spend file").toEqual([]);
  await open(page, `/a/${n}/p/${r}/spend`);
  await page.getByRole("button", { name: "Add spend" }).click();
  const addSpend = page.getByRole("region", { name: "Add spend" });
  await addSpend.getByLabel("Channel").selectOption({ label: "Offline / Other" });
  await addSpend.getByLabel("Amount (USD)").fill("450");
  await addSpend.getByLabel("Campaign (optional)").fill("Spring health fair booth");
  await addSpend.getByLabel("Source (optional)").fill("County health fair");
  await addSpend.getByRole("button", { name: "Save entry" }).click();
  await expect(page.getByRole("region", { name: "Spend entries" }).getByText("Spring health fair booth")).toBeVisible();
  await addSpend.getByRole("button", { name: /^Close/ }).click();
  await shot(page, "spend");

  const mobile = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(mobile, s.admin);
  await open(mobile, `/a/${a}/p/${p}`);
  await shot(mobile, "mobile-dashboard");
  await mobile.getByRole("button", { name: "Open menu" }).click();
  await mobile.screenshot({ path: path.join(SCREENS, "mobile-menu.png") });
  await mobile.close();
});


/**
 * The reports' practice's spend as its office would keep it in a spreadsheet: the simulated ad accounts' spend, a row
 * per day and campaign, and the first of each month's radio and directory bills.
 */
function spendFile(): string {
  const world = reportsWorld(new Date().toISOString().slice(0, 10)).practices[0]!;
  const byCampaignDay = new Map<string, { date: string; source: string; medium: string; campaign: string; cents: number }>();
  for (const s of world.spend) {
    const key = JSON.stringify([s.date, s.source, s.medium, s.campaign]);
    const row = byCampaignDay.get(key) ?? { date: s.date, source: s.source, medium: s.medium, campaign: s.campaign, cents: 0 };
    row.cents += s.costCents;
    byCampaignDay.set(key, row);
  }
  const dollars = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
  const rows = [...byCampaignDay.values()].map((r) => `${r.date},,${r.source},${r.medium},${r.campaign},${dollars(r.cents)}`);
  for (const month of new Set([...byCampaignDay.values()].map((r) => r.date.slice(0, 7)))) {
    rows.push(`${month}-01,Offline / Other,WXYZ radio,,Morning drive spots,"1,200.00"`, `${month}-01,Referral - Web,yelp,,Yelp enhanced listing,325.00`);
  }
  return ["date,channel,source,medium,campaign,amount", ...rows].join("\n");
}

/** Until `runs` runs of the connection have finished and none is running (the worker picks jobs up within a second). */
async function waitForSync(admin: ApiClient, connectionId: string, runs: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const data = await admin.request<{ node: { runs: { edges: Array<{ node: { status: string } }> } } }>(
      "query($id: ID!) { node(id: $id) { ... on Connection { runs(first: 20) { edges { node { status } } } } } }",
      { id: connectionId },
    );
    const statuses = data.node.runs.edges.map((e) => e.node.status);
    if (statuses.length >= runs && !statuses.includes("running")) return;
    if (Date.now() > deadline) throw new Error(`the sync did not finish: ${statuses.join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
