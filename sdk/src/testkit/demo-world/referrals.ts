import { localStamp } from './dates.ts';
import type { Random } from './random.ts';
import type { DemoPatient, DemoReferralAttachment, DemoReferralSource } from './types.ts';

const marketingSources = ['Google', 'Facebook', 'Instagram', 'Yelp', 'Website', 'Insurance Directory', 'Drive By', 'Radio spot', 'Mailer'] as const;

/**
 * Open Dental's referral table (marketing sources, referring doctors, referring patients) and the RefFrom attachments
 * that say how each new patient heard of the practice. What the front desk records is mostly, not always, the truth.
 */
export function buildReferrals(rng: Random, patients: readonly DemoPatient[], startDate: string): {
  referralSources: DemoReferralSource[];
  referralAttachments: DemoReferralAttachment[];
} {
  const stamp = localStamp(startDate, 8 * 60);
  const referralSources: DemoReferralSource[] = marketingSources.map((name, i) => ({
    id: i + 1, name, firstName: '', kind: 'marketing', patientId: 0, updatedAt: stamp,
  }));
  const byName = new Map(referralSources.map((r) => [r.name, r.id]));
  for (const [first, last] of [['Alan', 'Whitfield Orthodontics'], ['Priya', 'Raman Oral Surgery'], ['Marcus', 'Bell Family Medicine']] as const) {
    referralSources.push({ id: referralSources.length + 1, name: last, firstName: first, kind: 'doctor', patientId: 0, updatedAt: stamp });
  }
  const doctors = referralSources.filter((r) => r.kind === 'doctor');
  const referringPatientSource = new Map<number, number>();
  const referralAttachments: DemoReferralAttachment[] = [];

  for (const patient of patients) {
    if (!patient.isNewInWindow || !rng.chance(0.78)) continue;
    const { channel, referringPatientId } = patient.acquisition;
    let referralId: number | undefined;
    switch (channel) {
      case 'paid-search': referralId = byName.get(rng.chance(0.8) ? 'Google' : 'Website'); break;
      case 'paid-social': referralId = byName.get(rng.chance(0.7) ? 'Facebook' : 'Instagram'); break;
      case 'organic-search': referralId = byName.get(rng.chance(0.6) ? 'Google' : 'Website'); break;
      case 'local': referralId = byName.get(rng.chance(0.7) ? 'Google' : 'Yelp'); break;
      case 'insurance-directory': referralId = byName.get('Insurance Directory'); break;
      case 'walk-in': referralId = byName.get(rng.chance(0.8) ? 'Drive By' : rng.pick(['Radio spot', 'Mailer'])); break;
      case 'doctor-referral': referralId = rng.pick(doctors).id; break;
      case 'patient-referral':
      case 'family': {
        const referrer = referringPatientId === null ? undefined : patients[referringPatientId - 1];
        if (!referrer || (channel === 'family' && !rng.chance(0.3))) break;
        referralId = referringPatientSource.get(referrer.id);
        if (referralId === undefined) {
          referralId = referralSources.length + 1;
          referralSources.push({
            id: referralId, name: referrer.lastName, firstName: referrer.firstName, kind: 'patient', patientId: referrer.id,
            updatedAt: localStamp(patient.createdOn, 9 * 60),
          });
          referringPatientSource.set(referrer.id, referralId);
        }
        break;
      }
      default: break;
    }
    if (referralId === undefined) continue;
    const updatedAt = localStamp(patient.createdOn, 10 * 60 + rng.int(0, 300), rng.int(0, 59));
    referralAttachments.push({ id: referralAttachments.length + 1, patientId: patient.id, referralId, date: patient.createdOn, order: 0, updatedAt });
    if (rng.chance(0.05)) {
      referralAttachments.push({
        id: referralAttachments.length + 1, patientId: patient.id, referralId: rng.pick(referralSources.slice(0, marketingSources.length)).id,
        date: patient.firstVisitOn, order: 1, updatedAt,
      });
    }
  }
  return { referralSources, referralAttachments };
}
