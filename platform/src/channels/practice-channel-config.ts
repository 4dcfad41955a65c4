import type { z } from 'zod';
import type { ChannelRule as ChannelRuleRow, Prisma } from '../generated/prisma/client.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { ChannelOverrides, OverrideRule } from './channel-overrides.ts';
import { channelRulesVersion } from './channel-taxonomy.ts';

/** A practice's channel tables: everything of ChannelOverrides except the ordered rules, which have their own table. */
export const ChannelTables = ChannelOverrides.omit({ rules: true });
export type ChannelTables = z.infer<typeof ChannelTables>;

/** What classifying a practice's leads reads, and the version its decisions are stored under. */
export interface PracticeChannelConfig {
  overrides: ChannelOverrides;
  /**
   * `<default rules version>.<practice rules revision>`, stored with every lead's channel: a lead whose version differs
   * was classified under other rules and is reclassified by the practice's history job.
   */
  rulesVersion: string;
}

/** A stored rule row as the classifier's OverrideRule. */
export function overrideRuleOf(row: Pick<ChannelRuleRow, 'ruleKey' | 'description' | 'conditions' | 'channel' | 'displayName'>): OverrideRule {
  return OverrideRule.parse({
    id: row.ruleKey,
    description: row.description ?? undefined,
    when: row.conditions,
    channel: row.channel,
    displayName: row.displayName ?? undefined,
  });
}

/** The practice's rules in evaluation order. */
export function listChannelRuleRows(tx: Tx, practiceId: string): Promise<ChannelRuleRow[]> {
  return tx.channelRule.findMany({ where: { practiceId }, orderBy: [{ position: 'asc' }, { createdAt: 'asc' }] });
}

export async function loadPracticeChannelConfig(tx: Tx, practiceId: string): Promise<PracticeChannelConfig> {
  const settings = await tx.channelSettings.findUnique({ where: { practiceId } });
  const rules = await listChannelRuleRows(tx, practiceId);
  const tables = ChannelTables.parse(settings?.tables ?? {});
  return {
    overrides: ChannelOverrides.parse({ ...tables, rules: rules.map(overrideRuleOf) }),
    rulesVersion: `${channelRulesVersion}.${settings?.rulesRevision ?? 0}`,
  };
}

/** The stored tables (defaults when the practice never changed them) and the revision they are at. */
export async function loadChannelTables(tx: Tx, practiceId: string): Promise<{ tables: ChannelTables; rulesRevision: number }> {
  const settings = await tx.channelSettings.findUnique({ where: { practiceId } });
  return { tables: ChannelTables.parse(settings?.tables ?? {}), rulesRevision: settings?.rulesRevision ?? 0 };
}

/**
 * Records that the practice's channel configuration changed (a rule or a table): the revision moves on, so every lead
 * classified before is stale. `tables`, when given, replaces the stored tables in the same write.
 */
export async function bumpChannelRulesRevision(tx: Tx, practiceId: string, userId: string | null, tables?: ChannelTables): Promise<number> {
  const json = tables as Prisma.InputJsonValue | undefined;
  const row = await tx.channelSettings.upsert({
    where: { practiceId },
    create: { practiceId, rulesRevision: 1, updatedBy: userId, ...(json ? { tables: json } : {}) },
    update: { rulesRevision: { increment: 1 }, updatedBy: userId, updatedAt: new Date(), ...(json ? { tables: json } : {}) },
  });
  return row.rulesRevision;
}

/**
 * Serialises changes to one practice's channel configuration (positions stay dense, ids unique) without blocking other
 * practices. Held until the transaction ends.
 */
export async function lockChannelConfig(tx: Tx, practiceId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${`sourceline:channel-config:${practiceId}`}, 0))`;
}
