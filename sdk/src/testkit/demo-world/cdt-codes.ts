/** A realistic subset of CDT codes with typical US office fees (cents), grouped by the visit that produces them. */
export interface CdtCode {
  code: string;
  description: string;
  feeCents: number;
  category: 'diagnostic' | 'preventive' | 'restorative' | 'endodontic' | 'periodontic' | 'prosthodontic' | 'implant' | 'oral-surgery' | 'orthodontic' | 'adjunctive';
}

export const cdtCodes = {
  D0120: { code: 'D0120', description: 'periodic oral evaluation', feeCents: 6_500, category: 'diagnostic' },
  D0140: { code: 'D0140', description: 'limited oral evaluation - problem focused', feeCents: 9_500, category: 'diagnostic' },
  D0150: { code: 'D0150', description: 'comprehensive oral evaluation', feeCents: 11_000, category: 'diagnostic' },
  D0210: { code: 'D0210', description: 'intraoral - comprehensive series of radiographic images', feeCents: 15_500, category: 'diagnostic' },
  D0220: { code: 'D0220', description: 'intraoral - periapical first radiographic image', feeCents: 3_500, category: 'diagnostic' },
  D0274: { code: 'D0274', description: 'bitewings - four radiographic images', feeCents: 7_500, category: 'diagnostic' },
  D0330: { code: 'D0330', description: 'panoramic radiographic image', feeCents: 13_000, category: 'diagnostic' },
  D1110: { code: 'D1110', description: 'prophylaxis - adult', feeCents: 12_000, category: 'preventive' },
  D1120: { code: 'D1120', description: 'prophylaxis - child', feeCents: 8_500, category: 'preventive' },
  D1206: { code: 'D1206', description: 'topical application of fluoride varnish', feeCents: 4_500, category: 'preventive' },
  D1351: { code: 'D1351', description: 'sealant - per tooth', feeCents: 5_500, category: 'preventive' },
  D2140: { code: 'D2140', description: 'amalgam - one surface, primary or permanent', feeCents: 14_500, category: 'restorative' },
  D2391: { code: 'D2391', description: 'resin-based composite - one surface, posterior', feeCents: 19_500, category: 'restorative' },
  D2392: { code: 'D2392', description: 'resin-based composite - two surfaces, posterior', feeCents: 24_500, category: 'restorative' },
  D2740: { code: 'D2740', description: 'crown - porcelain/ceramic', feeCents: 135_000, category: 'restorative' },
  D2950: { code: 'D2950', description: 'core buildup, including any pins when required', feeCents: 29_500, category: 'restorative' },
  D3330: { code: 'D3330', description: 'endodontic therapy, molar tooth', feeCents: 125_000, category: 'endodontic' },
  D4341: { code: 'D4341', description: 'periodontal scaling and root planing - four or more teeth per quadrant', feeCents: 26_500, category: 'periodontic' },
  D4910: { code: 'D4910', description: 'periodontal maintenance', feeCents: 17_500, category: 'periodontic' },
  D5110: { code: 'D5110', description: 'complete denture - maxillary', feeCents: 195_000, category: 'prosthodontic' },
  D6010: { code: 'D6010', description: 'surgical placement of implant body: endosteal implant', feeCents: 225_000, category: 'implant' },
  D6057: { code: 'D6057', description: 'custom fabricated abutment - includes placement', feeCents: 85_000, category: 'implant' },
  D6065: { code: 'D6065', description: 'implant supported porcelain/ceramic crown', feeCents: 150_000, category: 'implant' },
  D7140: { code: 'D7140', description: 'extraction, erupted tooth or exposed root', feeCents: 22_000, category: 'oral-surgery' },
  D7210: { code: 'D7210', description: 'extraction, erupted tooth requiring removal of bone', feeCents: 36_000, category: 'oral-surgery' },
  D8090: { code: 'D8090', description: 'comprehensive orthodontic treatment of the adult dentition', feeCents: 550_000, category: 'orthodontic' },
  D9110: { code: 'D9110', description: 'palliative treatment of dental pain - per visit', feeCents: 12_500, category: 'adjunctive' },
  D9230: { code: 'D9230', description: 'inhalation of nitrous oxide/analgesia, anxiolysis', feeCents: 6_000, category: 'adjunctive' },
  D9972: { code: 'D9972', description: 'external bleaching - per arch', feeCents: 32_500, category: 'adjunctive' },
  D9986: { code: 'D9986', description: 'missed appointment', feeCents: 5_000, category: 'adjunctive' },
} as const satisfies Record<string, CdtCode>;

export type CdtCodeName = keyof typeof cdtCodes;

/** Treatment a patient may need after an exam, with how often it comes up and the codes it is billed as. */
export const treatmentPlans: readonly { name: string; weight: number; codes: readonly CdtCodeName[]; interest: 'implants' | 'invisalign' | 'emergency' | 'cosmetic' | 'general' }[] = [
  { name: 'filling', weight: 30, codes: ['D2391'], interest: 'general' },
  { name: 'two-surface filling', weight: 18, codes: ['D2392'], interest: 'general' },
  { name: 'amalgam', weight: 4, codes: ['D2140'], interest: 'general' },
  { name: 'crown', weight: 10, codes: ['D2950', 'D2740'], interest: 'general' },
  { name: 'root canal', weight: 5, codes: ['D3330', 'D2950', 'D2740'], interest: 'emergency' },
  { name: 'deep cleaning', weight: 8, codes: ['D4341', 'D4341'], interest: 'general' },
  { name: 'extraction', weight: 5, codes: ['D7140'], interest: 'emergency' },
  { name: 'surgical extraction', weight: 3, codes: ['D7210', 'D9230'], interest: 'emergency' },
  { name: 'implant', weight: 3, codes: ['D6010', 'D6057', 'D6065'], interest: 'implants' },
  { name: 'denture', weight: 1, codes: ['D5110'], interest: 'implants' },
  { name: 'invisalign', weight: 3, codes: ['D8090'], interest: 'invisalign' },
  { name: 'whitening', weight: 4, codes: ['D9972'], interest: 'cosmetic' },
  { name: 'sealants', weight: 4, codes: ['D1351', 'D1351'], interest: 'general' },
];
