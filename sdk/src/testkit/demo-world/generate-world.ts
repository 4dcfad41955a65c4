import { isValidTimeZone } from '../../time.ts';
import { buildCare } from './care.ts';
import { addMonths } from './dates.ts';
import { buildLeads } from './leads.ts';
import { buildCampaigns, buildSpend } from './marketing.ts';
import { buildLocations, buildProviders } from './organisation.ts';
import { buildPeople } from './people.ts';
import { regionForTimeZone } from './places.ts';
import { Random } from './random.ts';
import { buildReferrals } from './referrals.ts';
import type { DemoPractice, DemoWorld, PracticeSpec, WorldSpec } from './types.ts';

export const defaultAsOf = '2025-06-30';

/**
 * The one seeded generator of the demo world: practices with locations, providers, households, patients,
 * appointments, procedures, payments, referral sources, campaigns, daily spend and leads. Same seed and spec, same
 * world, byte for byte. Each stage draws from its own random stream, so changing how leads are generated does not
 * reshuffle the patients.
 */
export function generateWorld(spec: WorldSpec): DemoWorld {
  const asOf = spec.asOf ?? defaultAsOf;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new RangeError(`asOf must be YYYY-MM-DD, got ${asOf}`);
  return { seed: spec.seed, asOf, practices: spec.practices.map((p, index) => generatePractice(spec.seed, index, p, asOf)) };
}

function generatePractice(seed: number, index: number, spec: PracticeSpec, asOf: string): DemoPractice {
  if (!isValidTimeZone(spec.timeZone)) throw new RangeError(`unknown time zone ${spec.timeZone}`);
  if (spec.patients < 1 || spec.months < 1) throw new RangeError('a practice needs at least one patient and one month');
  const stream = (stage: number) => new Random(seed, index * 16 + stage);
  const region = regionForTimeZone(spec.timeZone, index);
  const slug = spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `practice-${index + 1}`;
  const website = `https://www.${slug}.example`;
  const startDate = addMonths(asOf, -spec.months);

  const locations = buildLocations(stream(1), spec, region);
  const providers = buildProviders(stream(2), spec, locations.map((l) => l.id));
  const campaigns = buildCampaigns(stream(3), website);
  const { households, patients } = buildPeople({ rng: stream(4), spec, region, startDate, asOf, locations, providers, campaigns });
  const { appointments, procedures, payments } = buildCare({ rng: stream(5), patients, providers, startDate, asOf });
  const { referralSources, referralAttachments } = buildReferrals(stream(6), patients, startDate);
  const base = { index, timeZone: spec.timeZone, website, areaCodes: region.areaCodes, startDate, asOf, locations };
  const leads = buildLeads({ rng: stream(7), practice: base, patients, campaigns, nonConvertingLeadRatio: spec.nonConvertingLeadRatio ?? 1.5 });
  const spend = buildSpend(stream(8), campaigns, startDate, asOf);
  return {
    ...base, slug, name: spec.name, providers, households, patients, appointments, procedures, payments,
    referralSources, referralAttachments, campaigns, leads, spend,
  };
}
