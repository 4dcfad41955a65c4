import { auditActors, listAuditEvents, type AuditLogOwner } from '../../audit/list-audit-events.ts';
import type { AuditLog } from '../../generated/prisma/client.ts';
import { dayBoundsIn } from '../report-range.ts';
import { safeCell } from './csv-cells.ts';
import { EXPORT_PAGE, ExportError, instant, writeInPages, type CsvReport, type ExportRequest } from './csv-report.ts';

type ActorNames = Map<string, { displayName: string; email: string }>;

/**
 * An audit log as a file — a practice's, or an agency's own — newest first, with the screen's filters: `action` (exact,
 * or a prefix ending in "."), `from` and `to` (whole days in the practice's zone, UTC for an agency; either may be
 * left out). Admins only, as the screen.
 */
export function auditLogCsv<R extends ExportRequest>(ownerOf: (request: R) => Promise<{ owner: AuditLogOwner; timeZone: string }>): CsvReport<R> {
  return {
    role: 'admin',
    open: async (r) => {
      const { owner, timeZone } = await ownerOf(r);
      const action = r.param('action')?.trim() || null;
      const days = { from: r.param('from') || null, to: r.param('to') || null };
      if (days.from && days.to && days.from > days.to) throw new ExportError(400, 'The start date must be on or before the end date.');
      const bounds = await r.read((tx) => dayBoundsIn(tx, days, timeZone));
      return {
        fields: [],
        params: action ? { action } : undefined,
        write: (out) => {
          out.write(['occurred_at', 'action', 'actor', 'actor_email', 'via_api_token', 'target_type', 'target_id', 'fields', 'ip', 'user_agent', 'details']);
          return writeInPages<{ event: AuditLog; actors: ActorNames }>(
            ({ last }) =>
              r.read(async (tx) => {
                const events = await listAuditEvents(tx, owner, { action, ...bounds }, { after: last?.event.id ?? null, limit: EXPORT_PAGE });
                const actors = await auditActors(tx, events.flatMap((e) => (e.actorUserId ? [e.actorUserId] : [])));
                return events.map((event) => ({ event, actors }));
              }),
            (rows) => {
              for (const { event: e, actors } of rows) {
                const actor = e.actorUserId ? actors.get(e.actorUserId) : undefined;
                out.write(
                  [
                    instant(e.occurredAt), e.action, actor?.displayName ?? e.actorLabel ?? 'System', actor?.email, String(e.actorTokenId !== null), e.targetType,
                    e.targetId, e.fields.join('; '), e.ip, e.userAgent, JSON.stringify(e.details),
                  ].map(safeCell),
                );
              }
            },
          );
        },
      };
    },
  };
}
