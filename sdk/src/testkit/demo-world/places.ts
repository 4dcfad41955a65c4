/** Regions a demo practice can sit in: real cities, states, ZIP prefixes, valid NANP area codes and IANA zones. */
export interface Region {
  timeZone: string;
  state: string;
  cities: readonly { city: string; zipPrefix: string }[];
  areaCodes: readonly string[];
}

export const regions: readonly Region[] = [
  { timeZone: 'America/Los_Angeles', state: 'OR', cities: [{ city: 'Portland', zipPrefix: '972' }, { city: 'Beaverton', zipPrefix: '970' }, { city: 'Bend', zipPrefix: '977' }, { city: 'Salem', zipPrefix: '973' }], areaCodes: ['503', '971', '541', '458'] },
  { timeZone: 'America/Denver', state: 'CO', cities: [{ city: 'Denver', zipPrefix: '802' }, { city: 'Aurora', zipPrefix: '800' }, { city: 'Boulder', zipPrefix: '803' }, { city: 'Lakewood', zipPrefix: '802' }], areaCodes: ['303', '720', '970', '719'] },
  { timeZone: 'America/Phoenix', state: 'AZ', cities: [{ city: 'Phoenix', zipPrefix: '850' }, { city: 'Tempe', zipPrefix: '852' }, { city: 'Mesa', zipPrefix: '852' }, { city: 'Scottsdale', zipPrefix: '852' }], areaCodes: ['602', '480', '623', '520'] },
  { timeZone: 'America/Chicago', state: 'TX', cities: [{ city: 'Austin', zipPrefix: '787' }, { city: 'Round Rock', zipPrefix: '786' }, { city: 'San Marcos', zipPrefix: '786' }, { city: 'Cedar Park', zipPrefix: '786' }], areaCodes: ['512', '737', '254', '830'] },
  { timeZone: 'America/New_York', state: 'NC', cities: [{ city: 'Raleigh', zipPrefix: '276' }, { city: 'Durham', zipPrefix: '277' }, { city: 'Cary', zipPrefix: '275' }, { city: 'Chapel Hill', zipPrefix: '275' }], areaCodes: ['919', '984', '252', '336'] },
  { timeZone: 'America/New_York', state: 'FL', cities: [{ city: 'Tampa', zipPrefix: '336' }, { city: 'Clearwater', zipPrefix: '337' }, { city: 'Brandon', zipPrefix: '335' }, { city: 'Largo', zipPrefix: '337' }], areaCodes: ['813', '727', '656', '941'] },
];

export function regionForTimeZone(timeZone: string, index: number): Region {
  const matching = regions.filter((r) => r.timeZone === timeZone);
  const pool = matching.length > 0 ? matching : regions;
  const region = pool[index % pool.length]!;
  return matching.length > 0 ? region : { ...region, timeZone };
}
