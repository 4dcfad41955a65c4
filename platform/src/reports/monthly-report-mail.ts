import type { Task } from 'graphile-worker';
import { attributionModelNames } from '../attribution/attribution-settings.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { withSystem, withTenant } from '../db/tenant-transaction.ts';
import { queueEmail } from '../mail/outbox.ts';
import type { Platform } from '../platform.ts';
import { listMonthSnapshots, monthDrift, monthFigures } from './month-snapshots.ts';
import { renderMonthReport } from './pdf/month-report-pdf.ts';

export const MONTHLY_REPORTS_TASK = 'monthly_reports';

/** The calendar month before `now`'s (YYYY-MM). */
export function previousMonth(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

const money = (cents: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(cents / 100);

/**
 * On the 1st, every practice's admins (its own and its agency's) get last month's report: a few figures in the mail and
 * the PDF attached. Aggregates only — patient names do not travel by e-mail; the report in Sourceline lists them for
 * those allowed to see them. The frozen figures when the month was closed, the live ones otherwise. Audited per practice.
 */
export async function sendMonthlyReports(platform: Platform, month = previousMonth()): Promise<{ practices: number; emails: number }> {
  const practices = await withSystem(platform.db.owner, async (client) =>
    (
      await client.query<{ id: string; agency_id: string; name: string; recipients: string[] }>(
        `SELECT p.id, p.agency_id, p.name, array_agg(DISTINCT u.email ORDER BY u.email) AS recipients
           FROM practices p
           JOIN memberships m ON (m.practice_id = p.id OR m.agency_id = p.agency_id) AND m.role = 'admin'
           JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
          WHERE EXISTS (SELECT 1 FROM patients WHERE practice_id = p.id)
          GROUP BY p.id`,
      )
    ).rows,
  );
  let emails = 0;
  for (const practice of practices) {
    await withTenant(platform.db.prisma, { practiceIds: [practice.id] }, async (tx) => {
      const snapshot = (await listMonthSnapshots(tx, practice.id)).find((s) => s.month === month) ?? null;
      const figures = snapshot?.figures ?? (await monthFigures(tx, practice.id, month));
      const frozen = snapshot
        ? { frozenAt: snapshot.frozenAt, contentHash: snapshot.contentHash, intact: snapshot.intact, drift: await monthDrift(tx, practice.id, snapshot) }
        : null;
      const pdf = await renderMonthReport({ practiceName: practice.name, figures, frozen, patients: null, generatedAt: new Date() });
      const t = figures.totals;
      const period = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
      const text = [
        `${practice.name}: ${period}${snapshot ? ' (frozen)' : ''}, under ${attributionModelNames[figures.model]}.`,
        '',
        `New patients: ${Math.round(t.creditedPatients * 10) / 10}`,
        `Attributed revenue: ${money(t.productionCents)}`,
        `Spend: ${money(t.spendCents)}${t.returnOnSpend === null ? '' : `, return ${t.returnOnSpend.toFixed(1)}x`}`,
        `Leads: ${t.leads}`,
        '',
        'The month-end report is attached. It holds aggregates only; the list of new patients is in Sourceline:',
        `${platform.config.publicUrl}/a/${practice.agency_id}/p/${practice.id}/months`,
      ].join('\n');
      for (const to of practice.recipients) {
        await queueEmail(tx, platform.ring, {
          to,
          subject: `${practice.name}: month-end report for ${period}`,
          text,
          attachments: [{ filename: `sourceline-month-report-${month}.pdf`, contentType: 'application/pdf', content: pdf }],
        });
        emails += 1;
      }
      await recordAuditEvent(tx, {
        action: 'report.month_emailed',
        practiceId: practice.id,
        actor: { label: 'worker' },
        details: { month, recipients: practice.recipients.length, frozen: snapshot !== null },
      });
    });
  }
  return { practices: practices.length, emails };
}

export function monthlyReportsTask(platform: Platform): Task {
  return async () => {
    const result = await sendMonthlyReports(platform);
    platform.logger.info(result, 'queued the monthly reports');
  };
}
