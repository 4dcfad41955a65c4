import { createHash } from 'node:crypto';
import type { AttributionModelId } from '../attribution/attribution-settings.ts';
import type { RollupChannel } from '../attribution/rollups.ts';
import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';
import { campaignPerformance, channelPerformance, modelOf, practiceTotals, type PerformanceFigures } from './practice-performance.ts';
import type { DayRange } from './report-range.ts';

/** What a month-end report states: the month's totals, each channel, and the ten campaigns with the most revenue. */
export interface MonthFigures {
  month: string;
  from: string;
  to: string;
  model: AttributionModelId;
  totals: PerformanceFigures;
  channels: (PerformanceFigures & { channel: RollupChannel })[];
  campaigns: (PerformanceFigures & { channel: RollupChannel; campaign: string | null })[];
}

export interface MonthSnapshot {
  month: string;
  figures: MonthFigures;
  contentHash: string;
  /** The stored figures still hash to the stored hash: nothing changed them behind the database's back. */
  intact: boolean;
  frozenAt: Date;
  frozenBy: string | null;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const TOP_CAMPAIGNS = 10;

/** `YYYY-MM` as the month's first and last day. */
export function monthRange(month: string): DayRange {
  const match = MONTH.exec(month);
  if (!match) throw new UserFacingError('A month is written YYYY-MM, e.g. 2026-03.', 'BAD_USER_INPUT', { field: 'month' });
  const [y, m] = [Number(match[1]), Number(match[2])];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** Today's date in the zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The figures a month-end report states, computed now from rollups and spend under one model. */
export async function monthFigures(tx: Tx, practiceId: string, month: string, model?: AttributionModelId | null): Promise<MonthFigures> {
  const range = monthRange(month);
  const used = await modelOf(tx, practiceId, model);
  const query = { ...range, model: used };
  const { current } = await practiceTotals(tx, practiceId, query);
  const channels = await channelPerformance(tx, practiceId, query);
  const campaigns = (await campaignPerformance(tx, practiceId, query)).slice(0, TOP_CAMPAIGNS);
  return { month, ...range, model: used, totals: current, channels, campaigns };
}

/** SHA-256 of the figures as JSON with keys sorted at every level: jsonb does not keep key order, the hash must not care. */
const hashOf = (figures: unknown) => createHash('sha256').update(sortedJson(figures)).digest();

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${sortedJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Admins freeze a month once it is over in the practice's time zone: its figures under the default model are stored
 * with their hash, for good. Freezing twice is refused (a month has one close). Audited with the hash.
 */
export async function freezeMonth(tx: Tx, principal: Principal, input: { practiceId: string; month: string; origin: AuditOrigin }): Promise<MonthSnapshot> {
  requirePracticeRole(principal, input.practiceId, 'admin');
  const range = monthRange(input.month);
  const practice = await tx.practice.findUniqueOrThrow({ where: { id: input.practiceId }, select: { timeZone: true } });
  if (range.to >= todayIn(practice.timeZone)) {
    throw new UserFacingError(`${input.month} is not over yet in the practice's time zone: freeze it from the 1st of the next month.`, 'BAD_USER_INPUT', { field: 'month' });
  }
  const existing = await tx.monthSnapshot.findUnique({ where: { practiceId_month: { practiceId: input.practiceId, month: new Date(`${range.from}T00:00:00Z`) } } });
  if (existing) throw new UserFacingError(`${input.month} was frozen on ${existing.frozenAt.toISOString().slice(0, 10)}; a month is closed once.`, 'CONFLICT', { field: 'month' });
  const figures = await monthFigures(tx, input.practiceId, input.month);
  const contentHash = hashOf(figures);
  const row = await tx.monthSnapshot.create({
    data: {
      practiceId: input.practiceId,
      month: new Date(`${range.from}T00:00:00Z`),
      model: figures.model,
      figures: JSON.parse(JSON.stringify(figures)),
      contentHash: new Uint8Array(contentHash),
      frozenBy: principal.userId,
    },
  });
  await recordAuditEvent(tx, {
    action: 'report.month_frozen',
    practiceId: input.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'practice', id: input.practiceId },
    details: { month: input.month, model: figures.model, contentHash: contentHash.toString('hex') },
  });
  return snapshotOf(row);
}

/** A practice's frozen months, newest first. */
export async function listMonthSnapshots(tx: Tx, practiceId: string): Promise<MonthSnapshot[]> {
  const rows = await tx.monthSnapshot.findMany({ where: { practiceId }, orderBy: { month: 'desc' } });
  return rows.map(snapshotOf);
}

/** One month's snapshot (`YYYY-MM`), or null while the month is open. */
export async function findMonthSnapshot(tx: Tx, practiceId: string, month: string): Promise<MonthSnapshot | null> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return null;
  const row = await tx.monthSnapshot.findFirst({ where: { practiceId, month: new Date(`${month}-01T00:00:00Z`) } });
  return row ? snapshotOf(row) : null;
}

function snapshotOf(row: { month: Date; figures: unknown; contentHash: Uint8Array; frozenAt: Date; frozenBy: string | null }): MonthSnapshot {
  const stored = Buffer.from(row.contentHash);
  return {
    month: row.month.toISOString().slice(0, 7),
    figures: row.figures as MonthFigures,
    contentHash: stored.toString('hex'),
    intact: hashOf(row.figures).equals(stored),
    frozenAt: row.frozenAt,
    frozenBy: row.frozenBy,
  };
}

/** What late data changed since a month was frozen: today's figures for the month, under the same model, less the frozen ones. */
export interface MonthDrift {
  leads: number;
  newPatients: number;
  creditedPatients: number;
  productionCents: number;
  spendCents: number;
}

export async function monthDrift(tx: Tx, practiceId: string, snapshot: MonthSnapshot): Promise<MonthDrift> {
  const now = await monthFigures(tx, practiceId, snapshot.month, snapshot.figures.model);
  const then = snapshot.figures.totals;
  return {
    leads: now.totals.leads - then.leads,
    newPatients: now.totals.newPatients - then.newPatients,
    creditedPatients: Math.round((now.totals.creditedPatients - then.creditedPatients) * 1e6) / 1e6,
    productionCents: now.totals.productionCents - then.productionCents,
    spendCents: now.totals.spendCents - then.spendCents,
  };
}
