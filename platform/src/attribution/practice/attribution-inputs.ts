import type pg from 'pg';
import type { ChannelId } from '../../channels/index.ts';
import type { PracticeCipher } from '../../crypto/practice-keys.ts';
import { AD_CLICK_JOIN, AD_CLICK_NAMES } from '../../leads/ad-click-names.ts';
import { completedProceduresOfPractice, paymentsOfPractice, referralSourcesOfPractice } from '../../records/practice-records.ts';
import type { ChannelPathCount } from '../channel-paths.ts';
import type {
  AttributionLeadInput,
  AttributionPatientInput,
  AttributionReferralSourceInput,
  LeadPatientLink,
  ManualTouchpointInput,
  PracticeAttributionInput,
} from '../engine.ts';

/** The part of a practice a run recomputes: some new patients and some lead episodes (episode ids, or lead ids for leads without one). */
export interface AttributionScope {
  patientIds: readonly string[];
  episodeIds: readonly string[];
}

/**
 * Everything one practice's attribution reads, from the stored records, inside a tenant transaction that reaches the
 * practice (and, for pooling, its agency's other practices). Procedures, payments and referral sources come through
 * `records/`, each named by its chart's Sourceline id. Locations are Sourceline's:
 * a chart's clinic mapped to a location, else its connection's location; a lead its connection's location.
 *
 * With a scope, only what those patients and episodes need: the patients with every lead linked to them, and every
 * lead of the episodes with all their links (an episode counts as linked when any of its leads is).
 */
export async function readAttributionInputs(
  client: pg.PoolClient,
  cipher: PracticeCipher,
  scope?: AttributionScope,
): Promise<Omit<PracticeAttributionInput, 'settings' | 'agencyPaths'>> {
  const practiceId = cipher.practiceId;
  // `only` narrows a query to the scope's rows by a column (`$2`); without a scope it adds nothing.
  const q = async <T extends pg.QueryResultRow>(text: string, narrowed: Only = NO_SCOPE) =>
    (await client.query<T>(`${text}${narrowed.where}`, [practiceId, ...narrowed.params])).rows;
  const patientIds = scope?.patientIds;
  const leadIds = scope && (await leadsInScope(client, practiceId, scope));
  const only = (column: string, ids: readonly string[] | undefined): Only => (ids ? { where: ` AND ${column} = ANY($2::uuid[])`, params: [ids] } : NO_SCOPE);

  const timeZone = (await q<{ time_zone: string }>('SELECT time_zone FROM practices WHERE id = $1'))[0]!.time_zone;
  const patients = await q<AttributionPatientInput>(`
    SELECT p.id, p.first_visit_on::text AS "firstVisitOn", p.created_on::text AS "createdOn",
           coalesce(sl.location_id, c.location_id)::text AS "locationId"
      FROM patients p
      JOIN connections c ON c.id = p.connection_id
      LEFT JOIN source_locations sl ON sl.connection_id = p.connection_id AND sl.source_id = p.location_source_id
     WHERE p.practice_id = $1 AND p.deleted_at IS NULL AND p.status <> 'deleted'`, only('p.id', patientIds));
  // Leads still waiting for their channel are left for the next run (they are minutes old).
  const leads = await q<AttributionLeadInput>(`
    SELECT l.id, to_char(l.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt", ${AD_CLICK_NAMES},
           c.location_id::text AS "locationId", l.classified_channel AS channel, l.episode_id::text AS "episodeId"
      FROM leads l JOIN connections c ON c.id = l.connection_id ${AD_CLICK_JOIN}
     WHERE l.practice_id = $1 AND l.deleted_at IS NULL AND l.classified_channel IS NOT NULL`, only('l.id', leadIds));
  const links = await q<LeadPatientLink>(`
    SELECT lead_id::text AS "leadId", patient_id::text AS "patientId", confidence, method
      FROM lead_matches WHERE practice_id = $1 AND decision = 'link'`, only('lead_id', leadIds));
  const procedures = await completedProceduresOfPractice(client, practiceId, patientIds);
  const payments = await paymentsOfPractice(client, practiceId, patientIds);
  const referrals = await referralSourcesOfPractice(client, practiceId, patientIds);
  const manualTouchpoints = await q<ManualTouchpointInput>(`
    SELECT t.id, t.patient_id::text AS "patientId", t.occurred_on::text AS "occurredAt", t.channel, t.campaign
      FROM manual_touchpoints t JOIN patients p ON p.id = t.patient_id AND p.deleted_at IS NULL
     WHERE t.practice_id = $1`, only('t.patient_id', patientIds));
  return {
    timeZone,
    manualTouchpoints,
    patients,
    leads: leads.map((lead) => ({ ...lead, channel: lead.channel as ChannelId })),
    links,
    procedures,
    payments,
    // "How did you hear about us" is free text (it can name a person): opened here to find its channel, never stored.
    referralSources: referrals.map(({ sealedSourceName, ...rest }): AttributionReferralSourceInput => ({
      ...rest,
      sourceName: cipher.decrypt('referral-source.sourceName', sealedSourceName),
    })),
  };
}

interface Only {
  where: string;
  params: unknown[];
}
const NO_SCOPE: Only = { where: '', params: [] };

/** The leads a scoped run reads: every lead of its episodes, and every lead linked to its patients. */
async function leadsInScope(client: pg.PoolClient, practiceId: string, scope: AttributionScope): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM leads WHERE practice_id = $1 AND (episode_id = ANY($2::uuid[]) OR id = ANY($2::uuid[]))
     UNION
     SELECT lead_id FROM lead_matches WHERE practice_id = $1 AND decision = 'link' AND patient_id = ANY($3::uuid[])`,
    [practiceId, scope.episodeIds, scope.patientIds],
  );
  return rows.map((r) => r.id);
}

/** The journeys the agency's other practices stored on their last runs: the pool a small practice's Markov fit borrows. */
export async function readAgencyPaths(client: pg.PoolClient, practiceId: string): Promise<ChannelPathCount[]> {
  const { rows } = await client.query<{ paths: ChannelPathCount[] }>(
    `SELECT r.paths FROM attribution_runs r
       JOIN practices mine ON mine.id = $1
       JOIN practices other ON other.id = r.practice_id AND other.agency_id = mine.agency_id
      WHERE r.practice_id <> $1`,
    [practiceId],
  );
  return rows.flatMap((row) => row.paths);
}
