import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { adminClient, invitationToken, inviteUser, uniqueEmail } from "./support/api";
import { expect, open, signIn, test, totp } from "./support/fixtures";
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
  await open(page, `/a/${a}`);
  await shot(page, "agency-overview");

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

  const mobile = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(mobile, s.admin);
  await open(mobile, `/a/${a}/p/${p}`);
  await shot(mobile, "mobile-dashboard");
  await mobile.getByRole("button", { name: "Open menu" }).click();
  await mobile.screenshot({ path: path.join(SCREENS, "mobile-menu.png") });
  await mobile.close();
});
