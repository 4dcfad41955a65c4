import type { LeadKind } from '@sourceline/sdk';
import { z } from 'zod';
import type { ChannelId } from '../channels/index.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { ContactType } from './lead-episodes.ts';
import { AD_CLICK_JOIN, AD_CLICK_NAMES } from './ad-click-names.ts';

/** A lead as lists show it: marketing context and what the platform derived, never its PHI (read separately, audited). */
export interface LeadListItem {
  id: string;
  practiceId: string;
  connectionId: string;
  occurredAt: Date;
  kind: LeadKind;
  channel: ChannelId | null;
  channelRule: string | null;
  channelDisplayName: string | null;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  adGroup: string | null;
  keyword: string | null;
  referrer: string | null;
  durationSeconds: number | null;
  episodeId: string | null;
  contactType: ContactType | null;
  sourceSaysFirstContact: boolean | null;
}

export type LeadStatusFilter = 'all' | 'unmatched' | 'repeat' | 'not-seen';

export interface LeadFilter {
  from?: Date | null;
  to?: Date | null;
  channel?: ChannelId | null;
  status?: LeadStatusFilter | null;
}

/** A page in Relay's terms: `after`/`before` are lead ids (the cursor), `inverted` when paging backwards from `before`. */
export interface LeadPage {
  after?: string | null;
  before?: string | null;
  limit: number;
  inverted: boolean;
}

const leadListColumns = Prisma.sql`
  l.id, l.practice_id AS "practiceId", l.connection_id AS "connectionId", l.occurred_at AS "occurredAt", l.kind,
  l.classified_channel AS channel, l.channel_rule AS "channelRule", l.channel_display_name AS "channelDisplayName",
  l.source, l.medium, ${Prisma.raw(AD_CLICK_NAMES)}, l.referrer,
  l.duration_seconds AS "durationSeconds", l.episode_id AS "episodeId", l.contact_type AS "contactType",
  l.is_first_contact AS "sourceSaysFirstContact"`;

const adClickJoin = Prisma.raw(AD_CLICK_JOIN);

const Cursor = z.uuid();

function cursorOf(value: string): string {
  const parsed = Cursor.safeParse(value);
  if (!parsed.success) throw new UserFacingError('That cursor does not come from this list.', 'BAD_USER_INPUT', { field: 'after' });
  return parsed.data;
}

function conditions(practiceId: string, filter: LeadFilter): Prisma.Sql[] {
  const where = [Prisma.sql`l.practice_id = ${practiceId}::uuid`, Prisma.sql`l.deleted_at IS NULL`];
  if (filter.from) where.push(Prisma.sql`l.occurred_at >= ${filter.from}`);
  if (filter.to) where.push(Prisma.sql`l.occurred_at < ${filter.to}`);
  if (filter.channel) where.push(Prisma.sql`l.classified_channel = ${filter.channel}`);
  if (filter.status === 'repeat') where.push(Prisma.sql`l.contact_type = 'repeat'`);
  if (filter.status === 'unmatched') {
    where.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM lead_matches m WHERE m.lead_id = l.id AND m.decision = 'link')`);
  }
  if (filter.status === 'not-seen') {
    // New leads no patient has come in from yet: unlinked, or linked only to charts awaiting a first visit.
    where.push(Prisma.sql`l.contact_type IS DISTINCT FROM 'repeat'`);
    where.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM lead_matches m JOIN patients p ON p.id = m.patient_id
                                       WHERE m.lead_id = l.id AND m.decision = 'link' AND p.first_visit_on IS NOT NULL AND p.deleted_at IS NULL)`);
  }
  return where;
}

/**
 * One page of the practice's leads, newest first (oldest first when `inverted`, as Relay's backward paging wants).
 * Keyset paging on (occurred_at, id): a lead landing meanwhile never shifts or repeats a page.
 */
export function listLeads(tx: Tx, practiceId: string, filter: LeadFilter, page: LeadPage): Promise<LeadListItem[]> {
  const where = conditions(practiceId, filter);
  if (page.after) where.push(Prisma.sql`(l.occurred_at, l.id) < (SELECT c.occurred_at, c.id FROM leads c WHERE c.id = ${cursorOf(page.after)}::uuid)`);
  if (page.before) where.push(Prisma.sql`(l.occurred_at, l.id) > (SELECT c.occurred_at, c.id FROM leads c WHERE c.id = ${cursorOf(page.before)}::uuid)`);
  const order = page.inverted ? Prisma.sql`l.occurred_at ASC, l.id ASC` : Prisma.sql`l.occurred_at DESC, l.id DESC`;
  return tx.$queryRaw<LeadListItem[]>`
    SELECT ${leadListColumns} FROM leads l ${adClickJoin} WHERE ${Prisma.join(where, ' AND ')} ORDER BY ${order} LIMIT ${page.limit}`;
}

/** Leads by id, those this transaction may see, in the order asked. */
export async function findLeads(tx: Tx, ids: readonly string[]): Promise<LeadListItem[]> {
  const valid = ids.filter((id) => Cursor.safeParse(id).success);
  if (!valid.length) return [];
  const rows = await tx.$queryRaw<LeadListItem[]>`SELECT ${leadListColumns} FROM leads l ${adClickJoin} WHERE l.id = ANY(${valid}::uuid[]) AND l.deleted_at IS NULL`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  return valid.flatMap((id) => byId.get(id) ?? []);
}
