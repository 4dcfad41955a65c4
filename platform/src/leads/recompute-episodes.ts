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
 */
function loadPeopleOf(tx: Tx, practiceId: string, seedIds: readonly string[]): Promise<PersonLeadRow[]> {
  const kinds = [...PERSON_IDENTIFIER_KINDS];
  return tx.$queryRaw<PersonLeadRow[]>`
    WITH RECURSIVE seeds AS (
      SELECT id FROM leads WHERE practice_id = ${practiceId}::uuid AND id = ANY(${seedIds}::uuid[])
      UNION
      SELECT member.id
        FROM leads seed JOIN leads member ON member.episode_id = seed.episode_id AND member.practice_id = seed.practice_id
       WHERE seed.practice_id = ${practiceId}::uuid AND seed.id = ANY(${seedIds}::uuid[]) AND seed.episode_id IS NOT NULL
    ), reached(lead_id) AS (
      SELECT id FROM seeds
      UNION
      SELECT other.lead_id
        FROM reached
        JOIN lead_identifiers mine ON mine.lead_id = reached.lead_id AND mine.kind = ANY(${kinds}::text[])
        JOIN lead_identifiers other ON other.practice_id = ${practiceId}::uuid AND other.kind = mine.kind AND other.digest = mine.digest
    )
    SELECT l.id, l.occurred_at, l.deleted_at IS NOT NULL AS deleted, l.is_first_contact, l.episode_id, l.contact_type,
           coalesce(array_agg(i.kind || ':' || encode(i.digest, 'hex')) FILTER (WHERE i.kind = ANY(${kinds}::text[])), '{}') AS identity_keys
      FROM reached
      JOIN leads l ON l.id = reached.lead_id
      LEFT JOIN lead_identifiers i ON i.lead_id = l.id
     GROUP BY l.id`;
}

/**
 * Regroups the episodes of everyone the seed leads touch, from the platform's whole history of them, and stores what
 * changed. Incremental (only those people are read) and idempotent (the result depends on their leads only), so a lead
 * arriving out of order, or twice, leaves the same episodes. Returns the ids of every lead it regrouped.
 */
export async function recomputeEpisodes(tx: Tx, practiceId: string, seedIds: readonly string[], windowDays: number): Promise<string[]> {
  if (seedIds.length === 0) return [];
  const rows = await loadPeopleOf(tx, practiceId, seedIds);
  const live: Contact[] = rows
    .filter((r) => !r.deleted)
    .map((r) => ({ id: r.id, occurredAt: r.occurred_at, identityKeys: r.identity_keys, sourceSaysFirstContact: r.is_first_contact }));
  const assigned = new Map<string, EpisodeAssignment>();
  for (const person of groupContactsByPerson(live)) {
    for (const [id, assignment] of assignEpisodes(person, windowDays)) assigned.set(id, assignment);
  }
  const changed = rows.flatMap((row) => {
    const next = assigned.get(row.id) ?? null;
    const unchanged = row.episode_id === (next?.episodeId ?? null) && row.contact_type === (next?.contactType ?? null);
    return unchanged ? [] : [{ id: row.id, episodeId: next?.episodeId ?? null, contactType: next?.contactType ?? null }];
  });
  if (changed.length > 0) {
    await tx.$executeRaw`
      UPDATE leads l SET episode_id = u.episode_id, contact_type = u.contact_type
        FROM unnest(${changed.map((c) => c.id)}::uuid[], ${changed.map((c) => c.episodeId)}::uuid[], ${changed.map((c) => c.contactType)}::text[])
             AS u(id, episode_id, contact_type)
       WHERE l.id = u.id`;
  }
  return rows.map((r) => r.id);
}
