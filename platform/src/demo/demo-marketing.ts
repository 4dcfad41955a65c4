import { buildWorldCalls, renderCallRailDeliveries } from '@sourceline/connector-callrail/fake';
import { demoFieldMaps, renderGravityFormsDeliveries } from '@sourceline/connector-gravity-forms/fake';
import { webhookBodyBytes, type WebhookRequest } from '@sourceline/sdk';
import { generateWorld, type DemoPractice } from '@sourceline/sdk/testkit';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import { loadPrincipal, scopeOf } from '../auth/principal.ts';
import { parseSettings, sealSettings } from '../connections/connection-settings.ts';
import { connectorOrThrow } from '../connections/connections.ts';
import type { PracticeCipher } from '../crypto/practice-keys.ts';
import { withTenant, withTenantClient, type Tx } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { importSpendCsv } from '../spend/import-spend-csv.ts';
import { receiveWebhook } from '../webhooks/receive-webhook.ts';
import { readDemoState, type DemoMarketing } from './demo-state.ts';
import { demoWorldSpec } from './demo-world.ts';

export const DEMO_MARKETING_TASK = 'demo_replay_marketing';

/**
 * Connects a demo practice's website forms (Gravity Forms) and call tracking (CallRail) the way an admin would, with
 * settings validated by each connector. CallRail's backfill would call CallRail's API, which the demo has no account
 * with, so that connection is paused: its webhooks are what the demo replays.
 */
export async function connectDemoLeadSources(tx: Tx, cipher: PracticeCipher, input: { practiceId: string; practice: DemoPractice; adminUserId: string }): Promise<DemoMarketing> {
  const connect = async (connectorId: string, displayName: string, settings: unknown, paused: boolean) => {
    const pathSecret = newSecret(24);
    const connector = connectorOrThrow(connectorId);
    const connection = await tx.connection.create({
      data: {
        practiceId: input.practiceId,
        connectorId,
        displayName,
        settingsSealed: new Uint8Array(sealSettings(cipher, parseSettings(connector, settings))),
        webhookSecretHash: hashSecret(pathSecret),
        pausedAt: paused ? new Date() : null,
        createdBy: input.adminUserId,
      },
    });
    return { connectionId: connection.id, pathSecret };
  };
  const webhookSecret = newSecret(24);
  const signingKey = newSecret(24);
  const companyId = `COM${input.practice.slug.replace(/[^a-z0-9]/gi, '').slice(0, 20)}`;
  return {
    gravityForms: {
      ...(await connect('gravity-forms', 'Website forms (demo: replayed webhooks)', { siteUrl: input.practice.website, webhookSecret, forms: demoFieldMaps }, false)),
      webhookSecret,
    },
    callRail: {
      ...(await connect(
        'callrail',
        'CallRail (demo: replayed webhooks)',
        { apiKey: 'demo-has-no-callrail-account', accountId: 'ACCdemo', companyId, signingKey, baseUrl: 'http://127.0.0.1:9/v3' },
        true,
      )),
      signingKey,
      companyId,
    },
  };
}

/**
 * A practice's 18 months of marketing as the sources would have sent it: every website form and call of the demo world
 * delivered to the real webhook endpoints (signed, stored sealed, processed, matched, attributed like any other), and
 * the ad spend imported as monthly spend files, as an office without an ad-API connection would. Runs as a job after
 * the first start; redelivery is harmless (records are keyed by their source ids), so a retry finishes what a crash left.
 */
export async function replayDemoMarketing(platform: Platform, practiceId: string): Promise<{ deliveries: number; spendRows: number }> {
  const state = await readDemoState(platform);
  const entry = state?.practices.find((p) => p.practiceId === practiceId);
  if (!state?.adminUserId || !entry?.marketing) throw new Error(`practice ${practiceId} is not a demo practice with lead sources`);
  const adminUserId = state.adminUserId;
  const practice = generateWorld(demoWorldSpec(state.asOf, state.scale)).practices[entry.worldIndex]!;
  const { gravityForms, callRail } = entry.marketing;

  const deliver = async (pathSecret: string, webhookName: string, request: WebhookRequest) => {
    const answer = await receiveWebhook(platform, {
      secret: pathSecret,
      webhookName,
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
      rawBody: Buffer.from(webhookBodyBytes(request)),
      origin: { userAgent: 'sourceline-demo' },
    });
    if (answer.status !== 200) throw new Error(`the demo's ${webhookName} delivery was refused (${answer.status}): ${JSON.stringify(answer.body).slice(0, 300)}`);
  };
  let deliveries = 0;
  for (const delivery of renderGravityFormsDeliveries(practice, { webhookSecret: gravityForms.webhookSecret })) {
    await deliver(gravityForms.pathSecret, delivery.webhook, delivery.request);
    deliveries += 1;
  }
  const calls = buildWorldCalls(practice, { id: callRail.companyId, name: practice.name });
  for (const delivery of renderCallRailDeliveries(calls, { signingKey: callRail.signingKey })) {
    await deliver(callRail.pathSecret, delivery.webhook, delivery.request);
    deliveries += 1;
  }

  // A spend file has one row per day and campaign; the world keeps ad groups apart. One file per month, as offices
  // export them, each its own transaction: a failure costs a month, not the whole replay.
  type SpendFileRow = { date: string; source: string; medium: string; campaign: string; cents: number };
  const byCampaignDay = new Map<string, SpendFileRow>();
  for (const s of practice.spend) {
    const key = JSON.stringify([s.date, s.source, s.medium, s.campaign]);
    const row = byCampaignDay.get(key) ?? { date: s.date, source: s.source, medium: s.medium, campaign: s.campaign, cents: 0 };
    row.cents += s.costCents;
    byCampaignDay.set(key, row);
  }
  const byMonth = new Map<string, SpendFileRow[]>();
  for (const row of byCampaignDay.values()) {
    const month = row.date.slice(0, 7);
    if (!byMonth.has(month)) byMonth.set(month, []);
    byMonth.get(month)!.push(row);
  }
  const principal = await withTenantClient(platform.db.app, { userId: adminUserId }, (client) => loadPrincipal(client, { userId: adminUserId }));
  if (!principal) throw new Error('the demo administrator no longer exists');
  let spendRows = 0;
  for (const [month, rows] of byMonth) {
    const csv = ['date,source,medium,campaign,amount', ...rows.map((r) => [r.date, r.source, r.medium, csvCell(r.campaign), (r.cents / 100).toFixed(2)].join(','))].join('\n');
    const imported = await withTenant(platform.db.prisma, scopeOf(principal), (tx) =>
      importSpendCsv(tx, platform.keys, principal, { practiceId, csv, origin: { userAgent: 'sourceline-demo' } }),
    );
    if (imported.problems.length) throw new Error(`the demo's ${month} spend file was refused: ${imported.problems[0]!.message} (line ${imported.problems[0]!.line})`);
    spendRows += imported.rows;
  }
  return { deliveries, spendRows };
}

const csvCell = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

export function demoMarketingTask(platform: Platform): Task {
  return async (payload) => {
    const { practiceId } = z.object({ practiceId: z.uuid() }).parse(payload);
    const result = await replayDemoMarketing(platform, practiceId);
    platform.logger.info({ practiceId, ...result }, 'replayed the demo practice’s lead webhooks and spend');
  };
}
