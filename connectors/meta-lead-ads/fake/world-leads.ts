import { leadSystemOf, stableBucket, type DemoPractice } from '@sourceline/sdk/testkit';

/** A demo lead as Meta holds it: the Graph lead object with every field, and what the webhook announced. */
export interface WorldMetaLead {
  demoLeadId: string;
  createdUnix: number;
  graph: {
    id: string; created_time: string; form_id: string; is_organic: boolean; platform: 'fb' | 'ig';
    ad_id?: string; ad_name?: string; adset_id?: string; adset_name?: string; campaign_id?: string; campaign_name?: string;
    field_data: { name: string; values: string[] }[];
  };
}

export interface WorldMetaPage {
  pageId: string;
  pageName: string;
  forms: { id: string; name: string }[];
  leads: WorldMetaLead[];
}

const preferredTimes = ['mornings', 'afternoons', 'evenings', 'weekends'];

/** `2025-03-14T16:02:09+0000`: Graph writes times with a colon-less offset. */
function graphTime(unix: number): string {
  return `${new Date(unix * 1000).toISOString().slice(0, 19)}+0000`;
}

function e164(phone: string | null): string | undefined {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length === 10 ? `+1${digits}` : undefined;
}

/**
 * The practice's Page with one instant form per Meta campaign, and the demo's Meta leads as Graph lead objects: a
 * ninth of them opened from the Page itself (organic: no ad fields), the rest from the campaign's ads.
 */
export function buildWorldMetaPage(practice: DemoPractice): WorldMetaPage {
  const base = 100_000_000_000_000 + practice.index * 1_000_000;
  const id = (kind: number, n: number) => String(base + kind * 10_000 + n);
  const metaCampaigns = practice.campaigns.map((c, i) => ({ campaign: c, i })).filter(({ campaign }) => campaign.channel === 'paid-social');
  const forms = metaCampaigns.map(({ campaign, i }) => ({ id: id(3, i), name: `${campaign.name.split(' |')[0]} – Instant Form` }));
  const leads = practice.leads.filter((lead) => leadSystemOf(lead) === 'meta-lead-ads').map((lead, n): WorldMetaLead => {
    const found = metaCampaigns.find(({ campaign }) => campaign.name === lead.campaign) ?? metaCampaigns[0]!;
    const adGroupIndex = Math.max(0, found.campaign.adGroups.findIndex((g) => g.name === lead.adGroup));
    const organic = stableBucket(lead.id, 9) === 0;
    const createdUnix = Math.floor(Date.parse(lead.occurredAt) / 1000);
    const phone = e164(lead.phone);
    const ad = organic ? {} : {
      ad_id: id(5, found.i * 10 + adGroupIndex), ad_name: `${found.campaign.name.split(' |')[0]} – Carousel ${'AB'[adGroupIndex % 2]}`,
      adset_id: id(4, found.i * 10 + adGroupIndex), adset_name: found.campaign.adGroups[adGroupIndex]!.name,
      campaign_id: id(2, found.i), campaign_name: found.campaign.name,
    };
    return {
      demoLeadId: lead.id,
      createdUnix,
      graph: {
        id: id(9, n + 1), created_time: graphTime(createdUnix), form_id: forms[metaCampaigns.indexOf(found)]!.id, is_organic: organic,
        platform: lead.source === 'instagram' ? 'ig' : 'fb', ...ad,
        field_data: [
          ...(lead.name ? [{ name: 'full_name', values: [lead.name] }] : []),
          ...(lead.email ? [{ name: 'email', values: [lead.email] }] : []),
          ...(phone ? [{ name: 'phone_number', values: [phone] }] : []),
          { name: 'preferred_time', values: [preferredTimes[stableBucket(lead.id, preferredTimes.length)]!] },
        ],
      },
    };
  });
  return { pageId: String(base + 1), pageName: `${practice.name}`, forms, leads };
}
