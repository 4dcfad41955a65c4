import { describe, expect, it } from 'vitest';
import { generateWorld } from './generate-world.ts';
import { renderOpenDental } from './render-open-dental.ts';

const spec = { seed: 42, practices: [{ name: 'Cedar Grove Dental', timeZone: 'America/Los_Angeles', locations: 2, patients: 1500, months: 12 }] };

describe('the demo world', () => {
  const world = generateWorld(spec);
  const practice = world.practices[0]!;

  it('is the same world for the same seed, and a different one for another seed', () => {
    expect(JSON.stringify(generateWorld(spec))).toBe(JSON.stringify(world));
    expect(generateWorld({ ...spec, seed: 43 }).practices[0]!.patients[0]).not.toEqual(practice.patients[0]);
  });

  it('has families sharing a surname, a guarantor and a home phone', () => {
    const families = new Map<number, typeof practice.patients>();
    for (const p of practice.patients) families.set(p.householdId, [...(families.get(p.householdId) ?? []), p]);
    const big = [...families.values()].filter((f) => f.length >= 3);
    expect(big.length).toBeGreaterThan(20);
    for (const family of big) expect(new Set(family.map((p) => p.guarantorId)).size).toBe(1);
    expect(practice.patients.length).toBe(1500);
  });

  it('bills realistic CDT codes with integer-cent fees, UnitQty and BaseUnits', () => {
    expect(practice.procedures.length).toBeGreaterThan(5000);
    for (const p of practice.procedures.slice(0, 500)) {
      expect(p.code).toMatch(/^D\d{4}$/);
      expect(Number.isInteger(p.unitFeeCents)).toBe(true);
    }
    expect(practice.procedures.some((p) => p.unitQty > 1)).toBe(true);
    expect(practice.procedures.some((p) => p.baseUnits > 0)).toBe(true);
    expect(practice.procedures.some((p) => p.status === 'TP')).toBe(true);
    expect(practice.payments.some((p) => p.amountCents < 0)).toBe(true);
  });

  it('has leads with marketing context, ground truth, spam and the noise the matcher must handle', () => {
    const noise = new Set(practice.leads.flatMap((l) => l.noise));
    for (const kind of ['nickname', 'typo', 'shared-family-phone', 'caller-id-account-holder', 'gmail-dots', 'recycled-number'] as const) expect(noise).toContain(kind);
    expect(practice.leads.some((l) => l.isSpam)).toBe(true);
    expect(practice.leads.filter((l) => l.truePatientIds.length > 0).length).toBeGreaterThan(200);
    const paid = practice.leads.find((l) => l.gclid !== null)!;
    expect(paid).toMatchObject({ source: 'google', medium: 'cpc' });
    expect(paid.landingPage).toContain('gclid=');
    for (const lead of practice.leads) expect(lead.occurredAt).toMatch(/Z$/);
    expect(practice.spend.length).toBeGreaterThan(365 * 5);
  });

  it('uses only fictional 555 phone numbers with real area codes, and example or free-mail emails', () => {
    for (const p of practice.patients) {
      for (const phone of [p.mobilePhone, p.workPhone]) if (phone) expect(phone).toMatch(/^[2-9]\d{2}555\d{4}$/);
      if (p.email) expect(p.email).toMatch(/@(gmail|yahoo|outlook|icloud|hotmail|aol)\.com$|@example\.(com|net)$/);
    }
  });

  it('renders Open Dental rows with the API’s quirks', () => {
    const od = renderOpenDental(practice);
    expect(od.procedurelogs[0]!.ProcFee).toMatch(/^\d+\.\d{2}$/);
    expect(typeof od.payments[0]!.PayAmt).toBe('string');
    expect(typeof od.payments[0]!.ClinicNum).toBe('string');
    expect(od.patients.some((p) => p.Birthdate === '0001-01-01')).toBe(true);
    expect(od.appointments.some((a) => a.IsNewPatient === 'true' && a.AptStatus === 'Broken')).toBe(true);
    expect(od.refattaches.every((r) => r.ReferralType === 'RefFrom')).toBe(true);
  });

  it('generates a 50,000-patient practice in a few seconds', () => {
    const started = performance.now();
    const big = generateWorld({ seed: 1, practices: [{ name: 'Big', timeZone: 'America/Chicago', locations: 3, patients: 50_000, months: 13 }] });
    expect(big.practices[0]!.procedures.length).toBeGreaterThan(250_000);
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 30_000);
});
