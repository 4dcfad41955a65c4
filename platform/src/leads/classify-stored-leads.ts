import type { ClickIds, LeadKind } from '@sourceline/sdk';
import { Prisma } from '../generated/prisma/client.ts';
import { channelClassifier, touchFromLead, type ChannelDecision } from '../channels/index.ts';
import type { PracticeChannelConfig } from '../channels/practice-channel-config.ts';
import type { Tx } from '../db/tenant-transaction.ts';

/** A stored lead's marketing fields (never its PHI) and what the ad tables add: what the channel rules read. */
export interface LeadTouchRow {
  id: string;
  source_id: string;
  kind: LeadKind;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  landing_page: string | null;
  gclid: string | null;
  referrer: string | null;
  click_ids: ClickIds | null;
  tracking_number: string | null;
  source_label: string | null;
  ad_id: string | null;
  connector_id: string;
  /** Google's advertising_channel_type of the campaign behind the lead's click or campaign id (R3, R5). */
  ad_channel_type: string | null;
}

/**
 * The columns of LeadTouchRow, for `SELECT … FROM leads l JOIN connections c ON c.id = l.connection_id`. The campaign
 * type comes from the click the lead's gclid names, else from the campaign its campaign id names; a click or campaign
 * arriving after the lead is picked up by the next reclassification.
 */
export const leadTouchColumns = Prisma.sql`
  l.id, l.source_id, l.kind, l.source, l.medium, l.campaign, l.landing_page, l.gclid, l.referrer, l.click_ids,
  l.tracking_number, l.source_label, l.ad_id, c.connector_id,
  coalesce(
    (SELECT k.campaign_type FROM ad_clicks k
      WHERE k.practice_id = l.practice_id AND k.click_id = l.gclid AND k.deleted_at IS NULL AND k.campaign_type IS NOT NULL LIMIT 1),
    (SELECT g.channel_type FROM ad_campaigns g
      WHERE g.practice_id = l.practice_id AND g.source_id = l.campaign_id AND g.deleted_at IS NULL LIMIT 1)
  ) AS ad_channel_type`;

export interface StoredChannelDecision extends ChannelDecision {
  leadId: string;
}

/** Classifies stored leads with the practice's configuration. Pure. */
export function classifyStoredLeads(rows: readonly LeadTouchRow[], config: PracticeChannelConfig): StoredChannelDecision[] {
  const classify = channelClassifier(config.overrides);
  return rows.map((row) => {
    const touch = touchFromLead(
      {
        id: row.source_id, kind: row.kind, source: row.source, medium: row.medium, campaign: row.campaign, landingPage: row.landing_page,
        gclid: row.gclid, referrer: row.referrer, clickIds: row.click_ids, trackingNumber: row.tracking_number, sourceLabel: row.source_label,
        adId: row.ad_id,
      },
      { connectorId: row.connector_id, adChannelType: row.ad_channel_type },
    );
    return { leadId: row.id, ...classify(touch) };
  });
}

/** Stores the decisions with the rules version they were made under. */
export async function writeChannelDecisions(tx: Tx, decisions: readonly StoredChannelDecision[], rulesVersion: string): Promise<void> {
  if (decisions.length === 0) return;
  await tx.$executeRaw`
    UPDATE leads l
       SET classified_channel = u.channel, channel_rule = u.rule, channel_display_name = u.display_name, channel_rules_version = ${rulesVersion}
      FROM unnest(${decisions.map((d) => d.leadId)}::uuid[], ${decisions.map((d) => d.channel)}::text[],
                  ${decisions.map((d) => d.rule)}::text[], ${decisions.map((d) => d.displayName)}::text[]) AS u(id, channel, rule, display_name)
     WHERE l.id = u.id`;
}

/** Live leads of the practice classified under other rules than `rulesVersion` (or never), oldest id first. */
export function loadLeadsWithStaleChannels(tx: Tx, practiceId: string, rulesVersion: string, limit: number): Promise<LeadTouchRow[]> {
  return tx.$queryRaw<LeadTouchRow[]>`
    SELECT ${leadTouchColumns}
      FROM leads l JOIN connections c ON c.id = l.connection_id
     WHERE l.practice_id = ${practiceId}::uuid AND l.deleted_at IS NULL AND l.channel_rules_version IS DISTINCT FROM ${rulesVersion}
     ORDER BY l.id
     LIMIT ${limit}`;
}
