import { adminClient, invitationToken, uniqueEmail } from "./support/api";
import { expect, open, signIn, test } from "./support/fixtures";
import { seed } from "./support/state";

test.describe("administration", () => {
  test("invites someone to a practice; the e-mailed link creates their account; the admin changes their role and removes them", async ({ page, browser }) => {
    const { admin, agencies, practices } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.harbor.id}/p/${practices.brightSmiles.id}/users`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Users");

    const email = uniqueEmail("new.hygienist");
    const invite = page.getByRole("region", { name: "Invite someone" });
    await invite.getByLabel("E-mail address").fill(email);
    await invite.getByLabel("Role").selectOption("ANALYST");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expect(invite.getByRole("status")).toContainText(`Invitation sent to ${email}`);
    const pending = page.getByRole("region", { name: "Pending invitations" });
    await expect(pending.getByRole("row", { name: new RegExp(email) })).toContainText("Analyst");

    // The invitee follows the link from the e-mail in a browser of their own.
    const token = await invitationToken(email);
    const inviteeContext = await browser.newContext();
    const invitee = await inviteeContext.newPage();
    await open(invitee, `/invitations/${token}`);
    await expect(invitee.getByRole("heading", { level: 1 })).toHaveText("Join Bright Smiles Dental on Sourceline");
    await invitee.getByLabel("Your name").fill("Harper Quinn");
    await invitee.getByLabel("Choose a password").fill("floss twice every single day");
    await invitee.getByLabel("Confirm password").fill("floss twice every single day");
    await invitee.getByRole("button", { name: "Create account and join" }).click();
    await expect(invitee).toHaveURL(`/a/${agencies.harbor.id}/p/${practices.brightSmiles.id}`);
    await expect(invitee.getByRole("heading", { level: 1 })).toHaveText("Bright Smiles Dental");
    await inviteeContext.close();

    await page.reload();
    await page.locator('html[data-hydrated="true"]').waitFor();
    await expect(pending.getByRole("row", { name: new RegExp(email) })).toHaveCount(0);
    const members = page.getByRole("region", { name: "Members" });
    const row = members.getByRole("row", { name: /Harper Quinn/ });
    await expect(row).toBeVisible();
    await row.getByLabel("Role for Harper Quinn").selectOption("VIEWER");
    await row.getByRole("button", { name: "Save role" }).click();
    // The button reads "Saving…" while the mutation runs; it leaves only once the saved role has been reloaded.
    await expect(row.getByRole("button", { name: /Save role|Saving/ })).toHaveCount(0);
    await page.reload();
    await expect(members.getByLabel("Role for Harper Quinn")).toHaveValue("VIEWER");
    await page.locator('html[data-hydrated="true"]').waitFor();

    await members.getByRole("button", { name: "Remove Harper Quinn" }).click();
    await members.getByRole("button", { name: "Yes, remove" }).click();
    await expect(members.getByRole("row", { name: /Harper Quinn/ })).toHaveCount(0);
  });

  test("revokes a pending invitation", async ({ page }) => {
    const { admin, agencies } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.northside.id}/users`);
    const email = uniqueEmail("changed.mind");
    const invite = page.getByRole("region", { name: "Invite someone" });
    await invite.getByLabel("E-mail address").fill(email);
    await invite.getByRole("button", { name: "Send invitation" }).click();
    const row = page.getByRole("region", { name: "Pending invitations" }).getByRole("row", { name: new RegExp(email) });
    await expect(row).toContainText("Viewer");
    await row.getByRole("button", { name: `Revoke invitation for ${email}` }).click();
    await row.getByRole("button", { name: "Yes, revoke" }).click();
    await expect(row).toHaveCount(0);
  });

  test("creates an API token whose secret is shown once, uses it, and revokes it", async ({ page, request }) => {
    const { admin, practices } = seed();
    await signIn(page, admin);
    await open(page, "/account/api-tokens");
    const name = `Looker export ${Date.now().toString(36)}`;
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Role").selectOption("VIEWER");
    await page.getByRole("checkbox", { name: "Bright Smiles Dental" }).check();
    await page.getByRole("button", { name: "Create token" }).click();

    const secret = (await page.getByTestId("new-token-secret").textContent())!.trim();
    expect(secret.length).toBeGreaterThan(20);
    await expect(page.getByRole("button", { name: "Copy token" })).toBeVisible();

    // The token works as a bearer credential, limited to the practice it was given.
    const query = async () =>
      (await (
        await request.get(`/graphql?query=${encodeURIComponent("{ practices { edges { node { name } } } }")}`, { headers: { authorization: `Bearer ${secret}` } })
      ).json()) as { data?: { practices: { edges: Array<{ node: { name: string } }> } }; errors?: Array<{ extensions?: { code?: string } }> };
    expect((await query()).data?.practices.edges.map((e) => e.node.name)).toEqual([practices.brightSmiles.name]);

    await page.getByRole("button", { name: "I have stored it safely" }).click();
    await expect(page.getByTestId("new-token-secret")).toHaveCount(0);
    await page.reload();
    expect(await page.content()).not.toContain(secret);

    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText("Active");
    await page.locator('html[data-hydrated="true"]').waitFor();
    await row.getByRole("button", { name: `Revoke token ${name}` }).click();
    await row.getByRole("button", { name: "Yes, revoke" }).click();
    await expect(row).toContainText("Revoked");
    expect((await query()).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  test("filters the audit log by action and date, and pages through it", async ({ page }) => {
    const { admin, agencies, practices } = seed();
    // Every read of the log is itself audited: 30 reads make more than one page of `audit_log.read` events.
    const api = await adminClient();
    for (let i = 0; i < 30; i++) {
      await api.request("query($p: ID!) { auditEvents(practiceId: $p, first: 1) { edges { node { id } } } }", { p: practices.lakeside.gid });
    }
    await signIn(page, admin);
    await open(page, `/a/${agencies.harbor.id}/p/${practices.lakeside.id}/audit`);
    const events = page.getByRole("region", { name: "Audit events" });
    const actions = events.locator("tbody tr td:nth-child(2)");
    await expect(actions.first()).toBeVisible();

    await page.getByLabel("Action").selectOption("location.");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/action=location\./);
    await expect(actions).toHaveText(["location.created"]);

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("From").fill(tomorrow);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByText("No events match these filters.")).toBeVisible();

    await page.getByRole("link", { name: "Clear" }).click();
    await expect(page).not.toHaveURL(/action=/);
    await page.getByLabel("Action").selectOption("audit_log.read");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(actions).toHaveCount(25);
    const newest = await events.locator("tbody tr").first().textContent();
    await page.getByRole("link", { name: "Older events →" }).click();
    await expect(page).toHaveURL(/after=/);
    await expect(events.locator("tbody tr").first()).not.toHaveText(newest!);
    await page.getByRole("link", { name: "← Newer events" }).click();
    await expect(page).toHaveURL(/before=/);
    await expect(actions).toHaveCount(25);
  });

  test("adds a practice from the agency settings, gives it a location and renames it", async ({ page }) => {
    const { admin, agencies } = seed();
    await signIn(page, admin);
    await open(page, `/a/${agencies.northside.id}/settings`);
    const suffix = Date.now().toString(36);
    await page.getByLabel("Practice name").fill(`Riverside Dental ${suffix}`);
    await page.getByLabel("Time zone").selectOption("America/Los_Angeles");
    await page.getByRole("button", { name: "Add practice" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Practice settings");
    await expect(page).toHaveURL(new RegExp(`/a/${agencies.northside.id}/p/[0-9a-f-]+/settings$`));

    const locations = page.getByRole("region", { name: "Locations" });
    await locations.getByLabel("Location name").fill("Harbor View");
    await locations.getByRole("button", { name: "Add location" }).click();
    await expect(locations.getByRole("status")).toHaveText("Added Harbor View.");
    await expect(locations.getByRole("listitem").filter({ hasText: "Harbor View" })).toContainText("America/Los_Angeles");

    const details = page.getByRole("region", { name: "Practice details" });
    await details.getByLabel("Practice name").fill(`Riverside Dental & Implants ${suffix}`);
    await details.getByRole("button", { name: "Save" }).click();
    await expect(details.getByRole("status")).toHaveText("Saved.");
    const practiceButton = page.getByRole("group", { name: "Switch agency, practice and location" }).getByRole("button", { name: /^Practice / });
    await expect(practiceButton).toHaveAccessibleName(`Practice Riverside Dental & Implants ${suffix}`);
    // The page's data has been loaded again (the switcher shows the new name), and the notice is still there.
    await expect(details.getByRole("status")).toHaveText("Saved.");
  });
});
