import { addDays, dayNumber } from './dates.ts';
import type { Random } from './random.ts';
import type { DemoCampaign, DemoSpend } from './types.ts';

/** The practice's ad campaigns: Google Ads search campaigns by service line, and Meta promotions. */
export function buildCampaigns(rng: Random, website: string): DemoCampaign[] {
  const scale = rng.normal(1, 0.25, 0.5, 1.8);
  const budget = (dollars: number) => Math.round(dollars * scale) * 100;
  return [
    {
      source: 'google', medium: 'cpc', channel: 'paid-search', name: 'Implants | Search', interest: 'implants',
      dailyBudgetCents: budget(90), costPerClickCents: 1_450, landingPage: `${website}/dental-implants`,
      adGroups: [
        { name: 'Dental Implants', keywords: ['dental implants near me', 'tooth implant cost', '+dental +implants'] },
        { name: 'All-on-4', keywords: ['all on 4 dental implants', 'full mouth implants'] },
      ],
    },
    {
      source: 'google', medium: 'cpc', channel: 'paid-search', name: 'Invisalign | Search', interest: 'invisalign',
      dailyBudgetCents: budget(55), costPerClickCents: 980, landingPage: `${website}/invisalign`,
      adGroups: [
        { name: 'Invisalign', keywords: ['invisalign near me', 'invisalign cost'] },
        { name: 'Clear Aligners', keywords: ['clear aligners', 'teeth straightening adults'] },
      ],
    },
    {
      source: 'google', medium: 'cpc', channel: 'paid-search', name: 'Emergency Dentist | Search', interest: 'emergency',
      dailyBudgetCents: budget(45), costPerClickCents: 820, landingPage: `${website}/emergency-dentist`,
      adGroups: [{ name: 'Emergency', keywords: ['emergency dentist', 'tooth pain dentist open now', 'broken tooth repair'] }],
    },
    {
      source: 'google', medium: 'cpc', channel: 'paid-search', name: 'General Dentistry | Search', interest: 'general',
      dailyBudgetCents: budget(40), costPerClickCents: 610, landingPage: `${website}/new-patients`,
      adGroups: [
        { name: 'Dentist Near Me', keywords: ['dentist near me', 'family dentist', 'dentist accepting new patients'] },
        { name: 'Cleaning', keywords: ['teeth cleaning', 'dental checkup'] },
      ],
    },
    {
      source: 'google', medium: 'cpc', channel: 'paid-search', name: 'Brand | Search', interest: 'general',
      dailyBudgetCents: budget(12), costPerClickCents: 190, landingPage: website,
      adGroups: [{ name: 'Brand', keywords: ['[practice name]', '[practice name] reviews'] }],
    },
    {
      source: 'facebook', medium: 'paid_social', channel: 'paid-social', name: 'New Patient Special | Meta', interest: 'general',
      dailyBudgetCents: budget(30), costPerClickCents: 140, landingPage: `${website}/new-patient-special`,
      adGroups: [{ name: 'Lookalike - Patients', keywords: [] }, { name: 'Local 10mi - Parents', keywords: [] }],
    },
    {
      source: 'instagram', medium: 'paid_social', channel: 'paid-social', name: 'Whitening Promo | Meta', interest: 'cosmetic',
      dailyBudgetCents: budget(18), costPerClickCents: 120, landingPage: `${website}/teeth-whitening`,
      adGroups: [{ name: 'Interest - Weddings', keywords: [] }],
    },
  ];
}

/** Daily spend per campaign and ad group, from the window's first day to `asOf`. */
export function buildSpend(rng: Random, campaigns: readonly DemoCampaign[], startDate: string, asOf: string): DemoSpend[] {
  const spend: DemoSpend[] = [];
  const days = dayNumber(asOf) - dayNumber(startDate) + 1;
  for (let d = 0; d < days; d++) {
    const date = addDays(startDate, d);
    for (const campaign of campaigns) {
      for (const adGroup of campaign.adGroups) {
        const share = 1 / campaign.adGroups.length;
        const costCents = Math.round(campaign.dailyBudgetCents * share * rng.normal(0.92, 0.12, 0.4, 1.2));
        const clicks = Math.max(0, Math.round(costCents / (campaign.costPerClickCents * rng.normal(1, 0.15, 0.6, 1.6))));
        spend.push({
          date, source: campaign.source, medium: campaign.medium, campaign: campaign.name, adGroup: adGroup.name,
          costCents, clicks, impressions: clicks * rng.int(12, 45),
        });
      }
    }
  }
  return spend;
}
