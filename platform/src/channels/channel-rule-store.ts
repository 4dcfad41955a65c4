import type { z } from 'zod';
import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import type { ChannelRule as ChannelRuleRow, Prisma } from '../generated/prisma/client.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';
import { OverrideRule } from './channel-overrides.ts';
import { bumpChannelRulesRevision, listChannelRuleRows, lockChannelConfig, overrideRuleOf } from './practice-channel-config.ts';

/** A rule as an admin writes it; validated into the classifier's OverrideRule. */
export interface ChannelRuleInput {
  key: string;
  description?: string | null;
  channel: string;
  displayName?: string | null;
  conditions: readonly { field: string; operator: string; value: string }[];
}

const MAX_RULES = 200;

/** Where a validation problem sits, in the words of the rule form ("condition 2, value"). */
function describeIssuePath(path: readonly PropertyKey[]): string {
  const [head, index, field] = path;
  if (head === 'id') return 'key';
  if (head === 'when' && typeof index === 'number') return field === undefined ? `condition ${index + 1}` : `condition ${index + 1}, ${String(field)}`;
  if (head === 'when') return 'conditions';
  return String(head ?? 'rule');
}

function parseRuleInput(input: ChannelRuleInput): OverrideRule {
  const parsed = OverrideRule.safeParse({
    id: input.key.trim(),
    description: input.description?.trim() || undefined,
    when: input.conditions,
    channel: input.channel,
    displayName: input.displayName?.trim() || undefined,
  });
  if (parsed.success) return parsed.data;
  const issues: z.core.$ZodIssue[] = parsed.error.issues;
  const problems = issues.map((issue) => `${describeIssuePath(issue.path)}: ${issue.message}`);
  throw new UserFacingError(`The channel rule is not valid — ${problems.join('; ')}.`, 'BAD_USER_INPUT', { field: 'rule' });
}

function rowData(rule: OverrideRule) {
  return {
    ruleKey: rule.id,
    description: rule.description ?? null,
    conditions: rule.when as Prisma.InputJsonValue,
    channel: rule.channel,
    displayName: rule.displayName ?? null,
  };
}

/** Rewrites positions to 0…n-1 in the given order, touching only rules that moved. */
async function writeOrder(tx: Tx, ordered: readonly Pick<ChannelRuleRow, 'id' | 'position'>[]): Promise<void> {
  for (const [position, rule] of ordered.entries()) {
    if (rule.position !== position) await tx.channelRule.update({ where: { id: rule.id }, data: { position } });
  }
}

async function ruleOrThrow(tx: Tx, principal: Principal, id: string): Promise<ChannelRuleRow> {
  const rule = await tx.channelRule.findUnique({ where: { id } });
  if (!rule) throw new UserFacingError('No channel rule with that id.', 'NOT_FOUND');
  requirePracticeRole(principal, rule.practiceId, 'admin');
  return rule;
}

const actorOf = (principal: Principal) => ({ userId: principal.userId, tokenId: principal.tokenId });

/** Adds a practice rule, at `position` (0 = evaluated first) or last. */
export async function createChannelRule(
  tx: Tx,
  principal: Principal,
  input: { practiceId: string; rule: ChannelRuleInput; position?: number | null; origin: AuditOrigin },
): Promise<ChannelRuleRow> {
  requirePracticeRole(principal, input.practiceId, 'admin');
  const rule = parseRuleInput(input.rule);
  await lockChannelConfig(tx, input.practiceId);
  const rows = await listChannelRuleRows(tx, input.practiceId);
  if (rows.some((r) => r.ruleKey === rule.id)) throw new UserFacingError(`There is already a rule with the key "${rule.id}".`, 'CONFLICT', { field: 'key' });
  if (rows.length >= MAX_RULES) throw new UserFacingError(`A practice can have at most ${MAX_RULES} channel rules.`, 'BAD_USER_INPUT');
  const at = Math.min(Math.max(input.position ?? rows.length, 0), rows.length);
  const created = await tx.channelRule.create({
    data: { practiceId: input.practiceId, position: rows.length, createdBy: principal.userId, ...rowData(rule) },
  });
  await writeOrder(tx, [...rows.slice(0, at), created, ...rows.slice(at)]);
  const revision = await bumpChannelRulesRevision(tx, input.practiceId, principal.userId);
  await recordAuditEvent(tx, {
    action: 'channel_rule.created',
    practiceId: input.practiceId,
    actor: actorOf(principal),
    origin: input.origin,
    target: { type: 'channel_rule', id: created.id },
    details: { ruleKey: rule.id, channel: rule.channel, position: at, rulesRevision: revision },
  });
  return tx.channelRule.findUniqueOrThrow({ where: { id: created.id } });
}

/** Replaces a rule's key, description, conditions, channel and display name; its position stays. */
export async function updateChannelRule(
  tx: Tx,
  principal: Principal,
  input: { id: string; rule: ChannelRuleInput; origin: AuditOrigin },
): Promise<ChannelRuleRow> {
  const existing = await ruleOrThrow(tx, principal, input.id);
  const rule = parseRuleInput(input.rule);
  await lockChannelConfig(tx, existing.practiceId);
  const clash = await tx.channelRule.findFirst({ where: { practiceId: existing.practiceId, ruleKey: rule.id, id: { not: existing.id } } });
  if (clash) throw new UserFacingError(`There is already a rule with the key "${rule.id}".`, 'CONFLICT', { field: 'key' });
  const data = rowData(rule);
  const before = rowData(overrideRuleOf(existing));
  const fields = (Object.keys(data) as (keyof typeof data)[]).filter((k) => JSON.stringify(data[k]) !== JSON.stringify(before[k]));
  const updated = await tx.channelRule.update({ where: { id: existing.id }, data: { ...data, updatedAt: new Date() } });
  const revision = await bumpChannelRulesRevision(tx, existing.practiceId, principal.userId);
  await recordAuditEvent(tx, {
    action: 'channel_rule.updated',
    practiceId: existing.practiceId,
    actor: actorOf(principal),
    origin: input.origin,
    target: { type: 'channel_rule', id: existing.id },
    fields,
    details: { ruleKey: rule.id, channel: rule.channel, rulesRevision: revision },
  });
  return updated;
}

/** Removes a rule; the rules after it move up. Returns the practice it belonged to. */
export async function deleteChannelRule(tx: Tx, principal: Principal, input: { id: string; origin: AuditOrigin }): Promise<string> {
  const existing = await ruleOrThrow(tx, principal, input.id);
  await lockChannelConfig(tx, existing.practiceId);
  await tx.channelRule.delete({ where: { id: existing.id } });
  await writeOrder(tx, await listChannelRuleRows(tx, existing.practiceId));
  const revision = await bumpChannelRulesRevision(tx, existing.practiceId, principal.userId);
  await recordAuditEvent(tx, {
    action: 'channel_rule.deleted',
    practiceId: existing.practiceId,
    actor: actorOf(principal),
    origin: input.origin,
    target: { type: 'channel_rule', id: existing.id },
    details: { ruleKey: existing.ruleKey, rulesRevision: revision },
  });
  return existing.practiceId;
}

/** Puts the practice's rules in the given order; `ids` must name each of its rules exactly once. */
export async function reorderChannelRules(
  tx: Tx,
  principal: Principal,
  input: { practiceId: string; ids: readonly string[]; origin: AuditOrigin },
): Promise<ChannelRuleRow[]> {
  requirePracticeRole(principal, input.practiceId, 'admin');
  await lockChannelConfig(tx, input.practiceId);
  const rows = await listChannelRuleRows(tx, input.practiceId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = input.ids.map((id) => byId.get(id));
  if (new Set(input.ids).size !== input.ids.length || ordered.length !== rows.length || ordered.some((r) => r === undefined)) {
    throw new UserFacingError('List every channel rule of the practice exactly once, in the new order.', 'BAD_USER_INPUT', { field: 'ids' });
  }
  await writeOrder(tx, ordered as ChannelRuleRow[]);
  const revision = await bumpChannelRulesRevision(tx, input.practiceId, principal.userId);
  await recordAuditEvent(tx, {
    action: 'channel_rules.reordered',
    practiceId: input.practiceId,
    actor: actorOf(principal),
    origin: input.origin,
    details: { rules: rows.length, rulesRevision: revision },
  });
  return listChannelRuleRows(tx, input.practiceId);
}
