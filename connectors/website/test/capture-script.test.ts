import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureScript } from '../src/capture-script.ts';
import { parseTelClick } from '../src/tel-click.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Two loopback servers, like production: the practice's site, and Sourceline serving s.js and collecting taps. */
let site: http.Server;
let app: http.Server;
let siteUrl: string;
let browser: Browser;
const collected: string[] = [];

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  app = http.createServer((req, res) => {
    if (req.url === '/s.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(captureScript);
      return;
    }
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      collected.push(body);
      res.writeHead(200, { 'access-control-allow-origin': '*' }).end('{}');
    });
  });
  const appUrl = await listen(app);
  site = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><title>${path}</title>
      <script async src="${appUrl}/s.js" data-collect="${appUrl}/hooks/secret/collect"></script></head><body>
      <form id="gform_1"><ul>
        <li class="gfield sl-utm_source"><input type="hidden" name="input_5" id="input_1_5"></li>
        <li class="gfield sl-utm_campaign"><input type="hidden" name="input_6" id="input_1_6"></li>
        <li class="gfield sl-landing_page"><input type="hidden" name="input_7" id="input_1_7"></li>
      </ul><input type="hidden" name="gclid" id="gclid"></form>
      <a id="call" href="tel:+1 (555) 010-9001">Call us</a>
      <a id="out" href="https://elsewhere.test/">Elsewhere</a></body></html>`);
  });
  siteUrl = await listen(site);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--disable-background-networking', '--no-first-run'] });
});

afterAll(async () => {
  await browser?.close();
  site?.close();
  app?.close();
});

describe('s.js on a practice’s site', () => {
  it('carries the ad click from the landing page into a form on another page, and reports a tel: tap as a lead', async () => {
    const page = await browser.newPage();
    await page.goto(`${siteUrl}/implants/?utm_source=google&utm_medium=cpc&utm_campaign=Implants%20Spring&gclid=TESTGCLID123`);
    await page.waitForFunction(() => document.cookie.includes('_sl_src'));
    await page.goto(`${siteUrl}/contact/`);
    await page.waitForFunction(() => (document.getElementById('gclid') as HTMLInputElement).value !== '');
    expect(await page.inputValue('#input_1_5')).toBe('google');
    expect(await page.inputValue('#input_1_6')).toBe('Implants Spring');
    expect(await page.inputValue('#gclid')).toBe('TESTGCLID123');
    expect(await page.inputValue('#input_1_7')).toContain('/implants/?utm_source=google');

    await page.click('#call');
    await expect.poll(() => collected.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const { records, issues } = parseTelClick(collected.at(-1)!);
    expect(issues).toEqual([]);
    expect(records[0]?.record).toMatchObject({ kind: 'click-to-call', campaign: 'Implants Spring', gclid: 'TESTGCLID123', trackingNumber: '+15550109001' });
    await page.close();
  });

  it('keeps the first touch and moves the last one when the visitor comes back from elsewhere', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${siteUrl}/?utm_source=newsletter&utm_medium=email&utm_campaign=May`);
    await page.waitForFunction(() => document.cookie.includes('_sl_src'));
    await page.goto(`${siteUrl}/services/`, { referer: 'https://www.bing.com/' });
    await page.waitForFunction(() => decodeURIComponent(document.cookie).includes('bing'));
    const state = JSON.parse(decodeURIComponent(/_sl_src=([^;]+)/.exec(await page.evaluate(() => document.cookie))![1]!));
    expect(state.first).toMatchObject({ utm_source: 'newsletter', utm_medium: 'email' });
    expect(state.last).toMatchObject({ referrer: 'https://www.bing.com/' });
    await context.close();
  });
});
