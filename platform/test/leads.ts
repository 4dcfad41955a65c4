import type { Lead } from '@sourceline/sdk';
import { withSystem, withTenant, withTenantClient } from '../src/db/tenant-transaction.ts';
import { leadIdentifierKeys } from '../src/leads/lead-identifier-keys.ts';
import { settleLandedLeads } from '../src/leads/settle-pending-leads.ts';
import { upsertRecords, type RecordTarget } from '../src/records/write-records.ts';
import type { TestPlatform } from './platform.ts';

const DAY_MS = 86_400_000;

/** An instant `days` (and `extraMs`) after a fixed start, as an ISO string. */
export const at = (days: number, extraMs = 0) => new Date(Date.UTC(2026, 0, 5, 15) + days * DAY_MS + extraMs).toISOString();

/** A lead with nothing but what the test says: a blank form of the given id. */
export function lead(id: string, fields: Partial<Lead> = {}): Lead {
  return {
    id, occurredAt: at(0), kind: 'form', channel: null, source: null, medium: null, campaign: null, adGroup: null, keyword: null, gclid: null,
    name: null, phone: null, email: null, landingPage: null, message: null, durationSeconds: null, locationId: null, ...fields,
  };
}

/** A connection of the practice, made as the system role (no connector settings are read by these tests). */
export async function addConnection(platform: TestPlatform, practiceId: string, connectorId: string): Promise<RecordTarget> {
  const connectionId = await withSystem(platform.db.owner, async (c) =>
    (await c.query<{ id: string }>(
      `INSERT INTO connections (practice_id, connector_id, display_name, settings_sealed) VALUES ($1, $2, $3, '\\x00') RETURNING id`,
      [practiceId, connectorId, connectorId],
    )).rows[0]!.id,
  );
  return { practiceId, connectionId };
}

/** Lands leads the way the webhook and sync writers do: upserted with their identity digests, then settled. */
export async function landLeads(platform: TestPlatform, target: RecordTarget, leads: Lead[]): Promise<void> {
  const scope = { practiceIds: [target.practiceId] };
  const cipher = await withTenant(platform.db.prisma, scope, (tx) => platform.keys.cipherFor(tx, target.practiceId));
  await withTenantClient(platform.db.app, scope, (client) => upsertRecords(client, target, cipher, 'lead', leads, leadIdentifierKeys));
  await settleLandedLeads(platform, target.practiceId);
}

export interface StoredLead {
  id: string;
  source_id: string;
  classified_channel: string | null;
  channel_rule: string | null;
  channel_display_name: string | null;
  channel_rules_version: string | null;
  episode_id: string | null;
  contact_type: string | null;
  settled: boolean;
}

/** The derived columns of a practice's leads, by source id. */
export async function storedLeads(platform: TestPlatform, practiceId: string): Promise<Map<string, StoredLead>> {
  const rows = await withSystem(platform.db.owner, async (c) =>
    (await c.query<StoredLead>(
      `SELECT id, source_id, classified_channel, channel_rule, channel_display_name, channel_rules_version, episode_id, contact_type,
              settled_state IS NOT DISTINCT FROM lead_settle_key(content_hash, deleted_at) AS settled
         FROM leads WHERE practice_id = $1`,
      [practiceId],
    )).rows,
  );
  return new Map(rows.map((r) => [r.source_id, r]));
}
