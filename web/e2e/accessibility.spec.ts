import { expect, expectNoSeriousA11yViolations, open, signIn, test } from "./support/fixtures";
import { seed } from "./support/state";

test.describe("accessibility (axe, WCAG 2 A and AA)", () => {
  test("signed-out screens", async ({ page }) => {
    for (const path of ["/login", "/forgot-password", "/reset-password/not-a-real-token", "/invitations/not-a-real-token"]) {
      await open(page, path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoSeriousA11yViolations(page, path);
    }
    // Error states too.
    await open(page, "/login");
    await page.getByLabel("E-mail address").fill("someone@example.test");
    await page.getByLabel("Password").fill("wrong password, of course");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
    await expectNoSeriousA11yViolations(page, "sign-in error");
  });

  const shellScreens: Array<[string, (s: ReturnType<typeof seed>) => string]> = [
    ["agency overview", (s) => `/a/${s.agencies.harbor.id}`],
    ["agency users", (s) => `/a/${s.agencies.harbor.id}/users`],
    ["agency settings", (s) => `/a/${s.agencies.harbor.id}/settings`],
    ["agency audit log", (s) => `/a/${s.agencies.harbor.id}/audit`],
    ["practice dashboard", (s) => `/a/${s.agencies.harbor.id}/p/${s.practices.brightSmiles.id}`],
    ["location dashboard", (s) => `/a/${s.agencies.harbor.id}/p/${s.practices.brightSmiles.id}/l/${s.locations.downtown.id}`],
    ["practice users", (s) => `/a/${s.agencies.harbor.id}/p/${s.practices.brightSmiles.id}/users`],
    ["practice settings", (s) => `/a/${s.agencies.harbor.id}/p/${s.practices.brightSmiles.id}/settings`],
    ["practice audit log", (s) => `/a/${s.agencies.harbor.id}/p/${s.practices.brightSmiles.id}/audit`],
    ["practice integrations", (s) => `/a/${s.agencies.harbor.id}/p/${s.practices.brightSmiles.id}/integrations`],
    ["connect Open Dental", (s) => `/a/${s.agencies.harbor.id}/p/${s.practices.brightSmiles.id}/integrations/new/open-dental`],
    ["account and security", () => "/account"],
    ["API tokens", () => "/account/api-tokens"],
    ["new agency", () => "/agencies/new"],
  ];

  // In three groups, so the two workers share them.
  for (const group of [shellScreens.slice(0, 5), shellScreens.slice(5, 10), shellScreens.slice(10)]) {
    test(`app screens: ${group.map(([name]) => name).join(", ")}`, async ({ page }) => {
      // Five pages with a scan each: 25–29 s of the default 30 on a loaded run, 33.5 s on the slowest.
      test.setTimeout(60_000);
      const s = seed();
      await signIn(page, s.admin);
      for (const [name, path] of group) {
        await open(page, path(s));
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoSeriousA11yViolations(page, name);
      }
    });
  }

  test("the open switcher and the skip link", async ({ page }) => {
    const { admin, agencies, practices } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.harbor.id}/p/${practices.brightSmiles.id}`);
    await page.getByRole("button", { name: /^Practice / }).click();
    await expectNoSeriousA11yViolations(page, "switcher open");

    // The first Tab on a fresh page reaches the skip link, which becomes visible and jumps to the content.
    await open(page, `/a/${agencies.harbor.id}/p/${practices.brightSmiles.id}`);
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to main content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.locator("#main")).toBeFocused();
  });

  test("small screens: the sidebar becomes a drawer", async ({ page }) => {
    const { admin, agencies, practices } = seed();
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, admin);
    await open(page, `/a/${agencies.harbor.id}/p/${practices.brightSmiles.id}`);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toBeHidden();
    await page.getByRole("button", { name: "Open menu" }).click();
    await expect(nav).toBeVisible();
    await expectNoSeriousA11yViolations(page, "mobile drawer");
    await page.keyboard.press("Escape");
    await expect(nav).toBeHidden();
    await expect(page.getByRole("button", { name: "Open menu" })).toBeFocused();
  });
});
