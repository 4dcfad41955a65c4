import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type Page } from "@playwright/test";
import * as OTPAuth from "otpauth";

export { expect };

/** Opens a page of the app and waits until React has hydrated it (buttons work only from then on). */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('html[data-hydrated="true"]').waitFor();
}

/**
 * Signs `page`'s browser context in through the API (faster than the form, which the auth spec covers): the page's
 * request context shares the browser's cookies, so the session cookie lands where the pages will send it.
 */
export async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.request.get(`/graphql?query=${encodeURIComponent("{ __typename }")}`);
  const csrf = (await page.context().cookies()).find((c) => c.name === "sl_csrf")?.value ?? "";
  const response = await page.request.post("/graphql", {
    headers: { "x-csrf-token": decodeURIComponent(csrf) },
    data: { query: "mutation($e: String!, $p: String!) { login(email: $e, password: $p) }", variables: { e: user.email, p: user.password } },
  });
  const body = (await response.json()) as { data?: { login: string }; errors?: Array<{ message: string }> };
  if (body.data?.login !== "SIGNED_IN") throw new Error(`could not sign in ${user.email}: ${JSON.stringify(body.errors ?? body.data)}`);
}

export async function signInThroughForm(page: Page, user: { email: string; password: string }): Promise<void> {
  await open(page, "/login");
  await page.getByLabel("E-mail address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** WCAG 2 A/AA checks with axe; serious and critical findings fail the test. */
export async function expectNoSeriousA11yViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  expect(serious, `accessibility violations on ${screen}`).toEqual([]);
}

/** The six-digit code an authenticator app would show for `secret`, `offsetSeconds` from now. */
export function totp(secret: string, offsetSeconds = 0): string {
  const generator = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret.replace(/\s+/g, "")), digits: 6, period: 30, algorithm: "SHA1" });
  return generator.generate({ timestamp: Date.now() + offsetSeconds * 1000 });
}

/**
 * Fails a test on any console error (hydration mismatches, failed requests, uncaught exceptions). A test that expects
 * one (e.g. it opens a page that answers 404) says so with `consoleErrors.allow(/404/)`.
 */
export const test = base.extend<{ consoleErrors: { allow: (pattern: RegExp) => void } }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      const allowed: RegExp[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(error.message));
      await use({ allow: (pattern) => allowed.push(pattern) });
      expect(errors.filter((e) => !allowed.some((p) => p.test(e))), "console errors").toEqual([]);
    },
    { auto: true },
  ],
});
