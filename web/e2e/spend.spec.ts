import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { adminClient, inviteUser, plainId, uniqueEmail } from "./support/api";
import { expect, expectNoSeriousA11yViolations, open, signIn, test } from "./support/fixtures";
import { seed } from "./support/state";

const TIME_ZONE = "America/Chicago";

/** A day in the practice's time zone (YYYY-MM-DD), `daysAgo` before today there: the form's default date is today. */
function dayThere(daysAgo = 0): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() - daysAgo * 86_400_000));
}

const csvFile = (name: string, lines: string[]) => ({ name, mimeType: "text/csv", buffer: Buffer.from(lines.join("\n")) });

// A practice of its own: what these tests store shows in no other spec's figures.
let practice: { gid: string; dashboard: string; spend: string };

test.describe.serial("spend", () => {
  test.beforeAll(async () => {
    const { agencies } = seed();
    const admin = await adminClient();
    const { createPractice } = await admin.request<{ createPractice: { id: string } }>(
      "mutation($a: ID!, $n: String!, $tz: String) { createPractice(agencyId: $a, name: $n, timeZone: $tz) { id } }",
      { a: agencies.northside.gid, n: `Prairie Dental ${Date.now().toString(36)}`, tz: TIME_ZONE },
    );
    const dashboard = `/a/${agencies.northside.id}/p/${plainId(createPractice.id)}`;
    practice = { gid: createPractice.id, dashboard, spend: `${dashboard}/spend` };
  });

  const spendTable = (page: Page) => page.getByRole("region", { name: "Spend entries" });

  test("an admin enters spend in dollars, stored to the cent; the API's refusals show at the field; the dashboard counts it", async ({ page }) => {
    await signIn(page, seed().admin);
    await open(page, practice.dashboard);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Spend" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Spend");
    await expect(page.getByText("No spend between these dates")).toBeVisible();
    await page.locator('html[data-hydrated="true"]').waitFor();

    await page.getByRole("button", { name: "Add spend" }).click();
    const form = page.getByRole("region", { name: "Add spend" });
    await expect(form.getByLabel("Date")).toBeFocused();
    await expect(form.getByLabel("Date")).toHaveValue(dayThere());
    await form.getByLabel("Channel").selectOption({ label: "Offline / Other" });
    await form.getByLabel("Campaign (optional)").fill("WXYZ morning spots");
    await form.getByLabel("Source (optional)").fill("WXYZ radio");
    // 1000.29 × 100 is 100028.99999999999 in floating point: the form must send 100029 cents.
    await form.getByLabel("Amount (USD)").fill("$1,000.29");
    await form.getByRole("button", { name: "Save entry" }).click();
    await expect(form.getByRole("status")).toContainText("Added $1,000.29 of Offline / Other spend");
    const row = spendTable(page).getByRole("row", { name: /WXYZ morning spots/ });
    await expect(row).toContainText("$1,000.29");
    await expect(row).toContainText("Offline / Other");
    await expect(row).toContainText("Manual or CSV");
    await expect(page.getByRole("definition").filter({ hasText: "$1,000.29" }).first()).toBeVisible();

    // More decimals than cents: refused in the browser, before anything is sent.
    await form.getByLabel("Channel").selectOption({ label: "Display" });
    await form.getByLabel("Amount (USD)").fill("12.345");
    await form.getByRole("button", { name: "Save entry" }).click();
    await expect(form.getByLabel("Amount (USD)")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByText(/at most two decimals/)).toBeVisible();

    // Over the API's ceiling for one row: its message, at the field it names.
    await form.getByLabel("Amount (USD)").fill("20,000,000");
    await form.getByRole("button", { name: "Save entry" }).click();
    await expect(form.getByLabel("Amount (USD)")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByText(/at most \$10,000,000 per row/)).toBeVisible();
    await expect(form.getByLabel("Amount (USD)")).toBeFocused();
    await expectNoSeriousA11yViolations(page, "spend: add form with a field error");

    // The same day, channel, source and campaign again: a duplicate, refused for the whole form.
    await form.getByLabel("Channel").selectOption({ label: "Offline / Other" });
    await form.getByLabel("Campaign (optional)").fill("WXYZ morning spots");
    await form.getByLabel("Source (optional)").fill("WXYZ radio");
    await form.getByLabel("Amount (USD)").fill("5");
    await form.getByRole("button", { name: "Save entry" }).click();
    await expect(form.getByRole("alert")).toContainText("There is already spend for that day");
    await expect(spendTable(page).getByRole("row", { name: /WXYZ morning spots/ })).toHaveCount(1);

    await open(page, practice.dashboard);
    await expect(page.locator("dt", { hasText: /^Spend$/ }).locator("xpath=following-sibling::dd")).toContainText("$1,000");
  });

  test("a spend file with a bad row is refused whole, naming its line and column; a good file's rows appear", async ({ page }) => {
    await signIn(page, seed().admin);
    await open(page, practice.spend);
    const openImporter = () => page.getByRole("button", { name: "Import CSV" }).click();
    await openImporter();
    const importer = page.getByRole("region", { name: "Import a spend file" });

    const [download] = await Promise.all([page.waitForEvent("download"), importer.getByRole("link", { name: "Download an example" }).click()]);
    expect(download.suggestedFilename()).toBe("spend-example.csv");
    expect((await readFile((await download.path())!, "utf8")).split("\n")[0]).toBe("date,channel,source,medium,campaign,amount");

    await importer.getByLabel("Spend file (CSV)").setInputFiles(
      csvFile("bad-spend.csv", ["date,channel,campaign,amount", `${dayThere()},Offline / Other,Spring mailer,250`, `${dayThere()},Billboards,Highway 9,400`]),
    );
    await importer.getByRole("button", { name: "Import file" }).click();
    await expect(importer.getByRole("alert")).toContainText("Nothing was imported from bad-spend.csv");
    const problems = importer.getByRole("region", { name: "Problems in the file" });
    await expect(problems.getByRole("row")).toHaveCount(2);
    const problem = problems.getByRole("row").nth(1);
    await expect(problem.getByRole("rowheader")).toHaveText("3");
    await expect(problem.getByRole("cell").nth(0)).toHaveText("channel");
    await expect(problem.getByRole("cell").nth(1)).toContainText("not a channel");
    await expectNoSeriousA11yViolations(page, "spend: a refused file");
    // Nothing stored: not even the file's good row.
    await open(page, practice.spend);
    await expect(spendTable(page).getByRole("row", { name: /Spring mailer/ })).toHaveCount(0);
    await openImporter();

    await importer.getByLabel("Spend file (CSV)").setInputFiles(
      csvFile("spend.csv", [
        "date,channel,source,medium,campaign,amount",
        `${dayThere()},Offline / Other,mailer,,Spring mailer,"1,250.00"`,
        `${dayThere(1)},,google,cpc,Implants,80.5`,
      ]),
    );
    await importer.getByRole("button", { name: "Import file" }).click();
    await expect(importer.getByRole("status")).toContainText("Imported 2 rows from spend.csv");
    await expect(importer.getByRole("status")).toContainText("2 new, 0 updated");
    await expect(spendTable(page).getByRole("row", { name: /Spring mailer/ })).toContainText("$1,250.00");
    const implants = spendTable(page).getByRole("row", { name: /Implants/ });
    await expect(implants).toContainText("$80.50");
    await expect(implants).toContainText("Paid Search");
    await expect(implants).toContainText("google / cpc");
    await expect(page.getByText("1–3 of 3 rows")).toBeVisible();

    await implants.getByRole("button", { name: /^Delete the spend of/ }).click();
    await implants.getByRole("button", { name: "Yes, delete" }).click();
    await expect(spendTable(page).getByRole("row", { name: /Implants/ })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, "spend");
    // Closing the form hands focus back to the button that opened it.
    await importer.getByRole("button", { name: "Close import a spend file" }).click();
    await expect(page.getByRole("button", { name: "Import CSV" })).toBeFocused();
    await expect(importer).toHaveCount(0);
  });

  test("a viewer sees the spend, and no controls to add, import or delete it", async ({ page }) => {
    const viewer = await inviteUser(await adminClient(), {
      email: uniqueEmail("prairie.viewer"),
      displayName: "Val Viewer",
      password: "only here to read the numbers",
      role: "VIEWER",
      practiceId: practice.gid,
    });
    await signIn(page, viewer);
    await open(page, practice.spend);
    await expect(spendTable(page).getByRole("row", { name: /WXYZ morning spots/ })).toContainText("$1,000.29");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Spend" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("button", { name: /Add spend|Import CSV/ })).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Add spend" })).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Import a spend file" })).toHaveCount(0);
    await expect(page.getByLabel("Spend file (CSV)")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Delete/ })).toHaveCount(0);
    await expect(page.getByText("Spend is added and imported by the practice’s admins")).toBeVisible();
    await expectNoSeriousA11yViolations(page, "spend (viewer)");
  });
});
