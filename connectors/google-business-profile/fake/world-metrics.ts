import { dateInZone, datesBetween, type GbpMetric } from '@sourceline/sdk';
import { Random, type DemoPractice } from '@sourceline/sdk/testkit';
import { dailyMetricFields, type DailyMetric } from '../src/settings.ts';

/** One listing of a demo practice, with its daily counts by metric. */
export interface WorldListing {
  locationId: string;
  /** The demo location it is the listing of. */
  demoLocationId: number;
  /** `YYYY-MM-DD` → metric → count. */
  days: Map<string, Record<DailyMetric, number>>;
}

/**
 * The practice's listings and their daily counts, consistent with the world's leads: call clicks are at least the
 * calls the world attributes to the listing ("local" channel) that day, plus taps that never connected; website
 * clicks at least its local forms; the rest is seeded noise. Same seed, same counts.
 */
export function buildWorldListings(practice: DemoPractice, seed: number): WorldListing[] {
  const random = new Random(seed, 4242 + practice.index);
  const locations = practice.locations.length > 0 ? practice.locations : [{ id: 0 }];
  return locations.map((location, i) => {
    const days = new Map<string, Record<DailyMetric, number>>();
    for (const date of datesBetween(practice.startDate, practice.asOf)) {
      const counts = Object.fromEntries(Object.keys(dailyMetricFields).map((m) => [m, 0])) as Record<DailyMetric, number>;
      counts.CALL_CLICKS = random.int(0, 3);
      counts.WEBSITE_CLICKS = random.int(2, 12);
      counts.BUSINESS_DIRECTION_REQUESTS = random.int(0, 6);
      counts.BUSINESS_BOOKINGS = random.chance(0.15) ? 1 : 0;
      counts.BUSINESS_IMPRESSIONS_DESKTOP_MAPS = random.int(5, 40);
      counts.BUSINESS_IMPRESSIONS_DESKTOP_SEARCH = random.int(10, 80);
      counts.BUSINESS_IMPRESSIONS_MOBILE_MAPS = random.int(20, 120);
      counts.BUSINESS_IMPRESSIONS_MOBILE_SEARCH = random.int(30, 200);
      days.set(date, counts);
    }
    for (const lead of practice.leads) {
      if (lead.channel !== 'local' || (lead.locationId ?? locations[0]!.id) !== location.id) continue;
      const counts = days.get(dateInZone(new Date(lead.occurredAt), practice.timeZone));
      if (!counts) continue;
      if (lead.kind === 'call' || lead.kind === 'click-to-call') counts.CALL_CLICKS++;
      else counts.WEBSITE_CLICKS++;
    }
    return { locationId: String(10_000_000_000_000_000_000n + BigInt(practice.index * 100 + i)), demoLocationId: location.id, days };
  });
}

/** The counts a listing should end up with, as records (for tests). */
export function expectedMetric(listing: WorldListing, date: string): Pick<GbpMetric, 'callClicks' | 'websiteClicks' | 'directionRequests'> | undefined {
  const counts = listing.days.get(date);
  return counts && { callClicks: counts.CALL_CLICKS, websiteClicks: counts.WEBSITE_CLICKS, directionRequests: counts.BUSINESS_DIRECTION_REQUESTS };
}
