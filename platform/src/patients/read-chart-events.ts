import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { listChartEvents, type ChartEventPage } from '../records/list-chart-events.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';

/** What a chart's events disclose, named in the audit entry: visits and money are PHI like a name is. */
const CHART_EVENT_FIELDS = ['appointments', 'payments', 'procedures'];

/**
 * The most recent appointments, completed procedures and payments of some of a practice's charts, for an analyst or
 * admin, recording the read — one `patient.phi_read` event naming what was read, how many charts and events, never a
 * value — in the same transaction.
 */
export async function readChartEvents(
  tx: Tx,
  principal: Principal,
  input: { practiceId: string; patientIds: readonly string[]; limit: number; origin: AuditOrigin },
): Promise<Map<string, ChartEventPage>> {
  requirePracticeRole(principal, input.practiceId, 'analyst');
  const pages = await listChartEvents(tx, input);
  await recordAuditEvent(tx, {
    action: 'patient.phi_read',
    practiceId: input.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    fields: CHART_EVENT_FIELDS,
    details: { patients: input.patientIds.length, events: [...pages.values()].reduce((sum, page) => sum + page.items.length, 0) },
  });
  return pages;
}
