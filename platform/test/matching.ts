import type { Lead, Patient } from '@sourceline/sdk';
export { chartRecord, leadRecord } from '../src/matching/testing.ts';
import { withSystem, withTenant, withTenantClient } from '../src/db/tenant-transaction.ts';
import { leadIdentifierKeys } from '../src/leads/lead-identifier-keys.ts';
import { upsertRecords, type RecordTarget } from '../src/records/write-records.ts';
import type { TestPlatform } from './platform.ts';

async function cipherOf(platform: TestPlatform, practiceId: string) {
  return withTenant(platform.db.prisma, { practiceIds: [practiceId] }, (tx) => platform.keys.cipherFor(tx, practiceId));
}

export async function landCharts(platform: TestPlatform, target: RecordTarget, charts: readonly Patient[]): Promise<void> {
  const cipher = await cipherOf(platform, target.practiceId);
  await withTenantClient(platform.db.app, { practiceIds: [target.practiceId] }, (client) => upsertRecords(client, target, cipher, 'patient', [...charts]));
}

/** Lands leads without the landing hooks: matching tests run matching themselves. */
export async function landLeadRecords(platform: TestPlatform, target: RecordTarget, leads: readonly Lead[]): Promise<void> {
  const cipher = await cipherOf(platform, target.practiceId);
  await withTenantClient(platform.db.app, { practiceIds: [target.practiceId] }, (client) => upsertRecords(client, target, cipher, 'lead', [...leads], leadIdentifierKeys));
}

export interface StoredMatch {
  lead: string;
  patient: string;
  decision: 'link' | 'review';
  confidence: number;
  method: string;
  manual: boolean;
}

/** Every stored match of the practice, by the source ids of lead and chart, sorted. */
export async function storedMatches(platform: TestPlatform, practiceId: string): Promise<StoredMatch[]> {
  return withSystem(platform.db.owner, async (c) =>
    (await c.query<StoredMatch>(
      `SELECT l.source_id AS lead, p.source_id AS patient, m.decision, m.confidence, m.method, m.manual
         FROM lead_matches m JOIN leads l ON l.id = m.lead_id JOIN patients p ON p.id = m.patient_id
        WHERE m.practice_id = $1 ORDER BY l.source_id, p.source_id`,
      [practiceId],
    )).rows,
  );
}

/** The stored id of a record by its source id. */
export async function storedId(platform: TestPlatform, table: 'leads' | 'patients', sourceId: string): Promise<string> {
  return withSystem(platform.db.owner, async (c) => (await c.query<{ id: string }>(`SELECT id FROM ${table} WHERE source_id = $1`, [sourceId])).rows[0]!.id);
}

/** The practice's kept link and review counts (lead_match_counts) beside a fresh count of its stored matches. */
export async function keptAndCountedMatches(platform: TestPlatform, practiceId: string): Promise<{ kept: { links: number; review: number }; counted: { links: number; review: number } }> {
  return withSystem(platform.db.owner, async (c) => {
    const kept = await c.query<{ links: number; review: number }>('SELECT links::int, review::int FROM lead_match_counts WHERE practice_id = $1', [practiceId]);
    const counted = await c.query<{ links: number; review: number }>(
      `SELECT count(*) FILTER (WHERE decision = 'link')::int AS links, count(*) FILTER (WHERE decision = 'review')::int AS review
         FROM lead_matches WHERE practice_id = $1`,
      [practiceId],
    );
    return { kept: kept.rows[0] ?? { links: 0, review: 0 }, counted: counted.rows[0]! };
  });
}
