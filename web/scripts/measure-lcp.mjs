#!/usr/bin/env node
// Largest Contentful Paint of one page in headless Chromium, for `pnpm bench web`:
//   node web/scripts/measure-lcp.mjs <url> <cookie header> <chromium path>
// Prints "LCP <ms> ms (median of 5 loads; first byte at <ms> ms, largest element <tag>)". Runs from web/, where Playwright is installed.
import { chromium } from "@playwright/test";

const [url, cookieHeader, executablePath] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 960 } });
  const { origin } = new URL(url);
  await context.addCookies(cookieHeader.split("; ").map((pair) => {
    const eq = pair.indexOf("=");
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1), url: origin };
  }));
  const page = await context.newPage();
  const samples = [];
  for (let i = 0; i < 6; i++) {
    await page.goto(url, { waitUntil: "load" });
    const sample = await page.evaluate(
      () =>
        new Promise((resolve) => {
          new PerformanceObserver((list) => {
            const entries = list.getEntries();
            const last = entries[entries.length - 1];
            const [nav] = performance.getEntriesByType("navigation");
            resolve({ lcp: last.startTime, firstByte: nav.responseStart, element: last.element?.tagName.toLowerCase() ?? "?" });
          }).observe({ type: "largest-contentful-paint", buffered: true });
        }),
    );
    if (i > 0) samples.push(sample); // the first load warms the server and the browser cache
  }
  samples.sort((a, b) => a.lcp - b.lcp);
  const median = samples[Math.floor(samples.length / 2)];
  process.stdout.write(
    `LCP ${median.lcp.toFixed(0)} ms (median of ${samples.length} loads; first byte at ${median.firstByte.toFixed(0)} ms, largest element <${median.element}>)\n`,
  );
} finally {
  await browser.close();
}
