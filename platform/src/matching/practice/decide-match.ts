import { recordAuditEvent, type AuditOrigin } from '../../audit/record-audit-event.ts';
import type { Principal } from '../../auth/principal.ts';
import type { PracticeKeyStore } from '../../crypto/practice-keys.ts';
import { sqlRunnerOf, type Tx } from '../../db/tenant-transaction.ts';
import { UserFacingError } from '../../errors.ts';
import { requirePracticeRole } from '../../tenancy/tenants.ts';
import type { ManualDecision } from '../decide.ts';
import { applyVerdicts, lockPracticeMatching } from './write-matches.ts';

const MAX_REASON = 500;

/**
 * The practice of a pair whose lead and chart belong to it and which the caller may judge (analysts and admins), with
 * the practice's matching lock taken; or a clear error naming what is wrong.
 */
async function lockedPair(tx: Tx, principal: Principal, leadId: string, patientId: string): Promise<{ practiceId: string }> {
  const lead = await tx.lead.findFirst({ where: { id: leadId, deletedAt: null }, select: { practiceId: true } });
  if (!lead) throw new UserFacingError('That lead does not exist, was withdrawn, or is not yours to see.', 'NOT_FOUND', { field: 'leadId' });
  const patient = await tx.patient.findFirst({ where: { id: patientId, practiceId: lead.practiceId, deletedAt: null }, select: { id: true } });
  if (!patient) throw new UserFacingError('That patient is not a chart of the lead’s practice.', 'NOT_FOUND', { field: 'patientId' });
  requirePracticeRole(principal, lead.practiceId, 'analyst');
  await lockPracticeMatching(sqlRunnerOf(tx), lead.practiceId);
  return lead;
}

/**
 * A person's verdict on a lead–patient pair, for analysts and admins: "link" holds the pair at confidence 1, "not a
 * match" removes it, and every later run (full or incremental) applies it again. Audited with the verdict, never the
 * reason's text (sealed: people write things like "her husband called for her").
 */
export async function decideMatch(
  tx: Tx,
  keys: PracticeKeyStore,
  principal: Principal,
  input: { leadId: string; patientId: string; verdict: ManualDecision['verdict']; reason?: string | null; origin: AuditOrigin },
): Promise<{ practiceId: string }> {
  const reason = input.reason?.trim() || null;
  if (reason && reason.length > MAX_REASON) throw new UserFacingError(`Keep the reason under ${MAX_REASON} characters.`, 'BAD_USER_INPUT', { field: 'reason' });
  const { practiceId } = await lockedPair(tx, principal, input.leadId, input.patientId);
  const reasonSealed = reason ? new Uint8Array((await keys.cipherFor(tx, practiceId)).encrypt('match_decision.reason', reason)) : null;
  const data = { verdict: input.verdict, reasonSealed, decidedBy: principal.userId, decidedAt: new Date() };
  await tx.matchDecision.upsert({
    where: { leadId_patientId: { leadId: input.leadId, patientId: input.patientId } },
    create: { leadId: input.leadId, patientId: input.patientId, practiceId, ...data },
    update: data,
  });
  await applyVerdicts(sqlRunnerOf(tx), practiceId, [input.leadId]);
  await recordAuditEvent(tx, {
    action: 'match.decided',
    practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'lead', id: input.leadId },
    details: { patientId: input.patientId, verdict: input.verdict, reasonGiven: reason !== null },
  });
  return { practiceId };
}

/**
 * Takes a verdict back: the pair returns to the engine's judgement at the next matching pass, which the caller queues
 * (the lead is marked pending here, so the sweep would find it too).
 */
export async function undoMatchDecision(
  tx: Tx,
  principal: Principal,
  input: { leadId: string; patientId: string; origin: AuditOrigin },
): Promise<{ practiceId: string }> {
  const { practiceId } = await lockedPair(tx, principal, input.leadId, input.patientId);
  const removed = await tx.matchDecision.deleteMany({ where: { leadId: input.leadId, patientId: input.patientId } });
  if (!removed.count) throw new UserFacingError('Nobody has decided on that pair.', 'NOT_FOUND');
  // The manual row goes; the engine's own verdict on the pair comes back when the lead is matched again.
  await tx.leadMatch.deleteMany({ where: { leadId: input.leadId, patientId: input.patientId, manual: true } });
  await tx.lead.update({ where: { id: input.leadId }, data: { matchState: null } });
  await recordAuditEvent(tx, {
    action: 'match.decision_undone',
    practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'lead', id: input.leadId },
    details: { patientId: input.patientId },
  });
  return { practiceId };
}
