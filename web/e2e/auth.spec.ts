import { ApiClient, adminClient, inviteUser, plainId, readMail, uniqueEmail } from "./support/api";
import { expect, expectNoSeriousA11yViolations, open, signIn, signInThroughForm, test, totp } from "./support/fixtures";
import { seed } from "./support/state";

const PASSWORD = "correct horse battery staple";

test.describe("signing in", () => {
  test("sets up two-factor authentication on the security page, then signs in with a code", async ({ page }) => {
    const { practices, agencies } = seed();
    const admin = await adminClient();
    const user = await inviteUser(admin, {
      email: uniqueEmail("mfa.tester"),
      displayName: "Morgan Field",
      password: PASSWORD,
      role: "VIEWER",
      practiceId: practices.brightSmiles.gid,
    });

    // First sign-in: no second factor yet, straight to the practice the user belongs to.
    await signInThroughForm(page, user);
    await expect(page).toHaveURL(`/a/${agencies.harbor.id}/p/${practices.brightSmiles.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bright Smiles Dental");

    await page.getByRole("link", { name: "Account & security" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Account & security");
    await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
    const secret = (await page.getByTestId("mfa-secret").textContent())!.replace(/\s+/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "MFA set-up");
    await page.getByLabel("Six-digit code").fill(totp(secret));
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();

    // Recovery codes are shown once, and the page does not move on until the user says they are saved.
    await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
    await expect(page.getByRole("button", { name: "Done" })).toBeDisabled();
    await page.getByLabel("I have saved my recovery codes").check();
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByText("Two-factor authentication is on.")).toBeVisible();
    await expect(page.getByTestId("recovery-codes")).toHaveCount(0);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/login");

    await signInThroughForm(page, user);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Two-factor authentication");
    await expectNoSeriousA11yViolations(page, "MFA sign-in step");
    // The enrolment used this 30-second step's code and codes are single-use, so answer with the next step's
    // (the server accepts one step of clock drift).
    await page.getByLabel("Authentication code").fill(totp(secret, 30));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(`/a/${agencies.harbor.id}/p/${practices.brightSmiles.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bright Smiles Dental");

    // Turning it off again takes the password.
    await page.getByRole("link", { name: "Account & security" }).click();
    await page.getByRole("button", { name: "Turn off two-factor authentication…" }).click();
    await page.getByLabel("Confirm with your password").fill(PASSWORD);
    await page.getByRole("button", { name: "Turn off two-factor authentication" }).click();
    await expect(page.getByRole("button", { name: "Set up two-factor authentication" })).toBeVisible();
  });

  test("resets a forgotten password from the e-mailed link", async ({ page }) => {
    const { practices } = seed();
    const user = await inviteUser(await adminClient(), {
      email: uniqueEmail("forgetful"),
      displayName: "Robin Lane",
      password: PASSWORD,
      role: "VIEWER",
      practiceId: practices.lakeside.gid,
    });
    await open(page, "/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    // Both pages have an "E-mail address" field: wait for the new one before typing.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Reset your password");
    await page.getByLabel("E-mail address").fill(user.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("status")).toContainText("we have sent it a link");

    const link = /https?:\/\/\S+\/reset-password\/\S+/.exec(await readMail(user.email, "Reset"))![0];
    await open(page, new URL(link).pathname);
    // Long enough for the browser's check, too predictable for the server's: its message shows at the field.
    await page.getByLabel("New password").fill("aaaaaaaaaaaaaaaa");
    await page.getByLabel("Confirm password").fill("aaaaaaaaaaaaaaaa");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByText("That password repeats too few characters; choose a less predictable one.")).toBeVisible();
    await expect(page.getByLabel("New password")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("New password").fill("a brand new passphrase");
    await page.getByLabel("Confirm password").fill("a brand new passphrase");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Password changed");

    await page.getByRole("link", { name: "Sign in with your new password" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in to Sourceline");
    await page.getByLabel("E-mail address").fill(user.email);
    await page.getByLabel("Password").fill("a brand new passphrase");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lakeside Family Dentistry");
  });

  test("a wrong password gets the same message as an unknown address", async ({ page }) => {
    await signInThroughForm(page, { email: seed().admin.email, password: "not the password at all" });
    await expect(page.getByRole("alert")).toHaveText("The e-mail address or password is incorrect.");
    await expect(page).toHaveURL("/login");

    await page.getByLabel("E-mail address").fill(uniqueEmail("nobody"));
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toHaveText("The e-mail address or password is incorrect.");
  });

  test("signed-out visitors are sent to sign in and come back where they were going", async ({ page }) => {
    const { agencies } = seed();
    await open(page, `/a/${agencies.harbor.id}/audit`);
    await expect(page).toHaveURL(`/login?next=${encodeURIComponent(`/a/${agencies.harbor.id}/audit`)}`);
    await page.getByLabel("E-mail address").fill(seed().admin.email);
    await page.getByLabel("Password").fill(seed().admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`/a/${agencies.harbor.id}/audit`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit log");
  });

  test("an agency that requires two-factor authentication sends members without it to set it up", async ({ page }) => {
    // An agency of its own, administered by a new user only: turning the requirement on must not lock out the
    // administrator the other specs share.
    const admin = await adminClient();
    const { createAgency } = await admin.request<{ createAgency: { id: string } }>('mutation { createAgency(name: "Gatekeeper Orthodontics") { id } }');
    const owner = await inviteUser(admin, {
      email: uniqueEmail("gate.owner"),
      displayName: "Riley Gates",
      password: PASSWORD,
      role: "ADMIN",
      agencyId: createAgency.id,
    });
    const { node } = await admin.request<{ node: { memberships: { edges: Array<{ node: { id: string; user: { email: string } } }> } } }>(
      "query($id: ID!) { node(id: $id) { ... on Agency { memberships(first: 10) { edges { node { id user { email } } } } } } }",
      { id: createAgency.id },
    );
    const own = node.memberships.edges.find((e) => e.node.user.email === seed().admin.email)!;
    await admin.request("mutation($id: ID!) { removeMembership(id: $id) }", { id: own.node.id });

    await signIn(page, owner);
    const agencyId = plainId(createAgency.id);
    await open(page, `/a/${agencyId}/settings`);
    await page.getByLabel("Require two-factor authentication").check();
    await expect(page.getByText("you will be asked to right after saving")).toBeVisible();
    await page.getByRole("button", { name: "Save security settings" }).click();

    await expect(page).toHaveURL("/mfa-setup");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Set up two-factor authentication");
    await expectNoSeriousA11yViolations(page, "MFA enrolment gate");
    // Everything else stays closed until the gate is passed.
    const api = new ApiClient(new URL(page.url()).origin);
    await api.login(owner.email, owner.password);
    await expect(api.request("{ agencies { edges { node { id } } } }")).rejects.toThrow(/MFA_ENROLLMENT_REQUIRED/);

    await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
    const secret = (await page.getByTestId("mfa-secret").textContent())!.replace(/\s+/g, "");
    await page.getByLabel("Six-digit code").fill(totp(secret));
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await page.getByLabel("I have saved my recovery codes").check();
    await page.getByRole("button", { name: "Continue to Sourceline" }).click();
    await expect(page).toHaveURL(`/a/${agencyId}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Gatekeeper Orthodontics");
  });
});
