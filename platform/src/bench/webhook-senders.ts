import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { signCallRailBody } from '@sourceline/connector-callrail';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import { sealSettings } from '../connections/connection-settings.ts';
import { withTenant } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';

const fixture = (connector: string, file: string) =>
  readFile(fileURLToPath(new URL(`../../../connectors/${connector}/fixtures/${file}`, import.meta.url)), 'utf8');

const FIRST = ['Avery', 'Jordan', 'Maria', 'Wei', 'Fatima', 'Liam', 'Grace', 'Mateo', 'Priya', 'Noah', 'Chloe', 'Kwame'];
const LAST = ['Okafor', 'Lindqvist', 'Haddad', 'Novak', 'Castillo', 'Brennan', 'Tanaka', 'Osei', 'Moreau', 'Kowalski', 'Reyes'];

/**
 * Who the n-th delivery is from: a different person each time, except that every fifth comes again from someone who
 * got in touch a few deliveries earlier (a form, then a call) — the mix of new and repeat contacts a practice sees.
 * Numbers are valid US numbers in the 614 area (the fixtures' 555-01xx numbers are fictional and carry no identity);
 * addresses are on a domain nobody receives mail at.
 */
function contactOf(n: number): { first: string; last: string; email: string; phone: string } {
  const person = n % 5 === 4 ? n - 3 : n;
  const first = FIRST[person % FIRST.length]!;
  const last = LAST[Math.floor(person / FIRST.length) % LAST.length]!;
  const line = 2_000_000 + ((person * 7_919) % 7_000_000);
  return { first, last, email: `${first}.${last}.${person}@bench.sourceline.dev`.toLowerCase(), phone: `+1614${line}` };
}

/** A source that posts signed webhooks: its endpoint path and the n-th delivery (a distinct record per n). */
export interface WebhookSender {
  url: string;
  body(n: number): { body: string; headers: Record<string, string> };
}

/**
 * A Gravity Forms and a CallRail connection for the practice, and senders that sign deliveries as those sources do:
 * for load benchmarks and fault-injection tests.
 */
export async function createWebhookSenders(platform: Pick<Platform, 'db' | 'keys'>, practiceId: string): Promise<WebhookSender[]> {
  const gfSettings = { ...JSON.parse(await fixture('gravity-forms', 'settings.json')), webhookSecret: 'bench-gravity-forms-secret' };
  const callRailSettings = { accountId: 'ACCBENCH', apiKey: 'bench', signingKey: 'bench-callrail-signing-key' };
  const gfSecret = newSecret(24);
  const crSecret = newSecret(24);
  await withTenant(platform.db.prisma, { practiceIds: [practiceId] }, async (tx) => {
    const cipher = await platform.keys.cipherFor(tx, practiceId);
    for (const [connectorId, settings, secret] of [['gravity-forms', gfSettings, gfSecret], ['callrail', callRailSettings, crSecret]] as const) {
      await tx.connection.create({
        data: {
          practiceId: practiceId,
          connectorId,
          displayName: connectorId,
          settingsSealed: new Uint8Array(sealSettings(cipher, settings as Record<string, unknown>)),
          webhookSecretHash: hashSecret(secret),
        },
      });
    }
  });
  const entry = JSON.parse(await fixture('gravity-forms', 'entry-all-fields.json')) as Record<string, unknown>;
  const call = JSON.parse(await fixture('callrail', 'post-call.json')) as Record<string, unknown>;
  return [
    {
      url: `/hooks/${gfSecret}/entry`,
      body: (n) => {
        const who = contactOf(n);
        const fields = { '1.3': who.first, '1.6': who.last, '2': who.email, '3': who.phone };
        return { body: JSON.stringify({ ...entry, ...fields, id: String(100_000 + n) }), headers: { 'x-sourceline-token': gfSettings.webhookSecret } };
      },
    },
    {
      url: `/hooks/${crSecret}/post-call`,
      body: (n) => {
        const who = contactOf(n);
        const caller = { customer_phone_number: who.phone, customer_name: `${who.last} ${who.first}`.toUpperCase() };
        const body = JSON.stringify({ ...call, ...caller, id: `CALBENCH${n}`, resource_id: `CALBENCH${n}` });
        return { body, headers: { signature: signCallRailBody(body, callRailSettings.signingKey) } };
      },
    },
  ];
}
