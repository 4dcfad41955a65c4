import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { adminClient, inviteUser, uniqueEmail } from "./support/api";
import { expect, expectNoSeriousA11yViolations, open, signIn, test } from "./support/fixtures";
import { queueReviewPair } from "./support/review-pair";
import { seed } from "./support/state";

/** The practice global-setup fed from a simulated office and its website's form entries (support/reports-seed.ts). */
const practice = () => seed().reports.practice;

/** One pair left for a person, as the engine leaves the pairs it cannot decide: the queue's screens need one. */
const queuePairForReview = () =>
  queueReviewPair(practice().id, {
    role: "contact",
    alternative: "stranger",
    priorWeight: -3,
    totalWeight: -0.8,
    confidence: 0.31,
    comparisons: [{ comparison: "surname", outcome: "exact", weight: 2.2 }],
  });


test.describe.serial("reports", () => {
  test("the agency console lists the practice with its figures; it sorts and filters", async ({ page }) => {
    const { admin, agencies } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.northside.id}`);
    const table = page.getByRole("region", { name: "Practices" });
    const row = table.getByRole("row", { name: new RegExp(practice().name) });
    await expect(row).toBeVisible();
    await expect(row.getByRole("cell").nth(2)).not.toHaveText("$0");
    await expect(row.getByRole("img", { name: /New patients in/ })).toBeVisible();
    await page.setViewportSize({ width: 1280, height: 800 });
    const frame = page.locator('[role="region"][aria-label="Practices"]');
    expect(await frame.evaluate((el) => el.scrollWidth - el.clientWidth), "the console fits 1280 px without scrolling sideways").toBeLessThanOrEqual(0);

    await page.getByLabel("Filter practices").fill("No such practice");
    await expect(page.getByText("No practice’s name contains “No such practice”.")).toBeVisible();
    await page.getByRole("button", { name: "Show every practice" }).click();
    await expect(page.getByLabel("Filter practices")).toHaveValue("");
    await page.getByLabel("Filter practices").fill("Meadowbrook");
    await expect(table.getByRole("row")).toHaveCount(1 + (await table.getByRole("row", { name: /Meadowbrook/ }).count()));
    await table.getByRole("button", { name: "Leads" }).click();
    await expect(table.getByRole("columnheader", { name: /Leads/ })).toHaveAttribute("aria-sort", "descending");
    await expectNoSeriousA11yViolations(page, "agency console");

    await row.getByRole("link", { name: practice().name }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(practice().name);
  });

  test("the practice dashboard shows the range's figures by channel; range and model change them", async ({ page }) => {
    // Some thirty steps and two accessibility scans: 21 s of the default 30 on this machine, 34 s when it is slow.
    test.setTimeout(60_000);
    const { admin, agencies } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.northside.id}/p/${practice().id}`);
    const kpis = page.locator("dl").first();
    await expect(kpis.getByText("New patients")).toBeVisible();
    const byChannel = page.getByRole("region", { name: "By channel" });
    await expect(byChannel.getByRole("table")).toContainText("Unattributed");
    await expect(byChannel.locator("svg.recharts-surface")).toBeVisible();
    await expect(page.getByRole("region", { name: "Data quality" })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "practice dashboard");

    await page.getByLabel("Attribution model").selectOption("FIRST_TOUCH");
    await expect(page).toHaveURL(/model=FIRST_TOUCH/);
    await expect(byChannel).toContainText("Credited under First touch");

    // A slow answer: the old figures dim under a progress bar until the new ones arrive.
    const slowData = /\.data(\?|$)/;
    await page.route(slowData, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await route.continue();
    });
    await page.getByLabel("Date range").selectOption("last-month");
    await expect(page.getByRole("progressbar", { name: "Loading the page" })).toBeVisible();
    await expect(page.locator("main")).toHaveAttribute("aria-busy", "true");
    await expect(page).toHaveURL(/range=last-month/);
    await expect(page.getByRole("progressbar", { name: "Loading the page" })).toHaveCount(0);
    await expect(page.locator("main")).toHaveAttribute("aria-busy", "false");
    await page.unroute(slowData);
    await page.getByLabel("Date range").selectOption("custom");
    await page.getByLabel("From").fill(seed().reports.startDate);
    // Dates the wrong way round are said at the field; nothing is asked of the server.
    await page.getByLabel("To").fill("2001-01-01");
    await expect(page.getByRole("alert")).toHaveText(/“To” is before “From”/);
    await expect(page.getByLabel("To")).toHaveAttribute("aria-invalid", "true");
    await expect(page).not.toHaveURL(/2001-01-01/);
    await page.getByLabel("To").fill(new Date().toISOString().slice(0, 10));
    await expect(page).toHaveURL(/range=custom/);
    await expect(byChannel.getByRole("row")).not.toHaveCount(1);

    // Drill into the channel with the most revenue, then into one of its patients.
    const channel = byChannel.getByRole("region", { name: "Channels" }).getByRole("row").nth(1).getByRole("link");
    const channelName = (await channel.textContent())!;
    await channel.click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(channelName, { ignoreCase: true });
    const patients = page.getByRole("region", { name: "Patients" });
    await expect(patients.getByRole("row").nth(1)).toBeVisible();
    await expectNoSeriousA11yViolations(page, "channel drill-down");
    await page.setViewportSize({ width: 1280, height: 800 });
    const patientsFrame = page.locator('[role="region"][aria-label="Patients"]');
    expect(await patientsFrame.evaluate((frame) => frame.scrollWidth - frame.clientWidth), "the channel's patients fit 1280 px without scrolling sideways").toBeLessThanOrEqual(0);
    await patients.getByRole("columnheader", { name: /First visit/ }).getByRole("link").click();
    await expect(page).toHaveURL(/order=FIRST_VISIT/);
    // The URL changes before React commits the new rows (navigations render in a transition); the header's
    // aria-sort comes from the same loader data as the rows.
    await expect(patients.getByRole("columnheader", { name: /First visit/ })).toHaveAttribute("aria-sort", /ascending|descending/);
    // The rows really come in first-visit order, not just the URL.
    const column = (await patients.getByRole("columnheader").allTextContents()).findIndex((h) => /First visit/.test(h));
    const visits = (await patients.locator("tbody tr").evaluateAll((rows, i) => rows.map((r) => r.children[i]?.textContent ?? ""), column))
      .filter((text) => /\d/.test(text))
      .map((text) => Date.parse(text));
    expect(visits.length).toBeGreaterThan(1);
    expect(visits.every((t) => !Number.isNaN(t))).toBe(true);
    const ascending = [...visits].sort((a, b) => a - b);
    expect([ascending, [...ascending].reverse()]).toContainEqual(visits);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.split("\n")[0]).toBe("chart,first_name,last_name,first_contact,first_visit,campaigns,ad_groups,keywords,production,stage,credit,match_confidence");
    expect(csv.trim().split("\n").length).toBeGreaterThan(1);
    await patients.getByRole("row").nth(1).getByRole("link").click();
    await expect(page.getByRole("region", { name: "How this patient is credited" })).toBeVisible();
    // A credited patient had a first visit: the office's appointment and the treatment it billed are on the timeline.
    const timeline = page.getByRole("region", { name: "Timeline", exact: true }).getByRole("list", { name: "Timeline, oldest first" }).getByRole("listitem");
    await expect(timeline.filter({ hasText: /Appointment\s*Seen/ }).first()).toBeVisible();
    await expect(timeline.filter({ hasText: /Procedure.*\$[\d,]+\.\d\d$/ }).first()).toBeVisible();
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), "the patient page fits 1280 px").toBeLessThanOrEqual(0);
  });

  test("an analyst follows a review pair to the patient's timeline, then resolves it with one key", async ({ page }) => {
    await queuePairForReview();
    const { admin, agencies } = seed();
    await signIn(page, admin);
    const queueUrl = `/a/${agencies.northside.id}/p/${practice().id}/review`;
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
    const byHand = page.getByRole("region", { name: "Touches entered by hand" });
    await byHand.getByLabel("Date").fill(seed().reports.startDate);
    await byHand.getByLabel("Channel").selectOption("OFFLINE_OTHER");
    await byHand.getByLabel("Campaign (optional)").fill("Spring health fair");
    await byHand.getByRole("button", { name: "Add touch" }).click();
    await expect(byHand.getByRole("listitem")).toContainText("Offline / Other · Spring health fair");
    await byHand.getByRole("button", { name: /^Remove the touch/ }).click();
    await expect(byHand.getByText("None.")).toBeVisible();

    await open(page, queueUrl);
    for (let left = waiting; left > 0; left -= 1) {
      await pairs.first().focus();
      await page.keyboard.press("n");
      if (left > 1) await expect(pairs).toHaveCount(left - 1);
    }
    await expect(page.getByText("Nothing to review")).toBeVisible();
    await open(page, `/a/${agencies.northside.id}/p/${practice().id}`);
    await expect(page.getByRole("region", { name: "Matching" }).getByRole("link", { name: /^Review/ })).toHaveCount(0);
  });

  test("the leads list shows who got in touch and whom matching linked; unmatched and repeat filters narrow it", async ({ page }) => {
    const { admin, agencies } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.northside.id}/p/${practice().id}/leads`);
    const leads = page.getByRole("region", { name: "Leads" });
    await expect(leads.getByRole("columnheader", { name: "Matched to" })).toBeVisible();
    await expect(leads.getByRole("link").first()).toBeVisible();
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await leads.evaluate((table) => table.scrollWidth - table.clientWidth), "the leads table fits 1280 px without scrolling sideways").toBeLessThanOrEqual(0);
    await expectNoSeriousA11yViolations(page, "leads");
    // An admin's file has the people in it: what the viewer's must not.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.split("\n")[0]).toMatch(/,name,phone,email,matched_to$/);
    expect(seed().reports.leadContacts.filter((contact) => csv.includes(contact)).length).toBeGreaterThan(10);
    const all = await leads.getByRole("row").count();
    await page.getByRole("navigation", { name: "Lead filters" }).getByRole("link", { name: "Unmatched" }).click();
    await expect(page).toHaveURL(/status=UNMATCHED/);
    await expect(page.getByRole("region", { name: "Leads" }).getByText("Nobody").first()).toBeVisible();
    // The address changes as the navigation starts; the table is replaced when its data has come, so wait for it.
    await expect.poll(() => page.getByRole("region", { name: "Leads" }).getByRole("row").count()).toBeLessThan(all);

    // The pipeline: new leads no patient has come in from yet, each still a lead or scheduled.
    await page.getByRole("navigation", { name: "Lead filters" }).getByRole("link", { name: "Not seen yet" }).click();
    await expect(page).toHaveURL(/status=NOT_SEEN/);
    const pipeline = page.getByRole("region", { name: "Leads" });
    const stageColumn = (await pipeline.getByRole("columnheader").allTextContents()).findIndex((h) => /Stage/i.test(h));
    // Polled, as the unmatched rows stay until the pipeline's data has come.
    const stages = () => pipeline.locator("tbody tr").evaluateAll((rows, i) => rows.map((r) => r.children[i]?.textContent?.trim() ?? ""), stageColumn);
    const stagesOutsidePipeline = async () => {
      const shown = await stages();
      return shown.length === 0 ? ["(no rows)"] : shown.filter((stage) => stage !== "Lead" && stage !== "Scheduled");
    };
    await expect.poll(stagesOutsidePipeline).toEqual([]);

    // From a channel's drill-down the list keeps its days, and says how to see every day.
    const pipelineRows = await pipeline.getByRole("row").count();
    await page.goto(`/a/${agencies.northside.id}/p/${practice().id}/leads?status=NOT_SEEN&from=2000-01-01&to=2000-01-31`);
    await expect(page.getByRole("link", { name: /All dates, not just Jan 1 – Jan 31, 2000/ })).toBeVisible();
    await expect(page.getByText("Nothing matches this filter.")).toBeVisible();
    await page.getByRole("link", { name: /All dates/ }).click();
    await expect(page).not.toHaveURL(/from=/);
    await expect(page.getByRole("region", { name: "Leads" }).getByRole("row")).toHaveCount(pipelineRows);
  });

  test("a viewer sees the figures, and neither the review queue nor any patient", async ({ page, consoleErrors }) => {
    const { agencies } = seed();
    const admin = await adminClient();
    const viewer = await inviteUser(admin, { email: uniqueEmail("meadowbrook.viewer"), displayName: "Vera Viewer", password: "just looking at numbers", role: "VIEWER", practiceId: practice().gid });
    await signIn(page, viewer);
    await open(page, `/a/${agencies.northside.id}/p/${practice().id}`);
    await expect(page.getByRole("region", { name: "By channel" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Review queue" })).toHaveCount(0);
    const html = await page.content();
    for (const name of seed().reports.patientNames) expect(html).not.toContain(name);
    await open(page, `/a/${agencies.northside.id}/p/${practice().id}/leads`);
    await expect(page.getByRole("region", { name: "Leads" }).getByRole("columnheader", { name: "Who" })).toHaveCount(0);
    const leadsHtml = await page.content();
    for (const name of seed().reports.patientNames) expect(leadsHtml).not.toContain(name);
    expect(seed().reports.leadContacts.length).toBeGreaterThan(10);
    for (const contact of seed().reports.leadContacts) expect(leadsHtml).not.toContain(contact);
    // The leads file a viewer downloads leaves out the same people columns.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.split("\n")[0]).not.toMatch(/name|phone|email|matched_to/);
    expect(csv.trim().split("\n").length).toBeGreaterThan(10);
    for (const contact of [...seed().reports.leadContacts, ...seed().reports.patientNames]) expect(csv).not.toContain(contact);
    consoleErrors.allow(/403/);
    await page.goto(`/a/${agencies.northside.id}/p/${practice().id}/review`);
    await expect(page.getByText("You do not have permission to do this.")).toBeVisible();
  });

  test("an admin freezes last month; its PDF report names the practice and the period on every page", async ({ page }) => {
    const { admin, agencies } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.northside.id}/p/${practice().id}/months`);
    const months = page.getByRole("region", { name: "Months" });
    const lastMonth = months.getByRole("row").nth(2);
    const name = (await lastMonth.getByRole("rowheader").textContent())!;
    await expectNoSeriousA11yViolations(page, "month-end");
    await lastMonth.getByRole("button", { name: `Freeze ${name}` }).click();
    await lastMonth.getByRole("button", { name: "Yes, freeze" }).click();
    await expect(lastMonth).toContainText(/Frozen/);
    await expect(lastMonth.getByRole("button", { name: /Freeze/ })).toHaveCount(0);

    const [download] = await Promise.all([page.waitForEvent("download"), lastMonth.getByRole("link", { name: `PDF report for ${name}` }).click()]);
    const text = execFileSync("pdftotext", ["-layout", (await download.path())!, "-"]).toString("utf8");
    const pages = text.split("\f").filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(0);
    for (const p of pages) {
      expect(p).toContain(practice().name);
      expect(p).toContain(name);
    }
    expect(text).toContain(`Month-end report: ${name}`);
    expect(text).toMatch(/Frozen on \d{4}-\d{2}-\d{2}/);

    // The dashboard on that month says it is closed, with its frozen figures beside the live ones.
    await open(page, `/a/${agencies.northside.id}/p/${practice().id}?range=last-month`);
    await expect(page.getByRole("status").filter({ hasText: "This month was closed on" })).toContainText(/Frozen under .+: [\d.,]+ new patients/);
    await open(page, `/a/${agencies.northside.id}/p/${practice().id}?range=this-year`);
    await expect(page.getByText("This month was closed on")).toHaveCount(0);
  });

  test("an admin changes the default attribution model; the dashboard follows", async ({ page }) => {
    const { admin, agencies } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.northside.id}/p/${practice().id}/settings`);
    const attribution = page.getByRole("region", { name: "Attribution" });
    await attribution.getByLabel("Default model").selectOption("LINEAR");
    await attribution.getByLabel("Lookback window (days)").fill("120");
    await attribution.getByRole("button", { name: "Save attribution settings" }).click();
    await expect(attribution.getByText(/^Saved\./)).toBeVisible();

    const rules = page.getByRole("region", { name: "Channel rules" });
    await rules.getByLabel("When the lead's").selectOption("SOURCE");
    await rules.getByLabel("Value").fill("zocdoc");
    await rules.getByLabel("Channel").selectOption("REFERRAL_WEB");
    await rules.getByLabel("Name shown (optional)").fill("Zocdoc");
    await rules.getByLabel("Rule key").fill("zocdoc");
    await rules.getByRole("button", { name: "Add rule" }).click();
    await expect(rules.getByRole("listitem")).toContainText("zocdoc: Source is “zocdoc” → Zocdoc");
    await rules.getByRole("button", { name: "Delete zocdoc" }).click();
    await expect(rules.getByRole("listitem")).toHaveCount(0);
    // Still there once the page's data has been loaded again (the form is rebuilt with the stored values).
    await expect(attribution.getByText(/^Saved\./)).toBeVisible();
    await expect(attribution.getByLabel("Lookback window (days)")).toHaveValue("120");
    await expectNoSeriousA11yViolations(page, "practice settings");

    await open(page, `/a/${agencies.northside.id}/p/${practice().id}`);
    await expect(page.getByRole("region", { name: "By channel" })).toContainText("Credited under Linear");
    await expect(page.getByLabel("Attribution model")).toHaveValue("LINEAR");
  });
});
