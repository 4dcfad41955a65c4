import PDFDocument from 'pdfkit';
import type { RollupChannel } from '../../attribution/rollups.ts';
import { attributionModelNames } from '../../attribution/attribution-settings.ts';
import { channelDisplayNames } from '../../channels/index.ts';
import type { MonthDrift, MonthFigures } from '../month-snapshots.ts';

export interface MonthReportInput {
  practiceName: string;
  figures: MonthFigures;
  /** Set when the month is frozen: the report states the frozen figures and what changed since. */
  frozen: { frozenAt: Date; contentHash: string; intact: boolean; drift: MonthDrift } | null;
  /**
   * The month's new patients, for analysts and admins: the first `listed` by first visit, of `total`. Null leaves the
   * list out (viewers see aggregates only).
   */
  patients: { total: number; listed: { name: string; firstVisitOn: string; channel: RollupChannel; productionCents: number }[] } | null;
  generatedAt: Date;
}

const MARGIN = 48;
const INK = '#0f172a';
const MUTED = '#475569';
const ACCENT = '#4f46e5';
const money = (cents: number | null) =>
  cents === null ? '—' : new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(cents / 100);
const count = (n: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: Number.isInteger(n) ? 0 : 1 }).format(n);
const signed = (text: string, n: number) => (n > 0 ? `+${text}` : text);
const channelName = (c: RollupChannel) => (c === 'unattributed' ? 'Unattributed' : channelDisplayNames[c]);
const monthName = (month: string) => new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));

/**
 * The month-end report as a PDF (US Letter): totals, channels as a chart and a table, the top campaigns and, for
 * analysts and admins, the month's new patients. Every page names the practice and the period; built-in Helvetica, so
 * nothing is downloaded. Numbers are the frozen ones when the month is closed.
 */
export function renderMonthReport(input: MonthReportInput): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', margins: { top: MARGIN + 28, bottom: MARGIN, left: MARGIN, right: MARGIN }, bufferPages: true, info: { Title: `${input.practiceName} — ${monthName(input.figures.month)}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 2 * MARGIN;
  const { figures } = input;

  doc.fillColor(INK).font('Helvetica-Bold').fontSize(18).text(`Month-end report: ${monthName(figures.month)}`);
  doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor(MUTED);
  doc.text(
    input.frozen
      ? `Frozen on ${input.frozen.frozenAt.toISOString().slice(0, 10)} under ${attributionModelNames[figures.model]}. Content hash ${input.frozen.contentHash.slice(0, 16)}… (${input.frozen.intact ? 'verified' : 'DOES NOT MATCH: the stored figures were altered'}).`
      : `Not frozen: live figures under ${attributionModelNames[figures.model]}, which may still change as late data arrives.`,
  );
  if (input.frozen) {
    const d = input.frozen.drift;
    const changes = [
      d.newPatients ? signed(`${count(d.newPatients)} patients`, d.newPatients) : null,
      d.productionCents ? signed(money(d.productionCents), d.productionCents) : null,
      d.leads ? signed(`${count(d.leads)} leads`, d.leads) : null,
      d.spendCents ? signed(`${money(d.spendCents)} spend`, d.spendCents) : null,
    ].filter(Boolean);
    doc.text(changes.length ? `Since close: ${changes.join(', ')} (late data; the frozen figures below are unchanged).` : 'Nothing has changed since close.');
  }

  // Totals, four to a row.
  doc.moveDown(1);
  const t = figures.totals;
  const tiles: [string, string][] = [
    ['Leads', count(t.leads)], ['New patients', count(t.creditedPatients)], ['Attributed revenue', money(t.productionCents)], ['Spend', money(t.spendCents)],
    ['Cost per lead', money(t.costPerLeadCents)], ['Cost per patient', money(t.costPerPatientCents)],
    ['Return on spend', t.returnOnSpend === null ? '—' : `${t.returnOnSpend.toFixed(1)}x`], ['Collections', money(t.collectionsCents)],
  ];
  const tileWidth = width / 4;
  let y = doc.y;
  tiles.forEach(([label, value], i) => {
    const x = MARGIN + (i % 4) * tileWidth;
    const rowY = y + Math.floor(i / 4) * 44;
    doc.font('Helvetica').fontSize(9).fillColor(MUTED).text(label, x, rowY, { width: tileWidth - 8 });
    doc.font('Helvetica-Bold').fontSize(15).fillColor(INK).text(value, x, rowY + 12, { width: tileWidth - 8 });
  });
  doc.x = MARGIN;
  doc.y = y + 96;

  // Revenue by channel, as bars.
  section(doc, 'Attributed revenue by channel');
  const bars = figures.channels.filter((c) => c.productionCents > 0);
  const max = Math.max(1, ...bars.map((c) => c.productionCents));
  y = doc.y;
  for (const c of bars) {
    doc.font('Helvetica').fontSize(9).fillColor(INK).text(channelName(c.channel), MARGIN, y + 2, { width: 140 });
    doc.rect(MARGIN + 145, y, ((width - 235) * c.productionCents) / max, 11).fill(ACCENT);
    doc.fillColor(MUTED).text(money(c.productionCents), MARGIN + width - 85, y + 2, { width: 85, align: 'right' });
    y += 16;
  }
  doc.x = MARGIN;
  doc.y = y + 8;

  table(doc, 'Channels', ['Channel', 'Leads', 'New patients', 'Revenue', 'Spend', 'Cost / patient'], [0.34, 0.11, 0.14, 0.14, 0.13, 0.14],
    figures.channels.map((c) => [channelName(c.channel), count(c.leads), count(c.creditedPatients), money(c.productionCents), c.spendCents ? money(c.spendCents) : '—', money(c.costPerPatientCents)]));
  table(doc, 'Top campaigns', ['Campaign', 'Channel', 'New patients', 'Revenue', 'Spend'], [0.38, 0.22, 0.13, 0.14, 0.13],
    figures.campaigns.map((c) => [c.campaign ?? '(no campaign)', channelName(c.channel), count(c.creditedPatients), money(c.productionCents), c.spendCents ? money(c.spendCents) : '—']));
  if (input.patients) {
    const { total, listed } = input.patients;
    const heading = listed.length < total ? `New patients (the first ${count(listed.length)} of ${count(total)}; the channels' CSV exports list all)` : `New patients (${count(total)})`;
    table(doc, heading, ['Patient', 'First visit', 'Primary channel', 'Production'], [0.4, 0.18, 0.26, 0.16],
      listed.map((p) => [p.name, p.firstVisitOn, channelName(p.channel), money(p.productionCents)]));
  }

  // Every page names the practice and the period, and counts itself.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const top = doc.page.margins.top;
    doc.page.margins.top = 0;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica-Bold').fontSize(9).fillColor(INK).text(input.practiceName, MARGIN, MARGIN - 8, { width: width / 2, lineBreak: false });
    doc.font('Helvetica').fillColor(MUTED).text(`${monthName(figures.month)} · ${figures.from} to ${figures.to}`, MARGIN + width / 2, MARGIN - 8, { width: width / 2, align: 'right', lineBreak: false });
    doc.text(`Page ${i - range.start + 1} of ${range.count} · generated ${input.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC by Sourceline`, MARGIN, doc.page.height - MARGIN + 16, { width, align: 'center', lineBreak: false });
    doc.page.margins.top = top;
  }
  doc.end();
  return done;
}

function section(doc: PDFKit.PDFDocument, title: string): void {
  if (doc.y > doc.page.height - 140) doc.addPage();
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).fillColor(INK).text(title, MARGIN);
  doc.moveDown(0.4);
}

/** A table that continues on the next page, repeating its header. */
function table(doc: PDFKit.PDFDocument, title: string, headers: string[], fractions: number[], rows: string[][]): void {
  section(doc, title);
  const width = doc.page.width - 2 * MARGIN;
  const widths = fractions.map((f) => f * width);
  const draw = (cells: string[], bold: boolean) => {
    const y = doc.y;
    let x = MARGIN;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9).fillColor(bold ? MUTED : INK);
    cells.forEach((cell, i) => {
      doc.text(cell, x, y, { width: widths[i]! - 6, align: i === 0 ? 'left' : 'right', lineBreak: false, ellipsis: true });
      x += widths[i]!;
    });
    doc.x = MARGIN;
    doc.y = y + 15;
  };
  draw(headers, true);
  if (!rows.length) {
    doc.font('Helvetica').fontSize(9).fillColor(MUTED).text('None in this month.', MARGIN);
    return;
  }
  for (const row of rows) {
    if (doc.y > doc.page.height - MARGIN - 24) {
      doc.addPage();
      draw(headers, true);
    }
    draw(row, false);
  }
}
