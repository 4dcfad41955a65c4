import type { Tx } from '../../db/tenant-transaction.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { AttributionModelId } from '../attribution-settings.ts';
import type { RollupChannel } from '../rollups.ts';

/** A new patient as a channel's drill-down lists it: no PHI here (the patient's name is read apart, audited). */
export interface AttributedPatient {
  patientId: string;
  firstVisitOn: string;
  /** The channel's earliest touch before the first visit; null for the unattributed. */
  firstContactOn: string | null;
  /** The channel's part of the patient under the model, 0–1 (1 for the unattributed). */
  share: number;
  /** The campaigns, ad groups and keywords of the channel's touches, each once. */
  campaigns: string[];
  adGroups: string[];
  keywords: string[];
  /** Production of the first visit and follow-on treatment (levels 1 and 2). */
  productionCents: number;
  /** `seen` (a first visit) or `treatment` (follow-on treatment since). */
  status: 'seen' | 'treatment';
  /** The strongest link between the patient and a lead; null when no lead is linked. */
  confidence: number | null;
}

export type AttributedPatientOrder = 'production' | 'first-visit' | 'first-contact' | 'share' | 'stage' | 'confidence';

export interface AttributedPatientQuery {
  practiceId: string;
  channel: RollupChannel;
  model: AttributionModelId;
  from: string;
  to: string;
  locationId?: string | null;
  order: AttributedPatientOrder;
  descending: boolean;
  limit: number;
  offset: number;
}

const ORDER: Record<AttributedPatientOrder, Prisma.Sql> = {
  production: Prisma.sql`"productionCents"`,
  'first-visit': Prisma.sql`"firstVisitOn"`,
  'first-contact': Prisma.sql`"firstContactOn"`,
  share: Prisma.sql`share`,
  stage: Prisma.sql`status`,
  confidence: Prisma.sql`confidence`,
};

/**
 * The new patients (first visit in the range) a channel touched before their first visit — or, for `unattributed`,
 * those no touch explains — with what the channel did for each. Sorted and paged; `total` counts every match.
 */
export async function listAttributedPatients(tx: Tx, q: AttributedPatientQuery): Promise<{ items: AttributedPatient[]; total: number }> {
  const touched = q.channel === 'unattributed'
    ? Prisma.sql`pa.primary_channel = 'unattributed'`
    : Prisma.sql`pa.touchpoints @> jsonb_build_array(jsonb_build_object('channel', ${q.channel}::text))`;
  const where = Prisma.join(
    [
      Prisma.sql`pa.practice_id = ${q.practiceId}::uuid`,
      Prisma.sql`pa.first_visit_on BETWEEN ${q.from}::date AND ${q.to}::date`,
      touched,
      ...(q.locationId ? [Prisma.sql`pa.location_id = ${q.locationId}::uuid`] : []),
    ],
    ' AND ',
  );
  const items = await tx.$queryRaw<AttributedPatient[]>`
    SELECT pa.patient_id AS "patientId", pa.first_visit_on::text AS "firstVisitOn",
           touch.first_contact AS "firstContactOn",
           CASE WHEN pa.primary_channel = 'unattributed' THEN 1 ELSE coalesce(touch.share, 0) END AS share,
           coalesce(touch.campaigns, '{}') AS campaigns, coalesce(touch.ad_groups, '{}') AS "adGroups", coalesce(touch.keywords, '{}') AS keywords,
           (pa.production_level1_cents + pa.production_level2_cents)::float8 AS "productionCents",
           CASE WHEN pa.production_level2_cents > 0 THEN 'treatment' ELSE 'seen' END AS status,
           (SELECT max(m.confidence) FROM lead_matches m WHERE m.patient_id = pa.patient_id AND m.decision = 'link') AS confidence
      FROM patient_attributions pa
      LEFT JOIN LATERAL (
        SELECT min(t->>'day') AS first_contact,
               sum((t->'credits'->>${q.model}::text)::float8) AS share,
               array_remove(array_agg(DISTINCT t->>'campaign'), NULL) AS campaigns,
               array_remove(array_agg(DISTINCT t->>'adGroup'), NULL) AS ad_groups,
               array_remove(array_agg(DISTINCT t->>'keyword'), NULL) AS keywords
          FROM jsonb_array_elements(pa.touchpoints) t WHERE t->>'channel' = ${q.channel}::text
      ) touch ON true
     WHERE ${where}
     ORDER BY ${ORDER[q.order]} ${q.descending ? Prisma.sql`DESC NULLS LAST` : Prisma.sql`ASC NULLS LAST`}, pa.patient_id
     LIMIT ${q.limit} OFFSET ${q.offset}`;
  const [{ total }] = await tx.$queryRaw<[{ total: number }]>`SELECT count(*)::int AS total FROM patient_attributions pa WHERE ${where}`;
  return { items, total };
}

/** A month's (or any range's) new patients, first visit first, up to `limit`, and how many there are in all. */
export async function listNewPatients(
  tx: Tx,
  practiceId: string,
  range: { from: string; to: string },
  limit: number,
): Promise<{ items: { patientId: string; firstVisitOn: string; primaryChannel: RollupChannel; productionCents: number }[]; total: number }> {
  const where = Prisma.sql`practice_id = ${practiceId}::uuid AND first_visit_on BETWEEN ${range.from}::date AND ${range.to}::date`;
  const items = await tx.$queryRaw<{ patientId: string; firstVisitOn: string; primaryChannel: RollupChannel; productionCents: number }[]>`
    SELECT patient_id AS "patientId", first_visit_on::text AS "firstVisitOn", primary_channel AS "primaryChannel",
           (production_level1_cents + production_level2_cents)::float8 AS "productionCents"
      FROM patient_attributions WHERE ${where}
     ORDER BY first_visit_on, patient_id
     LIMIT ${limit}`;
  const [{ total }] = await tx.$queryRaw<[{ total: number }]>`SELECT count(*)::int AS total FROM patient_attributions WHERE ${where}`;
  return { items, total };
}
