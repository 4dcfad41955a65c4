import { adminClient, inviteUser, uniqueEmail } from "./support/api";
import { expect, open, signIn, signInThroughForm, test } from "./support/fixtures";
import { seed } from "./support/state";

const heading = (page: import("@playwright/test").Page) => page.getByRole("heading", { level: 1 });
const switcher = (page: import("@playwright/test").Page) => page.getByRole("group", { name: "Switch agency, practice and location" });

async function choose(page: import("@playwright/test").Page, level: "Agency" | "Practice" | "Location", option: string) {
  await switcher(page).getByRole("button", { name: new RegExp(`^${level} `) }).click();
  await switcher(page).getByRole("list", { name: `${level} options` }).getByRole("link", { name: option, exact: true }).click();
}

test.describe("tenant switcher", () => {
  test("switches agency, then practice, then location; the URL and heading follow", async ({ page }) => {
    const { admin, agencies, practices, locations } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.harbor.id}`);
    await expect(heading(page)).toHaveText("Harbor Marketing Group");

    await choose(page, "Agency", "Northside Health Partners");
    await expect(page).toHaveURL(`/a/${agencies.northside.id}`);
    await expect(heading(page)).toHaveText("Northside Health Partners");

    await choose(page, "Practice", "Northside Pediatric Dentistry");
    await expect(page).toHaveURL(`/a/${agencies.northside.id}/p/${practices.northsidePeds.id}`);
    await expect(heading(page)).toHaveText("Northside Pediatric Dentistry");

    await choose(page, "Location", "Cherry Creek");
    const cherryCreek = `/a/${agencies.northside.id}/p/${practices.northsidePeds.id}/l/${locations.cherryCreek.id}`;
    await expect(page).toHaveURL(cherryCreek);
    await expect(heading(page)).toHaveText("Northside Pediatric Dentistry — Cherry Creek");
    await expect(switcher(page).getByRole("button", { name: /^Location / })).toHaveAccessibleName("Location Cherry Creek");

    // Back to the other agency: the practice list follows the agency.
    await choose(page, "Agency", "Harbor Marketing Group");
    await choose(page, "Practice", "Bright Smiles Dental");
    await choose(page, "Location", "Uptown");
    const uptown = `/a/${agencies.harbor.id}/p/${practices.brightSmiles.id}/l/${locations.uptown.id}`;
    await expect(page).toHaveURL(uptown);
    await expect(heading(page)).toHaveText("Bright Smiles Dental — Uptown");

    // The URL alone is enough: a fresh page opened on it shows the same selection.
    const shared = await page.context().newPage();
    await open(shared, uptown);
    await expect(heading(shared)).toHaveText("Bright Smiles Dental — Uptown");
    await expect(switcher(shared).getByRole("button", { name: /^Practice / })).toHaveAccessibleName("Practice Bright Smiles Dental");
    await shared.close();

    await choose(page, "Location", "All locations");
    await expect(page).toHaveURL(`/a/${agencies.harbor.id}/p/${practices.brightSmiles.id}`);
  });

  test("works from the keyboard alone", async ({ page }) => {
    const { admin, agencies, practices } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.harbor.id}`);
    const practiceButton = switcher(page).getByRole("button", { name: /^Practice / });
    await practiceButton.focus();
    await page.keyboard.press("Enter");
    await expect(practiceButton).toHaveAttribute("aria-expanded", "true");
    await page.keyboard.press("Escape");
    await expect(practiceButton).toHaveAttribute("aria-expanded", "false");
    await expect(practiceButton).toBeFocused();
    await page.keyboard.press("Enter");
    const option = switcher(page).getByRole("link", { name: "Lakeside Family Dentistry" });
    for (let i = 0; i < 5 && !(await option.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    await expect(option).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`/a/${agencies.harbor.id}/p/${practices.lakeside.id}`);
    await expect(heading(page)).toHaveText("Lakeside Family Dentistry");
  });

  test("a practice-level user sees only their practice", async ({ page, consoleErrors }) => {
    const { agencies, practices } = seed();
    const user = await inviteUser(await adminClient(), {
      email: uniqueEmail("front.desk"),
      displayName: "Jamie Desk",
      password: "correct horse battery staple",
      role: "VIEWER",
      practiceId: practices.lakeside.gid,
    });
    await signInThroughForm(page, user);
    await expect(page).toHaveURL(`/a/${agencies.harbor.id}/p/${practices.lakeside.id}`);
    await expect(heading(page)).toHaveText("Lakeside Family Dentistry");

    await switcher(page).getByRole("button", { name: /^Agency / }).click();
    await expect(switcher(page).getByRole("list", { name: "Agency options" }).getByRole("link")).toHaveText(["Harbor Marketing Group"]);
    await page.keyboard.press("Escape");
    await switcher(page).getByRole("button", { name: /^Practice / }).click();
    await expect(switcher(page).getByRole("list", { name: "Practice options" }).getByRole("link")).toHaveText(["Lakeside Family Dentistry"]);
    await page.keyboard.press("Escape");

    // A viewer manages nothing: no users, settings or audit log in the navigation.
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Dashboard" })).toBeVisible();
    await expect(nav.getByRole("link", { name: /Users|Settings|Audit log/ })).toHaveCount(0);

    // Other tenants' pages do not exist for this user, even by URL.
    consoleErrors.allow(/status of 404/);
    await open(page, `/a/${agencies.harbor.id}/p/${practices.brightSmiles.id}`);
    await expect(heading(page)).toHaveText("Not found");
    await expect(page.getByText("We couldn't find that practice, or you don't have access to it.")).toBeVisible();
    await open(page, `/a/${agencies.northside.id}/p/${practices.northsidePeds.id}`);
    await expect(heading(page)).toHaveText("Not found");
  });
});
