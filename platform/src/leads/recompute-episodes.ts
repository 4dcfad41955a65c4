import type { Tx } from '../db/tenant-transaction.ts';
import { PERSON_IDENTIFIER_KINDS } from './lead-identifier-keys.ts';
import { assignEpisodes, groupContactsByPerson, type Contact, type ContactType, type EpisodeAssignment } from './lead-episodes.ts';

interface PersonLeadRow {
  id: string;
  occurred_at: Date;
  deleted: boolean;
  is_first_contact: boolean | null;
  episode_id: string | null;
  contact_type: ContactType | null;
  identity_keys: string[];
}

/**
 * Every lead of the people the seed leads belong to, now or before: leads sharing a phone or an e-mail with a seed,
 * transitively, plus the rest of each seed's current episode (a lead whose phone changed, or that was withdrawn, leaves
 * people behind that must be regrouped). Withdrawn leads are followed too — they may have been the only link.
 * Parameters: practice id, seed lead ids, identifier kinds.
 *
 * Every step probes an index per lead (`OFFSET 0` keeps a lateral subquery from being flattened into a join): while
 * the tables grow fast the planner's statistics are stale, and with plain joins it read every identifier and every
 * lead of the practice on each call (26 ms a call under `pnpm bench ingest`, under 1 ms with the probes).
 */
export const PEOPLE_OF_SQL = `
  WITH RECURSIVE seed AS MATERIALIZED (
    SELECT l.id, l.episode_id
      FROM unnest($2::uuid[]) AS s(id)
      CROSS JOIN LATERAL (SELECT id, practice_id, episode_id FROM leads WHERE id = s.id OFFSET 0) l
     WHERE l.practice_id = $1::uuid
  ), seeds AS (
    SELECT id FROM seed
    UNION
    SELECT member.id
      FROM seed
      CROSS JOIN LATERAL (SELECT id, practice_id FROM leads WHERE episode_id = seed.episode_id OFFSET 0) member
     WHERE seed.episode_id IS NOT NULL AND member.practice_id = $1::uuid
  ), reached(lead_id) AS (
    SELECT id FROM seeds
    UNION
    SELECT other.lead_id
      FROM reached
      CROSS JOIN LATERAL (SELECT kind, digest FROM lead_identifiers WHERE lead_id = reached.lead_id AND kind = ANY($3::text[]) OFFSET 0) mine
      CROSS JOIN LATERAL (SELECT lead_id FROM lead_identifiers
                           WHERE practice_id = $1::uuid AND kind = mine.kind AND digest = mine.digest OFFSET 0) other
  )
  SELECT l.id, l.occurred_at, l.deleted_at IS NOT NULL AS deleted, l.is_first_contact, l.episode_id, l.contact_type, keys.identity_keys
    FROM reached
    CROSS JOIN LATERAL (SELECT * FROM leads WHERE id = reached.lead_id OFFSET 0) l
    CROSS JOIN LATERAL (SELECT coalesce(array_agg(kind || ':' || encode(digest, 'hex')), '{}') AS identity_keys
                          FROM lead_identifiers WHERE lead_id = l.id AND kind = ANY($3::text[])) keys`;

function loadPeopleOf(tx: Tx, practiceId: string, seedIds: readonly string[]): Promise<PersonLeadRow[]> {
  return tx.$queryRawUnsafe<PersonLeadRow[]>(PEOPLE_OF_SQL, practiceId, [...seedIds], [...PERSON_IDENTIFIER_KINDS]);
}

/** A lead's episode as regrouping leaves it, where that differs from what is stored. */
export interface EpisodeChange {
  id: string;
  episodeId: string | null;
  contactType: ContactType | null;
}

/**
 * Regroups the episodes of everyone the seed leads touch, from the platform's whole history of them, without writing:
 * the ids of every lead regrouped and the changes to store. Incremental (only those people are read) and idempotent
 * (the result depends on their leads only), so a lead arriving out of order, or twice, leaves the same episodes.
 */
export async function planEpisodes(
  tx: Tx,
  practiceId: string,
  seedIds: readonly string[],
  windowDays: number,
): Promise<{ regrouped: string[]; changes: EpisodeChange[] }> {
  if (seedIds.length === 0) return { regrouped: [], changes: [] };
  const rows = await loadPeopleOf(tx, practiceId, seedIds);
  const live: Contact[] = rows
    .filter((r) => !r.deleted)
    .map((r) => ({ id: r.id, occurredAt: r.occurred_at, identityKeys: r.identity_keys, sourceSaysFirstContact: r.is_first_contact }));
  const assigned = new Map<string, EpisodeAssignment>();
  for (const person of groupContactsByPerson(live)) {
    for (const [id, assignment] of assignEpisodes(person, windowDays)) assigned.set(id, assignment);
  }
  const changes = rows.flatMap((row) => {
    const next = assigned.get(row.id) ?? null;
    const unchanged = row.episode_id === (next?.episodeId ?? null) && row.contact_type === (next?.contactType ?? null);
    return unchanged ? [] : [{ id: row.id, episodeId: next?.episodeId ?? null, contactType: next?.contactType ?? null }];
  });
  return { regrouped: rows.map((r) => r.id), changes };
}

/** Regroups as `planEpisodes` does and stores what changed. Returns the ids of every lead it regrouped. */
export async function recomputeEpisodes(tx: Tx, practiceId: string, seedIds: readonly string[], windowDays: number): Promise<string[]> {
  const { regrouped, changes } = await planEpisodes(tx, practiceId, seedIds, windowDays);
  if (changes.length > 0) {
    await tx.$executeRaw`
      UPDATE leads l SET episode_id = u.episode_id, contact_type = u.contact_type
        FROM unnest(${changes.map((c) => c.id)}::uuid[], ${changes.map((c) => c.episodeId)}::uuid[], ${changes.map((c) => c.contactType)}::text[])
             AS u(id, episode_id, contact_type)
       WHERE l.id = u.id`;
  }
  return regrouped;
}
